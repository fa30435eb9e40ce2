"""Two installations over real HTTP on loopback: a message leaves RS through the outbox in
the business transaction, reaches MK's inbox once, and RS keeps MK's signed receipt; a
partner down then up, a sender that dies after the POST, and two workers side by side lose
and duplicate nothing."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clearway.app import create_app
from clearway.exchange import signing
from clearway.exchange.delivery import Poster, attach_delivery, deliver_once, make_poster
from clearway.exchange.model import ExchangeRefused
from clearway.exchange.outbox import send_in
from clearway.exchange.service import import_agreements
from clearway.storage.orm import AuditRow
from clearway.storage.orm_exchange import InboxRow, OutboxRow, ReceiptRow
from conftest import NOW
from exchange_world import INBOX, Pair, open_pair


@pytest.fixture
def pair(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Pair]:
    yield from open_pair(db_url, tmp_path, sqlite_template, NOW)


def _receipts(side: object, direction: str) -> dict[str, str]:
    ctx = side.ctx  # type: ignore[attr-defined]
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(ReceiptRow).where(ReceiptRow.direction == direction))
        return {r.message_id: r.token for r in rows.scalars()}


def test_a_message_reaches_the_partner_stripped_and_its_signed_receipt_is_kept(
        pair: Pair) -> None:
    message_id = pair.send(payload={"note": "hello", "name": "never sent"})
    assert pair.rs.outbox(status="pending") == 1

    report = deliver_once(pair.rs.ctx)

    assert (report.delivered, report.failed) == (1, 0)
    with pair.mk.ctx.uow(read_only=True) as uow:
        (row,) = uow.session.execute(select(InboxRow)).scalars()
        (audit,) = uow.session.execute(select(AuditRow).where(
            AuditRow.action == "exchange.received")).scalars()
    assert row.message_id == message_id and row.from_party == "RS"
    assert row.payload == {"note": "hello"}  # minimised before it left
    assert audit.object_id == message_id and audit.actor == "partner:RS"
    sent = _receipts(pair.rs, "out")
    assert sent == _receipts(pair.mk, "in")  # both keep the very same signed receipt
    receipt = signing.verify_receipt(sent[message_id], signing.public_pem(pair.mk.key))
    assert receipt.digest == signing.message_digest(*signing.peek(row.token))
    assert receipt.receiver == "MK"
    assert pair.rs.outbox(status="delivered") == 1
    assert deliver_once(pair.rs.ctx).delivered == 0  # nothing left to send


def test_nothing_enters_the_outbox_when_the_business_transaction_rolls_back(
        pair: Pair) -> None:
    rs = pair.rs.ctx
    with rs.uow() as uow:
        send_in(uow.session, rs.settings, pair.rs.key, to="MK", action="ping",
                purpose="risk-analysis", agreement_id="RS-MK-2026", payload={"note": "x"},
                now=rs.clock.now())
        # no commit: the event that would cause the message failed
    assert pair.rs.outbox() == 0


@pytest.mark.parametrize(("changes", "code"), [
    ({"action": "seizure-notice"}, "CW-EXCH-TYPE"),
    ({"purpose": "marketing"}, "CW-EXCH-PURPOSE"),
    ({"agreement_id": "NO-SUCH"}, "CW-EXCH-AGREEMENT-MISSING"),
    ({"to": "AL"}, "CW-EXCH-AGREEMENT-MISSING"),
])
def test_a_message_the_agreement_does_not_allow_never_reaches_the_outbox(
        pair: Pair, changes: dict[str, str], code: str) -> None:
    rs = pair.rs.ctx
    values = {"to": "MK", "action": "ping", "purpose": "risk-analysis",
              "agreement_id": "RS-MK-2026", **changes}
    with rs.uow() as uow, pytest.raises(ExchangeRefused) as refused:
        send_in(uow.session, rs.settings, pair.rs.key, payload={"note": "x"},
                now=rs.clock.now(), **values)
    assert refused.value.code == code
    assert pair.rs.outbox() == 0


def test_a_partner_down_then_up_gets_every_message_once(pair: Pair) -> None:
    pair.mk.stop()
    sent = [pair.send(payload={"note": f"n{i}"}) for i in range(5)]

    first = deliver_once(pair.rs.ctx)
    assert (first.delivered, first.failed) == (0, 1)  # one timeout; the rest held back
    pair.clock.advance(seconds=7)   # past the first backoff (5 s + jitter)
    assert deliver_once(pair.rs.ctx).failed == 1
    with pair.rs.ctx.uow(read_only=True) as uow:
        attempts = uow.session.execute(select(OutboxRow.attempts).order_by(OutboxRow.id)
                                       ).scalars().all()
    assert attempts == [2, 0, 0, 0, 0]

    pair.mk.start()
    pair.clock.advance(seconds=13)  # past the second backoff (10 s + jitter)
    assert deliver_once(pair.rs.ctx).delivered == 5

    with pair.mk.ctx.uow(read_only=True) as uow:
        received = uow.session.execute(select(InboxRow.message_id)).scalars().all()
    assert sorted(received) == sorted(sent)
    assert pair.rs.outbox(status="delivered") == 5 and len(_receipts(pair.rs, "out")) == 5


def test_a_partner_down_for_hours_still_gets_every_message(pair: Pair) -> None:
    """Each attempt signs the message anew, so a message held through an outage far longer
    than the partner's time window arrives fresh (its envelope unchanged)."""
    pair.mk.stop()
    sent = [pair.send(payload={"note": f"h{i}"}) for i in range(3)]
    assert deliver_once(pair.rs.ctx).failed == 1
    pair.mk.start()
    pair.clock.advance(seconds=6 * 3600)  # six hours: the window is 300 s
    assert deliver_once(pair.rs.ctx).delivered == 3
    with pair.mk.ctx.uow(read_only=True) as uow:
        received = uow.session.execute(select(InboxRow.message_id)).scalars().all()
    assert sorted(received) == sorted(sent)
    assert _receipts(pair.rs, "out") == _receipts(pair.mk, "in")


def test_a_sender_that_dies_after_the_post_sends_again_and_the_inbox_keeps_one(
        pair: Pair) -> None:
    message_id = pair.send()
    real = make_poster(pair.rs.ctx.settings)

    def dies_after_posting(url: str, body: bytes) -> tuple[int, bytes]:
        real(url, body)  # MK has it and answered; the answer is lost with the sender
        raise httpx.ReadError("connection lost")

    assert deliver_once(pair.rs.ctx, post=dies_after_posting).failed == 1
    assert pair.mk.count(InboxRow) == 1
    pair.clock.advance(seconds=7)
    assert deliver_once(pair.rs.ctx).delivered == 1
    assert pair.mk.count(InboxRow) == 1
    assert _receipts(pair.rs, "out") == _receipts(pair.mk, "in")
    assert set(_receipts(pair.rs, "out")) == {message_id}


def test_the_same_token_posted_again_gets_the_same_receipt(pair: Pair) -> None:
    pair.send()
    with pair.rs.ctx.uow(read_only=True) as uow:
        token = uow.session.execute(select(OutboxRow.token)).scalar_one()
    headers = {"Content-Type": "application/jose"}
    first = httpx.post(pair.mk.url + INBOX, content=token, headers=headers)
    again = httpx.post(pair.mk.url + INBOX, content=token, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.text == again.text
    assert first.headers["content-type"].startswith("application/jose")
    assert pair.mk.stored() == {"inbox": 1, "receipts": 1, "received": 1}


def test_a_message_the_partner_refuses_waits_without_holding_back_the_others(
        pair: Pair) -> None:
    refused = pair.send()
    fine = pair.send()
    # MK stops accepting pings for risk analysis: its copy of the agreement changed.
    text = Path(__file__).resolve().parents[2].joinpath(
        "docs/examples/agreement-rs-mk.yaml").read_text(encoding="utf-8")
    import_agreements(pair.mk.ctx, text.replace("    - ping\n", ""), "administrator:test")
    report = deliver_once(pair.rs.ctx)
    assert (report.delivered, report.failed) == (0, 2)
    assert "CW-EXCH-TYPE" in report.errors[0]
    import_agreements(pair.mk.ctx, text, "administrator:test")
    pair.clock.advance(seconds=7)
    assert deliver_once(pair.rs.ctx).delivered == 2
    assert set(_receipts(pair.rs, "out")) == {refused, fine}


def test_two_workers_side_by_side_send_each_message_once(pair: Pair) -> None:
    sent = [pair.send(payload={"note": f"n{i}"}) for i in range(40)]
    real = make_poster(pair.rs.ctx.settings)
    posted: Counter[bytes] = Counter()
    lock = threading.Lock()

    def counting(url: str, body: bytes) -> tuple[int, bytes]:
        with lock:
            posted[body] += 1
        return real(url, body)

    def worker(post: Poster) -> None:
        while deliver_once(pair.rs.ctx, limit=5, post=post).delivered:
            pass

    threads = [threading.Thread(target=worker, args=(counting,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(posted) == 40 and set(posted.values()) == {1}
    assert pair.mk.count(InboxRow) == 40 and pair.rs.outbox(status="delivered") == 40
    assert set(_receipts(pair.rs, "out")) == set(sent)


def test_the_server_delivers_in_the_background_and_stops_with_it(pair: Pair) -> None:
    app = create_app(pair.rs.ctx)
    attach_delivery(app, pair.rs.ctx, interval=0.05)
    with TestClient(app):
        pair.send()
        deadline = time.monotonic() + 20
        while pair.rs.outbox(status="delivered") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert pair.mk.count(InboxRow) == 1
    assert not any(t.name == "exchange-delivery" for t in threading.enumerate())
