"""`make demo`: a fresh live system with users, weeks of history, a trained risk model, the
risk rooms' knowledge, a stream of declarations and officers following the risk decisions."""

from __future__ import annotations

import os
import random
import shutil
import threading
from pathlib import Path
from typing import Any

import uvicorn
from rich.console import Console
from rich.table import Table

from clearway.app import create_app
from clearway.audit.heartbeat import attach_witness
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.demo import agency_stories, prevention
from clearway.demo.agency_history import agency_officers
from clearway.demo.border import seed_border
from clearway.demo.feed import Users, feed
from clearway.demo.history import SeedSummary, seed_history
from clearway.demo.instructions import seed_instructions
from clearway.demo.knowledge import load_demo_knowledge
from clearway.demo.licences import register_demo_licences
from clearway.demo.partnerships import seed_partnerships
from clearway.demo.ports import demo_ports, partner_wanted, reserve_all
from clearway.demo.progress import seed_progress, share_reports
from clearway.demo.region import PARTNERS, Side, connect, past_export, pseudonym_keys
from clearway.demo.region_feed import RegionFeed
from clearway.demo.staff import DemoStaff, prepare_staff
from clearway.demo.startup import (
    ENV_FILE,
    announce,
    logs_to_file,
    seeding_progress,
    write_env_file,
    write_tokens_file,
)
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
         ("dpo", "data_protection_officer"), ("security", "security_officer"),
         ("police", "border_police"))
# The single window's agencies at the demo's border (docs/single-window.md): name, role and
# the agency's code the user acts for.
AGENCY_STAFF = (("plant-health", "agency_officer", "PH"), ("vet", "agency_officer", "VET"),
                ("dual-use", "agency_officer", "DUL"), ("medicines", "agency_officer", "PHA"),
                ("plant-health-chief", "agency_supervisor", "PH"))
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
        wanted += AGENCY_STAFF
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
    with seeding_progress(console, "Seeding history", count) as on_progress:
        try:
            summary = seed_history(ctx, traders, declarations=count, staff=staff,
                                   days=HISTORY_DAYS, on_progress=on_progress)
        except TrainingError as exc:
            console.print(f"[yellow]No risk model[/yellow]: {exc}")
            return None
    table = Table("history (60 days)", "", title="Seeded history")
    table.add_row("declarations", f"{summary.lodged} ({summary.rejected} rejected)")
    table.add_row("channels", ", ".join(f"{k} {v}" for k, v in summary.channels.most_common()))
    table.add_row("controls", f"{summary.controls} ({summary.irregular} irregular, "
                  f"{summary.waiting} tasks waiting for an officer)")
    table.add_row("agency tasks for officers", str(summary.agency_tasks))
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
    console.print(seed_border(ctx, tokens))  # watch lists and a crossing with a hit
    console.print(f"Risk rooms: {known.profiles} profiles active, {known.ipr_applications} IPR "
                  f"applications, {known.screening_entries} restricted parties, "
                  f"{known.budgets} capacity budgets")
    console.print(f"Licence register: {register_demo_licences(ctx, traders, tokens)}")
    console.print(f"Partnerships with trade: {seed_partnerships(ctx, traders, tokens)}")
    staff = prepare_staff(ctx, {name: user for name, (_t, _tr, user) in tokens.items()},
                          days=HISTORY_DAYS)
    seed(ctx, traders, history, staff)
    console.print(seed_instructions(ctx, tokens))
    console.print(seed_progress(ctx, tokens))  # a conference ahead, the reports to it
    if traders:
        console.print(agency_stories.tell(ctx, traders[0], agency_officers(ctx)))
    console.print(prevention.tell(ctx, traders, tokens))  # a conflict, a rotation warning
    if "officer3" in tokens and code == "RS":
        console.print(f"Integrity register: case {open_demo_case(ctx, tokens)} opened")
    ctx.risk.get()  # build the engine's knowledge (and the model's snapshot) before serving
    return Side(code, ctx, tokens, "", traders)


def run_demo(*, host: str, port: int, rate: float, db: Path | None = None,
             history: int | None = None, stop: threading.Event | None = None,
             log_file: bool = True) -> None:
    """Take the ports (PortTaken before anything is written when one is not free), prepare
    both administrations, write var/clearway.env and var/demo-tokens.txt beside the
    database, serve, feed. Ctrl-C stops it, or `stop` when set (tests). `log_file`: routine
    log lines go to var/demo.log (tests keep the process's logging as it is)."""
    # Absolute: the settings file names it for commands run from anywhere.
    path = (db or Path(os.environ.get("CLEARWAY_DEMO_DB", "var/demo.db"))).resolve()
    code = os.environ.get("CLEARWAY_COUNTRY_CODE", "RS")  # as fresh_context reads it
    neighbour = PARTNERS.get(code) if partner_wanted() else None
    sockets = reserve_all(host, demo_ports(port, neighbour is not None))
    stop = stop or threading.Event()
    # The last demo's settings file goes with its database: until this one listens, the
    # CLI falls back to its defaults rather than half-seeded data.
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / ENV_FILE).unlink(missing_ok=True)
    if log_file:
        logs_to_file(path.parent, Settings())
    try:
        sides = _prepare(path, HISTORY if history is None else history, host, port, neighbour)
        home = sides[0]
        files = (write_tokens_file(path.parent, sides),
                 write_env_file(path.parent, home.ctx.settings,
                                partner=" ".join(f"{s.code} at {s.url}, database "
                                                 f"{s.ctx.settings.database_url}"
                                                 for s in sides[1:]) or None))
        servers = {side.code: _server(side) for side in sides}
        threading.Thread(target=_stop_when_set, args=(stop, servers), daemon=True).start()
        for side, sock in list(zip(sides, sockets, strict=True))[1:]:
            threading.Thread(target=servers[side.code].run, kwargs={"sockets": [sock]},
                             daemon=True, name=f"demo-{side.code}").start()
        threading.Thread(target=_feed_when_up, args=(servers, sides, rate, stop, files),
                         daemon=True).start()
        servers[home.code].run(sockets=[sockets[0]])
    finally:
        stop.set()
        for sock in sockets:
            sock.close()


def _prepare(path: Path, history: int, host: str, port: int,
             neighbour: str | None) -> list[Side]:
    """The home administration, and its neighbour beside it when one runs."""
    keys = pseudonym_keys(path.parent)
    common: dict[str, Any] = {"pseudonym_keys_file": str(keys),
                              "webhook_allowed_networks": LOOPBACK}
    home = prepare_side(path, history, public_url=f"http://{host}:{port}", **common)
    home.url = home.ctx.settings.public_url
    if neighbour is None:
        return [home]
    partner = prepare_side(path.with_name(f"{path.stem}-{neighbour.lower()}.db"),
                           history // 3, neighbour, public_url=f"http://{host}:{port + 1}",
                           secret_key=f"{home.ctx.settings.secret_key}:{neighbour}", **common)
    partner.url = partner.ctx.settings.public_url
    connect(home, partner)
    past = past_export(home, partner)
    console.print(f"Region: {home.code} and {neighbour} connected under the example "
                  f"agreement; export {past or '(none released)'} left 30 hours ago and "
                  "never arrived")
    console.print(share_reports(home, partner))
    return [home, partner]


def _server(side: Side) -> uvicorn.Server:
    app = create_app(side.ctx)
    attach_dispatcher(app, side.ctx)
    attach_delivery(app, side.ctx, interval=1.0)
    attach_sweeps(app, side.ctx)
    attach_witness(app, side.ctx)  # last: it wraps the others' lifespan
    # No access log, and the process's logging left as the CLI set it (log_config=None):
    # per-request lines would bury the tokens printed last.
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                         log_config=None))


def _stop_when_set(stop: threading.Event, servers: dict[str, uvicorn.Server]) -> None:
    stop.wait()
    for server in servers.values():
        server.should_exit = True


def _feed_when_up(servers: dict[str, uvicorn.Server], sides: list[Side], rate: float,
                  stop: threading.Event, files: tuple[Path, Path]) -> None:
    """Once every server listens: the closing lines (tokens, addresses), then the feed."""
    while not all(server.started for server in servers.values()):
        if stop.wait(0.1):
            return
    home = sides[0]
    console.print(f"Feeding about {rate} declarations/s"
                  + (", and trade across the border" if len(sides) > 1 else "")
                  + ". Ctrl-C stops.")
    announce(console, sides, files)
    if len(sides) > 1:
        region = RegionFeed({side.code: side for side in sides}, random.Random(2027), stop)
        threading.Thread(target=region.run, daemon=True, name="demo-region").start()
    feed(home.url, home.ctx, home.users, rate, stop)
