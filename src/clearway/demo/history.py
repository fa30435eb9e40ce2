"""The demo's past: weeks of declarations, controls and their outcomes, then a model.

`seed_history` lodges declarations spread over the last `days` days through the real use case
(`clearance.lodging.submit`, so each gets its risk decision in its acceptance transaction),
with the context's clock set back to each lodging time. The demo officers (`demo.staff`:
trained, on duty) then work the control tasks the decisions assigned to them (start, result
with what the hidden rule of `demo.outcomes` finds, release or detain), audit the released
blue ones, and spot-check a sample of the green ones; the rest are released. So the label
store, profile effectiveness, KPIs and integrity indicators start with data. From those
outcomes the valuation references are rebuilt and a risk model is trained on the label
store and promoted, so live decisions carry model scores and explanations from the first
declaration on.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from clearway.clearance import control_work
from clearway.clearance.lodging import submit
from clearway.clearance.officer_actions import officer_action
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.controls.model import ControlResult
from clearway.demo import agency_history
from clearway.demo.generator import DeclarationGenerator
from clearway.demo.outcomes import control_outcome
from clearway.demo.staff import OFFICERS, SUPERVISORS, DemoStaff, prepare_staff
from clearway.errors import ClearwayError
from clearway.identity import Role, User
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Channel
from clearway.risk.learning.registry import ModelRecord
from clearway.risk.learning.training import train_on_store
from clearway.storage.orm import UserRow
from clearway.storage.orm_controls import ControlTaskRow
from clearway.users.service import create_user, record_created
from clearway.valuation import service as valuation

# Officers control every red and yellow declaration, and a sample of the others (post-
# clearance audits, spot checks), so the label store also learns from unselected goods.
SPOT_CHECKS = 0.4  # share of green declarations spot-checked (blue ones are all audited)
ENS_SHARE = 0.08
DAY_WEIGHT = (1.0, 1.0, 1.0, 1.0, 0.9, 0.3, 0.1)  # Monday .. Sunday
OPENS, HOURS = time(7), 11  # lodgings between 07:00 and 18:00 UTC
# Boosting rounds of the demo model: early stopping on the few latest days of a small label
# store stops after a few dozen rounds, and the model barely leaves the prior.
ROUNDS = 300
Progress = Callable[[int, int], None]


@dataclass
class SeedSummary:
    lodged: int = 0
    rejected: int = 0
    controls: int = 0
    irregular: int = 0
    channels: Counter[str] = field(default_factory=Counter)
    references: int = 0
    waiting: int = 0  # tasks nobody on duty could take
    agency_tasks: int = 0  # kept by the agencies for an officer, who decided them
    model: ModelRecord | None = None


@dataclass(order=True)
class _Step:
    at: datetime
    order: int
    # lodge | start-control | release | start | result | agency
    action: str = field(compare=False)
    mrn: str = field(default="", compare=False)
    outcome: str | None = field(default=None, compare=False)
    revenue: Decimal | None = field(default=None, compare=False)
    officer: User | None = field(default=None, compare=False)
    task: int = field(default=0, compare=False)
    audit: bool = field(default=False, compare=False)
    decision: str | None = field(default=None, compare=False)   # an agency's


def lodging_times(rng: random.Random, end: datetime, days: int, count: int) -> list[datetime]:
    """`count` working-hour times on the `days` days before `end`'s day, fewer at weekends."""
    first = end.date() - timedelta(days=days)
    dates = [first + timedelta(days=i) for i in range(days)]
    chosen = rng.choices(dates, [DAY_WEIGHT[d.weekday()] for d in dates], k=count)
    return sorted(datetime.combine(d, OPENS, UTC) + timedelta(seconds=rng.uniform(0, HOURS * 3600))
                  for d in chosen)


def demo_staff(ctx: Context, *, days: int) -> DemoStaff:
    """The demo's officers and supervisors (created when missing), trained and on duty."""
    users: dict[str, User] = {}
    with ctx.uow() as uow:
        for name in (*OFFICERS, *SUPERVISORS):
            role = "officer" if name in OFFICERS else "supervisor"
            found = uow.session.execute(select(UserRow).where(UserRow.name == name)
                                        ).scalar_one_or_none()
            if found is not None:
                users[name] = User(id=found.id, name=name, role=Role(found.role), trader_id=None)
                continue
            users[name] = create_user(uow.session, name=name, role=role, trader_id=None,
                                      now=ctx.clock.now(), ttl_days=30)[0]
            record_created(uow.session, users[name], actor="administrator:demo",
                           now=ctx.clock.now())
        uow.commit()
    return prepare_staff(ctx, users, days=days)


def seed_history(ctx: Context, traders: Sequence[str], *, declarations: int = 2000,
                 days: int = 60, seed: int = 2026, registry_dir: str | Path | None = None,
                 min_labels: int = 200, train: bool = True, spot_checks: float = SPOT_CHECKS,
                 staff: DemoStaff | None = None,
                 on_progress: Progress | None = None) -> SeedSummary:
    """Lodge, decide, control and release `declarations` over the `days` days before the
    context's clock, the controls worked by `staff` (default: `demo_staff`); rebuild the
    valuation references; train and promote a model (in `registry_dir`, default the
    settings' model directory) unless `train` is False."""
    rng = random.Random(seed)
    end = ctx.clock.now()
    team = staff or demo_staff(ctx, days=days)
    summary = SeedSummary()
    live_clock, auto_release = ctx.clock, ctx.settings.auto_release
    clock = FixedClock(end)
    ctx.clock = clock
    ctx.settings.auto_release = False  # officers release what they do not control
    try:
        _play(ctx, clock, rng, traders, lodging_times(rng, end, days, declarations), end,
              spot_checks, team.officers, summary, on_progress)
    finally:
        ctx.clock, ctx.settings.auto_release = live_clock, auto_release
    rebuilt = valuation.rebuild(ctx, start=end.date() - timedelta(days=days), end=end.date(),
                                actor="demo")
    summary.references = rebuilt.references
    if train:
        summary.model = train_on_store(ctx, registry_dir or ctx.settings.model_dir,
                                       promote=True, seed=seed, rounds=ROUNDS,
                                       min_labels=min_labels)
    return summary


def result_of(outcome: str, revenue: Decimal, *, audit: bool) -> ControlResult:
    """The officer's report: irregular goods with revenue assessed are released once it is
    assessed, irregular ones without (prohibited, false description) are detained; an audit
    only records (its goods left long ago)."""
    if outcome != "irregular":
        return ControlResult(outcome="regular", action="release")
    kinds = ("undervaluation",) if revenue else ("false_description",)
    return ControlResult(outcome="irregular", irregularities=kinds, revenue=revenue,
                         action="release" if audit or revenue else "detain")


def _play(ctx: Context, clock: FixedClock, rng: random.Random, traders: Sequence[str],
          times: list[datetime], end: datetime, spot_checks: float, officers: list[User],
          summary: SeedSummary, on_progress: Progress | None) -> None:
    """Run lodgings and officers' work in time order (a control ends hours after it
    starts, while other declarations keep coming)."""
    ref = ctx.refdata.get()
    gen = DeclarationGenerator(ref, rng, (times[0] if times else end).date(),
                               ctx.settings.country_code)
    users = {t: User(id=0, name=t, role=Role.TRADER, trader_id=t) for t in traders}
    agencies = agency_history.agency_officers(ctx)
    steps = [_Step(at, n, "lodge") for n, at in enumerate(times)]
    heapq.heapify(steps)
    order = len(steps)

    def later(at: datetime, action: str, **what: Any) -> None:
        nonlocal order
        order += 1
        heapq.heappush(steps, _Step(min(at, end), order, action, **what))

    while steps:
        step = heapq.heappop(steps)
        clock.at = step.at
        if step.action == "agency":
            agency_history.work(ctx, step, agencies)
            continue
        if step.action != "lodge":
            try:
                _work(ctx, step, officers)
            except ClearwayError as exc:  # an agency refused the goods meanwhile: they stay
                if exc.code != "CW-STATE":
                    raise
            continue
        gen.today = step.at.date()
        trader = rng.choice(traders)
        lrn = f"HIST-{step.order + 1:06d}"
        doc = (gen.entry_summary(lrn, declarant=trader) if rng.random() < ENS_SHARE
               else gen.declaration(lrn, declarant=trader))
        out = submit(ctx, doc.model_dump_json(exclude_none=True).encode(), "application/json",
                     users[trader])
        if on_progress is not None:
            on_progress(step.order + 1, len(times))
        if out.kind != "created" or out.row.mrn is None:
            summary.rejected += 1
            continue
        summary.lodged += 1
        summary.channels[str(_channel(ctx, out.row.id))] += 1
        summary.agency_tasks += agency_history.plan(ctx, rng, later, step.at, out.row.id)
        outcome, revenue = control_outcome(doc, ref, rng)
        if _plan(ctx, rng, later, step, out.row.id, out.row.mrn, outcome, revenue,
                 spot_checks, officers, summary):
            summary.controls += 1
            summary.irregular += outcome == "irregular"


def _work(ctx: Context, step: _Step, officers: list[User]) -> None:
    """An officer's step: start a task, record its result, or act on the declaration."""
    if step.action == "start":
        assert step.officer is not None
        control_work.start_task(ctx, step.task, step.officer)
    elif step.action == "result":
        assert step.officer is not None and step.outcome is not None
        control_work.record_result(ctx, step.task, result_of(
            step.outcome, step.revenue or Decimal(0), audit=step.audit), step.officer)
    else:
        officer_action(ctx, step.mrn, step.action, None, step.officer or officers[0],
                       outcome=step.outcome, revenue=step.revenue)


def _plan(ctx: Context, rng: random.Random, later: Callable[..., None], step: _Step,
          declaration_id: int, mrn: str, outcome: str, revenue: Decimal, spot_checks: float,
          officers: list[User], summary: SeedSummary) -> bool:
    """Schedule what happens to a just-lodged declaration; True when it is controlled."""
    task = _task(ctx, declaration_id)
    officer = ({o.id: o for o in officers}.get(task.officer_id or 0)
               if task is not None else None)
    start = step.at + timedelta(minutes=rng.uniform(10, 120))
    if task is not None and officer is None:
        summary.waiting += 1
    elif task is not None and task.kind != "audit":  # yellow, red: held for the control
        later(start, "start", task=task.id, officer=officer)
        later(start + timedelta(hours=rng.uniform(1, 20)), "result", task=task.id,
              officer=officer, outcome=outcome, revenue=revenue)
    elif task is not None:  # blue: released, then audited after clearance
        later(step.at + timedelta(minutes=rng.uniform(2, 30)), "release", mrn=mrn)
        audit_at = step.at + timedelta(days=rng.uniform(1, 5))
        later(audit_at, "start", task=task.id, officer=officer)
        later(audit_at + timedelta(hours=rng.uniform(1, 6)), "result", task=task.id,
              officer=officer, outcome=outcome, revenue=revenue, audit=True)
    elif rng.random() < spot_checks:  # green, spot-checked by an officer (manual task)
        checker = rng.choice(officers)
        later(start, "start-control", mrn=mrn, officer=checker)
        later(start + timedelta(hours=rng.uniform(1, 20)), "release", mrn=mrn,
              officer=checker, outcome=outcome, revenue=revenue)
    else:
        later(step.at + timedelta(minutes=rng.uniform(2, 30)), "release", mrn=mrn)
        return False
    return True


def _task(ctx: Context, declaration_id: int) -> ControlTaskRow | None:
    with ctx.uow(read_only=True) as uow:
        return next(iter(controls_repo.open_tasks_of(uow.session, declaration_id)), None)


def _channel(ctx: Context, declaration_id: int) -> Channel:
    with ctx.uow(read_only=True) as uow:
        found = risk_repo.get_decision(uow.session, declaration_id)
        assert found is not None, "an accepted declaration always has a risk decision"
        return Channel(found.channel)
