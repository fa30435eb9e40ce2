"""SIGKILL of the sender and of the receiver during delivery, with real processes: MK's
inbox is a `uvicorn clearway.asgi:app` of its own, RS delivers with `clearway exchange
deliver` as a child process, both configured only through CLEARWAY_* variables and on the
real clock (each attempt is signed with its own sent_at, checked against MK's 300 s window).
The sender is killed after MK took messages whose receipts RS never recorded; the receiver
is killed and restarted while the next sender is at work. In the end every message is in
MK's inbox once, every outbox row is delivered with MK's verified receipt, and both sides
keep the very same receipts. On SQLite always, on PostgreSQL when CLEARWAY_TEST_POSTGRES_URL
is set."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.exchange import outbox, service, signing
from clearway.storage.orm import AuditRow
from clearway.storage.orm_exchange import InboxRow, OutboxRow, ReceiptRow
from exchange_world import AGREEMENT, AGREEMENT_FILE, INBOX, peer_url
from helpers import load_benchmark

crash = load_benchmark("crash")

MESSAGES = 120  # more than one round of 50, so kills land inside a round
# Short retries and leases so that a killed sender's claims and a dead receiver's backoff
# come due again within a second or two.
QUICK = {"environment": "test", "token_cache_seconds": "0",
         "webhook_allowed_networks": "127.0.0.0/8", "exchange_retry_base_seconds": "0.2",
         "exchange_retry_max_seconds": "1", "exchange_lease_seconds": "2"}
CLI = Path(sys.executable).with_name("clearway")


def _values(code: str, url: str) -> dict[str, str]:
    return {**QUICK, "database_url": url, "country_code": code,
            "secret_key": f"{code.lower()}-crash-secret-" + "x" * 32}


def _env(values: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **{f"CLEARWAY_{k.upper()}": v for k, v in values.items()}}


def _count(ctx: Context, row: Any, **where: Any) -> int:
    query = select(func.count()).select_from(row)
    for name, value in where.items():
        query = query.where(getattr(row, name) == value)
    with ctx.uow(read_only=True) as uow:
        return int(uow.session.execute(query).scalar_one())


def _failed_attempts(rs: Context) -> int:
    """Attempts that ended without a receipt (a delivery counts one attempt too)."""
    with rs.uow(read_only=True) as uow:
        attempts = uow.session.execute(select(func.sum(OutboxRow.attempts))).scalar_one()
    return int(attempts or 0) - _count(rs, OutboxRow, status="delivered")


def _receipts(ctx: Context, direction: str) -> dict[str, str]:
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(ReceiptRow).where(ReceiptRow.direction == direction))
        return {r.message_id: r.token for r in rows.scalars()}


def _wait(what: str, done: Callable[[], bool], logs: Path, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}"
                              for p in sorted(logs.glob("*.log")))
            raise AssertionError(f"timed out waiting for {what}\n{tails}")
        time.sleep(0.01)


class Sender:
    """`clearway exchange deliver` in a loop, in its own process group (killed as a whole)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [str(CLI)] if CLI.exists() else [
            sys.executable, "-c", "from clearway.cli.main import app; app()"]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([*command, "exchange", "deliver", "--interval", "0.1"],
                                         env=self.env, stdout=log, stderr=log,
                                         start_new_session=True)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.fixture
def sides(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Context,
                                                                                Context]]:
    """RS on the test's database, MK on a second one, each knowing the other (partner and
    key) and holding the example agreement; contexts of this process, to set up and count."""
    rs = build_context(Settings(**_values("RS", db_url)))  # type: ignore[arg-type]
    mk_url = peer_url(db_url, tmp_path, sqlite_template)
    mk = build_context(Settings(**_values("MK", mk_url)))  # type: ignore[arg-type]
    try:
        yield rs, mk
    finally:
        rs.engine.dispose()
        mk.engine.dispose()


def _register(rs: Context, mk: Context, mk_inbox: str) -> None:
    rs_inbox = f"http://127.0.0.1:{crash.free_port()}{INBOX}"  # never contacted
    agreements = AGREEMENT_FILE.read_text(encoding="utf-8")
    for me, other, url in ((rs, mk, mk_inbox), (mk, rs, rs_inbox)):
        code = other.settings.country_code
        service.add_partner(me, code, f"Customs {code}", url, signing.public_pem(
            signing.exchange_key(other.settings)), "administrator:test")
        service.import_agreements(me, agreements, "administrator:test")


def _queue(rs: Context) -> list[str]:
    key = signing.exchange_key(rs.settings)
    with rs.uow() as uow:
        sent = [outbox.send_in(uow.session, rs.settings, key, to="MK", action="ping",
                                purpose="risk-analysis", agreement_id=AGREEMENT,
                                payload={"note": f"n{i}"}, now=rs.clock.now())
                for i in range(MESSAGES)]
        uow.commit()
    return sent


def test_sigkill_of_sender_and_receiver_loses_and_duplicates_nothing(
        sides: tuple[Context, Context], tmp_path: Path) -> None:
    rs, mk = sides
    receiver = crash.Server(mk.settings.database_url, tmp_path / "mk.log")
    receiver.env.update(_env(_values("MK", mk.settings.database_url)))
    sender = Sender(_env(_values("RS", rs.settings.database_url)), tmp_path / "rs.log")
    _register(rs, mk, receiver.base + INBOX)
    sent = _queue(rs)

    def received() -> int:
        return _count(mk, InboxRow)

    def delivered() -> int:
        return _count(rs, OutboxRow, status="delivered")

    try:
        # Both start together (each spends seconds importing); a first POST that finds no
        # receiver yet is only retried.
        receiver.start()
        sender.start()
        receiver.wait_ready(timeout=60)
        _wait("MK to receive the first messages", lambda: received() >= 15, tmp_path)
        sender.kill()
        at_sender_kill = received()
        # Killed inside its first round: MK holds messages whose receipts RS never recorded.
        assert delivered() < at_sender_kill < MESSAGES

        sender.start()
        _wait("the second sender to deliver", lambda: received() >= at_sender_kill + 15,
              tmp_path)
        receiver.kill()
        failed = _failed_attempts(rs)
        assert received() < MESSAGES
        receiver.start()  # the sender meets no receiver while this one starts
        receiver.wait_ready(timeout=60)
        _wait("every message to be delivered", lambda: delivered() == MESSAGES, tmp_path)
        sender.kill()
        assert _failed_attempts(rs) > failed  # the sender did try the dead receiver
    finally:
        sender.kill()
        receiver.stop()

    with mk.uow(read_only=True) as uow:
        inbox = Counter(uow.session.execute(select(InboxRow.message_id)).scalars())
    assert inbox == Counter(sent)  # each message once, none lost, none extra
    assert _count(mk, AuditRow, action="exchange.received") == MESSAGES
    with rs.uow(read_only=True) as uow:
        outbox = {r.message_id: r for r in uow.session.execute(select(OutboxRow)).scalars()}
    assert {r.status for r in outbox.values()} == {"delivered"}
    receipts = _receipts(rs, "out")
    assert receipts == _receipts(mk, "in")  # the very same signed receipts on both sides
    assert set(receipts) == set(sent)
    mk_public = signing.public_pem(signing.exchange_key(mk.settings))
    for message_id, token in receipts.items():
        receipt = signing.verify_receipt(token, mk_public)
        assert (receipt.message_id, receipt.receiver) == (message_id, "MK")
        assert receipt.digest == signing.message_digest(*signing.peek(outbox[message_id].token))
