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
from clearway.audit.heartbeat import attach_witness
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.demo.generator import DeclarationGenerator
from clearway.demo.history import SeedSummary, result_of, seed_history
from clearway.demo.knowledge import load_demo_knowledge
from clearway.demo.outcomes import control_outcome
from clearway.demo.staff import OFFICERS, DemoStaff, prepare_staff
from clearway.identity import User
from clearway.integrity import service as integrity
from clearway.notifications.dispatcher import attach_dispatcher
from clearway.risk.learning.training import TrainingError
from clearway.users.service import create_user, record_created

console = Console()
STAFF = (("officer", "officer"), ("officer2", "officer"), ("officer3", "officer"),
         ("supervisor", "supervisor"), ("supervisor2", "supervisor"),
         ("analyst", "risk_analyst"), ("auditor", "auditor"), ("admin", "administrator"))
DEMO_TRADERS = 5
HISTORY = int(os.environ.get("CLEARWAY_DEMO_HISTORY", "1500"))  # 0: no history, no model
CONTROL_SECONDS = (5.0, 45.0)  # how long a live control takes before its outcome is recorded
OVERRIDE_SHARE = 0.05  # selected declarations a supervisor asks to waive (another approves)
HISTORY_DAYS = 60
Users = dict[str, tuple[str, str | None, User]]


def fresh_context(path: Path) -> Context:
    """A new demo database, and an empty model registry beside it (var/demo-models)."""
    from clearway import bootstrap

    for suffix in ("", "-wal", "-shm", ".audit-witness"):  # the witness goes with it
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    models = path.parent / "demo-models"
    shutil.rmtree(models, ignore_errors=True)
    settings = Settings(database_url=f"sqlite:///{path}", environment="development",
                        country_code=os.environ.get("CLEARWAY_COUNTRY_CODE", "RS"),
                        model_dir=str(models))
    ctx = build_context(settings)
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


def feed(base: str, ctx: Context, tokens: Users, rate: float, stop: threading.Event,
         seed: int = 2026) -> None:
    """Lodge declarations over HTTP like traders would: mostly JSON, some EDIFACT, a few
    with mistakes (so rejections show too). Green and blue declarations are released by the
    engine; the demo officers work the control tasks assigned to them (start, then the
    result the hidden rule says), and now and then a supervisor asks to waive a control and
    the other supervisor approves (four eyes)."""
    from clearway.declarations.formats.edifact_writer import write_cusdec

    rng = random.Random(seed)
    ref = ctx.refdata.get()
    gen = DeclarationGenerator(ref, rng, ctx.clock.now().date(), ctx.settings.country_code)
    traders = [(tok, tid) for tok, tid, _user in tokens.values() if tid]
    auth = {name: {"Authorization": f"Bearer {tok}"} for name, (tok, _t, _u) in tokens.items()}
    officers = {name: auth[name] for name in OFFICERS if name in auth}
    selected: dict[str, Any] = {}  # mrn -> the document, for the hidden rule
    controls: list[tuple[float, int, str, dict[str, Any]]] = []  # (due, task, officer, result)
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
                    selected[lodged["mrn"]] = doc
                    if rng.random() < OVERRIDE_SHARE:
                        _four_eyes_waiver(client, auth, lodged["mrn"])
                _work_tasks(client, officers, selected, controls, ref, rng)
                _finish_controls(client, officers, controls)
            except (httpx.HTTPError, ValueError, KeyError):
                time.sleep(1)


def _four_eyes_waiver(client: httpx.Client, auth: dict[str, dict[str, str]], mrn: str) -> None:
    asked = client.post(f"/api/v1/declarations/{mrn}/overrides", headers=auth["supervisor"],
                        json={"kind": "waiver", "reason": "Same goods and seals as the "
                              "consignment controlled this morning"})
    if asked.status_code == 201:
        client.post(f"/api/v1/overrides/{asked.json()['id']}/approve",
                    headers=auth["supervisor2"], json={"note": "agreed"})


def _work_tasks(client: httpx.Client, officers: dict[str, dict[str, str]],
                selected: dict[str, Any], controls: list[tuple[float, int, str, dict[str, Any]]],
                ref: Any, rng: random.Random) -> None:
    """Each officer starts the tasks assigned to them; the result comes when time is up."""
    for name, headers in officers.items():
        waiting = client.get("/api/v1/controls/tasks", params={"status": "assigned"},
                             headers=headers)
        for task in waiting.json() if waiting.status_code == 200 else []:
            if client.post(f"/api/v1/controls/tasks/{task['id']}/start",
                           headers=headers).status_code != 200:
                continue
            doc = selected.pop(task["declaration"], None)
            outcome, revenue = (control_outcome(doc, ref, rng) if doc is not None
                                else ("regular", Decimal(0)))
            result = result_of(outcome, revenue, audit=task["kind"] == "audit")
            body = {"outcome": result.outcome, "action": result.action,
                    "irregularities": list(result.irregularities),
                    "revenue": None if result.revenue is None else str(result.revenue)}
            due = time.monotonic() + rng.uniform(*CONTROL_SECONDS)
            heapq.heappush(controls, (due, task["id"], name, body))


def _finish_controls(client: httpx.Client, officers: dict[str, dict[str, str]],
                     controls: list[tuple[float, int, str, dict[str, Any]]]) -> None:
    """Controls whose time is up end with their result (and the revenue found)."""
    while controls and controls[0][0] <= time.monotonic():
        _due, task, name, body = heapq.heappop(controls)
        client.post(f"/api/v1/controls/tasks/{task}/result", headers=officers[name],
                    json=body)


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
    staff = prepare_staff(ctx, {name: user for name, (_t, _tr, user) in tokens.items()},
                          days=HISTORY_DAYS)
    seed(ctx, traders, HISTORY, staff)
    console.print(f"Integrity register: case {open_demo_case(ctx, tokens)} opened")
    ctx.risk.get()  # build the engine's knowledge (and the model's snapshot) before serving
    base = f"http://{host}:{port}"
    table = Table("user", "trader", "token", title="Demo users (sign in with a token)")
    for name, (token, trader, _user) in tokens.items():
        table.add_row(name, trader or "", token)
    console.print(table)
    console.print(f"Console: [bold]{base}/console[/bold]   API docs: {base}/api/docs")
    console.print(f"Database: {path} (SQLite); feeding about {rate} declarations/s. Ctrl-C stops.")
    app = create_app(ctx)
    attach_dispatcher(app, ctx)
    attach_witness(app, ctx)  # after: it wraps the dispatcher's lifespan
    stop = threading.Event()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    feeder = threading.Thread(target=_feed_when_up, args=(server, base, ctx, tokens, rate, stop),
                              daemon=True)
    feeder.start()
    try:
        server.run()
    finally:
        stop.set()


def _feed_when_up(server: uvicorn.Server, base: str, ctx: Context, tokens: Users, rate: float,
                  stop: threading.Event) -> None:
    while not server.started and not stop.is_set():
        time.sleep(0.1)
    feed(base, ctx, tokens, rate, stop)
