"""`make demo`: a fresh live system with users, weeks of history, a trained risk model, the
risk rooms' knowledge, a stream of declarations and officers following the risk decisions."""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from clearway.app import create_app
from clearway.audit.heartbeat import attach_witness
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.demo.feed import Users, feed
from clearway.demo.history import SeedSummary, seed_history
from clearway.demo.knowledge import load_demo_knowledge
from clearway.demo.region import PARTNERS, Side, connect, past_export, pseudonym_keys
from clearway.demo.region_feed import RegionFeed
from clearway.demo.staff import DemoStaff, prepare_staff
from clearway.exchange.delivery import attach_delivery
from clearway.integrity import service as integrity
from clearway.notifications.dispatcher import attach_dispatcher
from clearway.ops.sweeps import attach_sweeps
from clearway.risk.learning.training import TrainingError
from clearway.users.service import create_user, record_created

console = Console()
STAFF = (("officer", "officer"), ("officer2", "officer"), ("officer3", "officer"),
         ("supervisor", "supervisor"), ("supervisor2", "supervisor"),
         ("analyst", "risk_analyst"), ("auditor", "auditor"), ("admin", "administrator"),
         ("dpo", "data_protection_officer"))
DEMO_TRADERS = 5
HISTORY = int(os.environ.get("CLEARWAY_DEMO_HISTORY", "1500"))  # 0: no history, no model
HISTORY_DAYS = 60
LOOPBACK = "127.0.0.0/8"  # the two demo administrations deliver to each other locally



def fresh_context(path: Path, country: str | None = None, **settings: Any) -> Context:
    """A new demo database, and an empty model registry beside it (var/demo-models)."""
    from clearway import bootstrap

    for suffix in ("", "-wal", "-shm", ".audit-witness"):  # the witness goes with it
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    models = path.parent / f"{path.stem}-models"
    shutil.rmtree(models, ignore_errors=True)
    ctx = build_context(Settings(
        database_url=f"sqlite:///{path}", environment="development",
        country_code=country or os.environ.get("CLEARWAY_COUNTRY_CODE", "RS"),
        model_dir=str(models), **settings))
    bootstrap.prepare(ctx)
    return ctx


def create_demo_users(ctx: Context, traders: list[str]) -> Users:
    """name -> (token, trader id, user). Staff users of every role, and one per trader."""
    tokens: Users = {}
    with ctx.uow() as uow:
        wanted: list[tuple[str, str, str | None]] = [(name, role, None) for name, role in STAFF]
        wanted += [(f"trader{i + 1}", "trader", t) for i, t in enumerate(traders)]
        for name, role, trader in wanted:
            user, token = create_user(uow.session, name=name, role=role, trader_id=trader,
                                      now=ctx.clock.now(), ttl_days=30)
            record_created(uow.session, user, actor="administrator:demo", now=ctx.clock.now())
            tokens[name] = (token, trader, user)
        uow.commit()
    return tokens


def open_demo_case(ctx: Context, tokens: Users) -> str:
    """One case in the integrity register, as an auditor would open it from an indicator."""
    case = integrity.open_case(
        ctx, allegation="abuse_of_discretion", source="indicator", office="RS001002",
        officer_id=tokens["officer3"][2].id, user=tokens["auditor"][2],
        description="Share of overridden selections far above the office's average")
    return case.reference


def seed(ctx: Context, traders: list[str], count: int, staff: DemoStaff) -> SeedSummary | None:
    """The demo's past, with a progress bar; None when no history is wanted."""
    if count <= 0:
        return None
    columns = (TextColumn("Seeding history"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("seed", total=count)
        try:
            summary = seed_history(ctx, traders, declarations=count, staff=staff,
                                   days=HISTORY_DAYS, on_progress=lambda done,
                                   total: progress.update(task, completed=done))
        except TrainingError as exc:
            console.print(f"[yellow]No risk model[/yellow]: {exc}")
            return None
    table = Table("history (60 days)", "", title="Seeded history")
    table.add_row("declarations", f"{summary.lodged} ({summary.rejected} rejected)")
    table.add_row("channels", ", ".join(f"{k} {v}" for k, v in summary.channels.most_common()))
    table.add_row("controls", f"{summary.controls} ({summary.irregular} irregular, "
                  f"{summary.waiting} tasks waiting for an officer)")
    table.add_row("valuation references", str(summary.references))
    if summary.model is not None:
        auc = summary.model.metrics.get("roc_auc")
        table.add_row("risk model", f"{summary.model.version} (active, holdout ROC-AUC "
                      f"{'-' if auc is None else f'{auc:.3f}'})")
    console.print(table)
    return summary


def prepare_side(path: Path, history: int, country: str | None = None,
                 **settings: Any) -> Side:
    """One administration of the demo: database, users, risk rooms, staff, history."""
    ctx = fresh_context(path, country, **settings)
    ref = ctx.refdata.get()
    today = ctx.clock.now().date()
    code = ctx.settings.country_code
    console.rule(f"Administration {code}")
    traders = [r["id"] for r in ref.rows("traders") if r["country"] == code
               and ref.trader(r["id"], today)][:DEMO_TRADERS]
    tokens = create_demo_users(ctx, traders)
    known = load_demo_knowledge(ctx)
    console.print(f"Risk rooms: {known.profiles} profiles active, {known.ipr_applications} IPR "
                  f"applications, {known.screening_entries} restricted parties, "
                  f"{known.budgets} capacity budgets")
    staff = prepare_staff(ctx, {name: user for name, (_t, _tr, user) in tokens.items()},
                          days=HISTORY_DAYS)
    seed(ctx, traders, history, staff)
    if "officer3" in tokens and code == "RS":
        console.print(f"Integrity register: case {open_demo_case(ctx, tokens)} opened")
    ctx.risk.get()  # build the engine's knowledge (and the model's snapshot) before serving
    return Side(code, ctx, tokens, "", traders)


def run_demo(*, host: str, port: int, rate: float) -> None:
    path = Path(os.environ.get("CLEARWAY_DEMO_DB", "var/demo.db"))
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = pseudonym_keys(path.parent)
    home = prepare_side(path, HISTORY, pseudonym_keys_file=str(keys),
                        webhook_allowed_networks=LOOPBACK)
    home.url = f"http://{host}:{port}"
    sides = {home.code: home}
    neighbour = PARTNERS.get(home.code)
    if neighbour and os.environ.get("CLEARWAY_DEMO_PARTNER", "1") != "0":
        partner = prepare_side(path.with_name(f"{path.stem}-{neighbour.lower()}.db"),
                               HISTORY // 3, neighbour, pseudonym_keys_file=str(keys),
                               webhook_allowed_networks=LOOPBACK,
                               secret_key=f"{home.ctx.settings.secret_key}:{neighbour}")
        partner.url = f"http://{host}:{port + 1}"
        sides[neighbour] = partner
        connect(home, partner)
        past = past_export(home, partner)
        console.print(f"Region: {home.code} and {neighbour} connected under the example "
                      f"agreement; export {past or '(none released)'} left 30 hours ago and "
                      "never arrived")
    stop = threading.Event()
    servers = {code: _server(side, host, port + i) for i, (code, side) in
               enumerate(sides.items())}
    for side in sides.values():
        _print_side(side)
    console.print(f"Feeding about {rate} declarations/s"
                  + (", and trade across the border" if len(sides) > 1 else "")
                  + ". Ctrl-C stops.")
    threads = [threading.Thread(target=servers[code].run, daemon=True, name=f"demo-{code}")
               for code in sides if code != home.code]
    for thread in threads:
        thread.start()
    feeder = threading.Thread(target=_feed_when_up, args=(servers, sides, home, rate, stop),
                              daemon=True)
    feeder.start()
    try:
        servers[home.code].run()
    finally:
        stop.set()
        for server in servers.values():
            server.should_exit = True


def _print_side(side: Side) -> None:
    table = Table("user", "trader", "token",
                  title=f"{side.code}: demo users (sign in with a token)")
    for name, (token, trader, _user) in side.users.items():
        table.add_row(name, trader or "", token)
    console.print(table)
    console.print(f"{side.code} console: [bold]{side.url}/console[/bold]   API docs: "
                  f"{side.url}/api/docs   Database: {side.ctx.settings.database_url}")


def _server(side: Side, host: str, port: int) -> uvicorn.Server:
    app = create_app(side.ctx)
    attach_dispatcher(app, side.ctx)
    attach_delivery(app, side.ctx, interval=1.0)
    attach_sweeps(app, side.ctx)
    attach_witness(app, side.ctx)  # last: it wraps the others' lifespan
    return uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))


def _feed_when_up(servers: dict[str, uvicorn.Server], sides: dict[str, Side], home: Side,
                  rate: float, stop: threading.Event) -> None:
    while not all(server.started for server in servers.values()) and not stop.is_set():
        time.sleep(0.1)
    if len(sides) > 1:
        region = RegionFeed(sides, random.Random(2027), stop)
        threading.Thread(target=region.run, daemon=True, name="demo-region").start()
    feed(home.url, home.ctx, home.users, rate, stop)
