"""`make demo`: a fresh live system with users, weeks of history, a trained risk model, the
risk rooms' knowledge, a stream of declarations and officers following the risk decisions."""

from __future__ import annotations

import heapq
import os
import random
import shutil
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from clearway.app import create_app
from clearway.config import Settings
from clearway.context import Context
from clearway.demo.generator import DeclarationGenerator
from clearway.demo.history import SeedSummary, seed_history
from clearway.demo.knowledge import load_demo_knowledge
from clearway.demo.outcomes import control_outcome
from clearway.notifications.dispatcher import attach_dispatcher
from clearway.risk.training import TrainingError
from clearway.users.service import create_user

console = Console()
STAFF = (("officer", "officer"), ("supervisor", "supervisor"), ("analyst", "risk_analyst"),
         ("auditor", "auditor"), ("admin", "administrator"))
DEMO_TRADERS = 5
HISTORY = int(os.environ.get("CLEARWAY_DEMO_HISTORY", "1500"))  # 0: no history, no model
CONTROL_SECONDS = (5.0, 45.0)  # how long a live control takes before its outcome is recorded


def fresh_context(path: Path) -> Context:
    """A new demo database, and an empty model registry beside it (var/demo-models)."""
    from clearway import bootstrap

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    models = path.parent / "demo-models"
    shutil.rmtree(models, ignore_errors=True)
    settings = Settings(database_url=f"sqlite:///{path}", environment="development",
                        country_code=os.environ.get("CLEARWAY_COUNTRY_CODE", "RS"),
                        model_dir=str(models))
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
    with mistakes (so rejections show too). Green and blue declarations are released by the
    engine; officers control the red and yellow ones and record what they found."""
    from clearway.declarations.formats.edifact_writer import write_cusdec

    rng = random.Random(seed)
    ref = ctx.refdata.get()
    gen = DeclarationGenerator(ref, rng, ctx.clock.now().date(), ctx.settings.country_code)
    traders = [(tok, tid) for tok, tid in tokens.values() if tid]
    staff = {"Authorization": f"Bearer {tokens['officer'][0]}"}
    controls: list[tuple[float, str, str, Decimal]] = []  # (due, mrn, outcome, revenue)
    with httpx.Client(base_url=base, timeout=30) as client:
        n = 0
        while not stop.wait(rng.expovariate(rate)):
            n += 1
            token, trader = rng.choice(traders)
            headers = {"Authorization": f"Bearer {token}"}
            lrn = f"DEMO-{trader}-{n:06d}"
            doc: Any
            if rng.random() < 0.1:
                doc = gen.entry_summary(lrn, declarant=trader)
                body, media = doc.model_dump_json(exclude_none=True), "application/json"
            else:
                doc = gen.declaration(lrn, declarant=trader)
                if rng.random() < 0.06:  # a typing mistake: net mass above gross
                    doc.items[0].net_mass = (doc.items[0].gross_mass or Decimal(1)) * 2
                if rng.random() < 0.2:
                    body = write_cusdec(doc, sender=trader, recipient="CLEARWAY",
                                        reference=f"{n:08d}", prepared_at=ctx.clock.now())
                    media = "application/edifact"
                else:
                    body, media = doc.model_dump_json(exclude_none=True), "application/json"
            try:
                answer = client.post("/api/v1/declarations", content=body,
                                     headers={**headers, "Content-Type": media})
                lodged = answer.json() if answer.status_code == 201 else {}
                if lodged.get("status") == "risk_assessed":  # red or yellow: not released
                    control = _start_control(client, staff, lodged["mrn"])
                    if control:
                        outcome, revenue = control_outcome(doc, ref, rng)
                        due = time.monotonic() + rng.uniform(*CONTROL_SECONDS)
                        heapq.heappush(controls, (due, lodged["mrn"], outcome, revenue))
                _finish_controls(client, staff, controls)
            except (httpx.HTTPError, ValueError):
                time.sleep(1)


def _start_control(client: httpx.Client, staff: dict[str, str], mrn: str) -> bool:
    """An officer opens the decision and starts the control it asks for."""
    decision = client.get(f"/api/v1/declarations/{mrn}/decision", headers=staff)
    if decision.status_code != 200 or decision.json().get("channel") not in ("red", "yellow"):
        return False
    started = client.post(f"/api/v1/declarations/{mrn}/actions/start-control", json={},
                          headers=staff)
    return started.status_code == 200


def _finish_controls(client: httpx.Client, staff: dict[str, str],
                     controls: list[tuple[float, str, str, Decimal]]) -> None:
    """Controls whose time is up end with their outcome (and the revenue found)."""
    while controls and controls[0][0] <= time.monotonic():
        _due, mrn, outcome, revenue = heapq.heappop(controls)
        client.post(f"/api/v1/declarations/{mrn}/actions/release", headers=staff,
                    json={"outcome": outcome, "revenue": str(revenue)})


def seed(ctx: Context, traders: list[str], count: int) -> SeedSummary | None:
    """The demo's past, with a progress bar; None when no history is wanted."""
    if count <= 0:
        return None
    columns = (TextColumn("Seeding history"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("seed", total=count)
        try:
            summary = seed_history(ctx, traders, declarations=count, on_progress=lambda done,
                                   total: progress.update(task, completed=done))
        except TrainingError as exc:
            console.print(f"[yellow]No risk model[/yellow]: {exc}")
            return None
    table = Table("history (60 days)", "", title="Seeded history")
    table.add_row("declarations", f"{summary.lodged} ({summary.rejected} rejected)")
    table.add_row("channels", ", ".join(f"{k} {v}" for k, v in summary.channels.most_common()))
    table.add_row("controls", f"{summary.controls} ({summary.irregular} irregular)")
    table.add_row("valuation references", str(summary.references))
    if summary.model is not None:
        auc = summary.model.metrics.get("roc_auc")
        table.add_row("risk model", f"{summary.model.version} (active, holdout ROC-AUC "
                      f"{'-' if auc is None else f'{auc:.3f}'})")
    console.print(table)
    return summary


def run_demo(*, host: str, port: int, rate: float) -> None:
    path = Path(os.environ.get("CLEARWAY_DEMO_DB", "var/demo.db"))
    ctx = fresh_context(path)
    ref = ctx.refdata.get()
    today = ctx.clock.now().date()
    traders = [r["id"] for r in ref.rows("traders") if r["country"] == ctx.settings.country_code
               and ref.trader(r["id"], today)][:DEMO_TRADERS]
    tokens = create_demo_users(ctx, traders)
    known = load_demo_knowledge(ctx)
    console.print(f"Risk rooms: {known.profiles} profiles active, {known.ipr_applications} IPR "
                  f"applications, {known.screening_entries} restricted parties, "
                  f"{known.budgets} capacity budgets")
    seed(ctx, traders, HISTORY)
    ctx.risk.get()  # build the engine's knowledge (and the model's snapshot) before serving
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
