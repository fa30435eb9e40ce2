"""`make demo`: a fresh live system with users, a stream of declarations and officers at work."""

from __future__ import annotations

import os
import random
import threading
import time
from decimal import Decimal
from pathlib import Path

import httpx
import uvicorn
from rich.console import Console
from rich.table import Table

from clearway.app import create_app
from clearway.config import Settings
from clearway.context import Context
from clearway.demo.generator import DeclarationGenerator
from clearway.notifications.dispatcher import attach_dispatcher
from clearway.users.service import create_user

console = Console()
STAFF = (("officer", "officer"), ("supervisor", "supervisor"), ("analyst", "risk_analyst"),
         ("auditor", "auditor"), ("admin", "administrator"))


def fresh_context(path: Path) -> Context:
    from clearway import bootstrap

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings = Settings(database_url=f"sqlite:///{path}", environment="development",
                        country_code=os.environ.get("CLEARWAY_COUNTRY_CODE", "RS"))
    ctx = Context.from_settings(settings)
    bootstrap.prepare(ctx)
    return ctx


def create_demo_users(ctx: Context, traders: list[str]) -> dict[str, tuple[str, str | None]]:
    """name -> (token, trader id). Staff users of every role, and one user per trader."""
    tokens: dict[str, tuple[str, str | None]] = {}
    with ctx.uow() as uow:
        wanted: list[tuple[str, str, str | None]] = [(name, role, None) for name, role in STAFF]
        wanted += [(f"trader{i + 1}", "trader", t) for i, t in enumerate(traders)]
        for name, role, trader in wanted:
            _user, token = create_user(uow.session, name=name, role=role, trader_id=trader,
                                       now=ctx.clock.now(), ttl_days=30)
            tokens[name] = (token, trader)
        uow.commit()
    return tokens


def feed(base: str, ctx: Context, tokens: dict[str, tuple[str, str | None]], rate: float,
         stop: threading.Event, seed: int = 2026) -> None:
    """Lodge declarations over HTTP like traders would: mostly JSON, some EDIFACT, a few
    with mistakes (so rejections show too); officers then control or release them."""
    from clearway.declarations.formats.edifact_writer import write_cusdec

    rng = random.Random(seed)
    gen = DeclarationGenerator(ctx.refdata.get(), rng, ctx.clock.now().date(),
                               ctx.settings.country_code)
    traders = [(tok, tid) for tok, tid in tokens.values() if tid]
    officer = tokens["officer"][0]
    with httpx.Client(base_url=base, timeout=30) as client:
        n = 0
        while not stop.wait(rng.expovariate(rate)):
            n += 1
            token, trader = rng.choice(traders)
            headers = {"Authorization": f"Bearer {token}"}
            lrn = f"DEMO-{trader}-{n:06d}"
            if rng.random() < 0.1:
                doc = gen.entry_summary(lrn, declarant=trader)
                body, media = doc.model_dump_json(exclude_none=True), "application/json"
            else:
                decl = gen.declaration(lrn, declarant=trader)
                if rng.random() < 0.06:  # a typing mistake: net mass above gross
                    decl.items[0].net_mass = (decl.items[0].gross_mass or Decimal(1)) * 2
                if rng.random() < 0.2:
                    body = write_cusdec(decl, sender=trader, recipient="CLEARWAY",
                                        reference=f"{n:08d}", prepared_at=ctx.clock.now())
                    media = "application/edifact"
                else:
                    body, media = decl.model_dump_json(exclude_none=True), "application/json"
            try:
                answer = client.post("/api/v1/declarations", content=body,
                                     headers={**headers, "Content-Type": media})
                mrn = answer.json().get("mrn") if answer.status_code == 201 else None
                staff = {"Authorization": f"Bearer {officer}"}
                if mrn and rng.random() < 0.7:
                    action = "release" if rng.random() < 0.8 else "start-control"
                    client.post(f"/api/v1/declarations/{mrn}/actions/{action}", json={},
                                headers=staff)
                if n % 4 == 0:  # officers finish the oldest control in progress
                    waiting = client.get("/api/v1/declarations", headers=staff,
                                         params={"status": "under_control", "limit": 50})
                    items = waiting.json().get("items", [])
                    if items:
                        client.post(f"/api/v1/declarations/{items[-1]['mrn']}/actions/release",
                                    json={}, headers=staff)
            except httpx.HTTPError:
                time.sleep(1)


def run_demo(*, host: str, port: int, rate: float) -> None:
    path = Path(os.environ.get("CLEARWAY_DEMO_DB", "var/demo.db"))
    ctx = fresh_context(path)
    ref = ctx.refdata.get()
    today = ctx.clock.now().date()
    traders = [r["id"] for r in ref.rows("traders")
               if r["country"] == ctx.settings.country_code and ref.trader(r["id"], today)][:3]
    tokens = create_demo_users(ctx, traders)
    base = f"http://{host}:{port}"
    table = Table("user", "trader", "token", title="Demo users (sign in with a token)")
    for name, (token, trader) in tokens.items():
        table.add_row(name, trader or "", token)
    console.print(table)
    console.print(f"Console: [bold]{base}/console[/bold]   API docs: {base}/api/docs")
    console.print(f"Database: {path} (SQLite); feeding about {rate} declarations/s. Ctrl-C stops.")
    app = create_app(ctx)
    attach_dispatcher(app, ctx)
    stop = threading.Event()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    feeder = threading.Thread(target=_feed_when_up, args=(server, base, ctx, tokens, rate, stop),
                              daemon=True)
    feeder.start()
    try:
        server.run()
    finally:
        stop.set()


def _feed_when_up(server: uvicorn.Server, base: str, ctx: Context,
                  tokens: dict[str, tuple[str, str | None]], rate: float,
                  stop: threading.Event) -> None:
    while not server.started and not stop.is_set():
        time.sleep(0.1)
    feed(base, ctx, tokens, rate, stop)
