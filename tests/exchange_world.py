"""Two installations that exchange messages: Serbia (RS) on the test's database and North
Macedonia (MK) on a second one (a copy of the SQLite template, or a second PostgreSQL
database), each with its own secret (so its own key), both served by uvicorn on loopback,
sharing one fixed clock. Each has the other in its partner register and the example
agreement loaded."""

from __future__ import annotations

import atexit
import os
import random
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from clearway.app import create_app
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.exchange import outbox, service, signing
from clearway.exchange.model import SERVICE, Envelope, new_message_id
from clearway.storage.migrate import upgrade
from clearway.storage.orm import AuditRow
from clearway.storage.orm_exchange import InboxRow, OutboxRow, ReceiptRow
from clearway.storage.schema import metadata

REPO = Path(__file__).resolve().parents[1]
AGREEMENT_FILE = REPO / "docs" / "examples" / "agreement-rs-mk.yaml"
AGREEMENT = "RS-MK-2026"
INBOX = "/api/v1/exchange/inbox"
_PEERS: set[str] = set()


def _listening(port: int = 0) -> socket.socket:
    """A socket bound on loopback (port 0: any free one), held from the moment the
    installation is made: no other process can take its port between choosing and serving.
    SO_REUSEADDR lets a restarted server take its port back at once."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


@dataclass
class Installation:
    code: str
    ctx: Context
    sock: socket.socket | None = field(default_factory=_listening)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    port: int = 0

    def __post_init__(self) -> None:
        if self.sock is not None:
            self.port = int(self.sock.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def inbox_url(self) -> str:
        return self.url + INBOX

    @property
    def key(self) -> Any:
        return signing.exchange_key(self.ctx.settings)

    def start(self) -> None:
        sock = self.sock = self.sock or _listening(self.port)
        config = uvicorn.Config(create_app(self.ctx), log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]},
                                       daemon=True, name=f"exchange-{self.code}")
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"the {self.code} server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)
        if self.sock is not None:
            self.sock.close()  # down: the port refuses connections until start()
        self.server = self.thread = self.sock = None

    def count(self, row: Any, **where: Any) -> int:
        query = select(func.count()).select_from(row)
        for name, value in where.items():
            query = query.where(getattr(row, name) == value)
        with self.ctx.uow(read_only=True) as uow:
            return int(uow.session.execute(query).scalar_one())

    def stored(self) -> dict[str, int]:
        """What a refusal must leave untouched."""
        return {"inbox": self.count(InboxRow), "receipts": self.count(ReceiptRow),
                "received": self.count(AuditRow, action="exchange.received")}

    def outbox(self, **where: Any) -> int:
        return self.count(OutboxRow, **where)


@dataclass
class Pair:
    rs: Installation
    mk: Installation
    clock: FixedClock

    def send(self, action: str = "ping", purpose: str = "risk-analysis",
             payload: dict[str, Any] | None = None, **options: Any) -> str:
        """RS puts a message for MK in its outbox (one business transaction)."""
        rs = self.rs.ctx
        with rs.uow() as uow:
            message_id = outbox.send_in(
                uow.session, rs.settings, self.rs.key, to="MK", action=action,
                purpose=purpose, agreement_id=options.pop("agreement_id", AGREEMENT),
                payload={"note": "hello"} if payload is None else payload,
                now=rs.clock.now(), **options)
            uow.commit()
        return message_id


def envelope(now: datetime, **changes: Any) -> Envelope:
    """An envelope from RS to MK under the example agreement, as `send_in` writes it."""
    message_id = new_message_id()
    values: dict[str, Any] = dict(
        message_id=message_id, conversation_id=message_id, ref_to_message_id=None,
        from_party="RS", to_party="MK", service=SERVICE, action="ping",
        agreement_ref=AGREEMENT, legal_article="Art. 5", purpose="risk-analysis",
        confidentiality="restricted", caveats=(), created_at=now, payload_type="ping",
        payload_version="1")
    return Envelope(**{**values, **changes})


def peer_url(db_url: str, folder: Path, template: Path) -> str:
    if db_url.startswith("sqlite"):
        path = folder / "mk.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url = make_url(db_url)
    name = f"{url.database}_mk"
    peer = url.set(database=name).render_as_string(hide_password=False)
    if name not in _PEERS:
        admin = create_engine(os.environ["CLEARWAY_TEST_POSTGRES_URL"],
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        upgrade(peer)
        _PEERS.add(name)
        atexit.register(_drop, admin, name)
    engine = create_engine(peer)
    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return peer


def _drop(admin: Any, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _context(code: str, url: str, clock: FixedClock, **settings: Any) -> Context:
    return build_context(Settings(
        database_url=url, environment="test", country_code=code, token_cache_seconds=0,
        secret_key=f"{code.lower()}-test-secret-" + "x" * 32,
        webhook_allowed_networks="127.0.0.1/32", **settings), clock=clock,
        rng=random.Random(7))


def connect(rs: Installation, mk: Installation, actor: str) -> None:
    """Each registers the other, both load the example agreement, both start serving."""
    agreements = AGREEMENT_FILE.read_text(encoding="utf-8")
    for me, other in ((rs, mk), (mk, rs)):
        service.add_partner(me.ctx, other.code, f"Customs {other.code}", other.inbox_url,
                            signing.public_pem(other.key), actor)
        service.import_agreements(me.ctx, agreements, actor)
    rs.start()
    mk.start()


def open_pair(db_url: str, folder: Path, template: Path, now: datetime,
              **settings: Any) -> Iterator[Pair]:
    """Both installations running, registered with each other, the agreement on both."""
    clock = FixedClock(now)
    rs = Installation("RS", _context("RS", db_url, clock, **settings))
    mk = Installation("MK", _context("MK", peer_url(db_url, folder, template), clock,
                                     **settings))
    connect(rs, mk, "administrator:test")
    try:
        yield Pair(rs, mk, clock)
    finally:
        for side in (rs, mk):
            side.stop()
            side.ctx.engine.dispose()
