"""The demo's past: weeks of declarations, controls and their outcomes, then a model.

`seed_history` lodges declarations spread over the last `days` days through the real use case
(`declarations.service.submit`, so each gets its risk decision in its acceptance transaction),
with the context's clock set back to each lodging time. Officers then control the declarations
the engine sent red or yellow, and a sample of the others, and record what they found (the
hidden rule of `demo.outcomes`); the rest are released. From those outcomes the valuation
references are rebuilt and a risk model is trained on the label store and promoted, so live
decisions carry model scores and explanations from the first declaration on.
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

from clearway.clock import FixedClock
from clearway.context import Context
from clearway.declarations.service import officer_action, submit
from clearway.demo.generator import DeclarationGenerator
from clearway.demo.outcomes import control_outcome
from clearway.risk import repository as risk_repo
from clearway.risk.decision import Channel
from clearway.risk.registry import ModelRecord
from clearway.risk.training import train_on_store
from clearway.users.model import Role, User
from clearway.valuation import service as valuation

# Officers control every red and yellow declaration, and a sample of the others (post-
# clearance audits, spot checks), so the label store also learns from unselected goods.
SPOT_CHECKS = 0.2  # share of green declarations controlled; blue ones, twice as many
ENS_SHARE = 0.08
DAY_WEIGHT = (1.0, 1.0, 1.0, 1.0, 0.9, 0.3, 0.1)  # Monday .. Sunday
OPENS, HOURS = time(7), 11  # lodgings between 07:00 and 18:00 UTC
OFFICER = User(id=0, name="seed", role=Role.OFFICER, trader_id=None)
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
    model: ModelRecord | None = None


@dataclass(order=True)
class _Step:
    at: datetime
    order: int
    action: str = field(compare=False)  # lodge | start-control | release
    mrn: str = field(default="", compare=False)
    outcome: str | None = field(default=None, compare=False)
    revenue: Decimal | None = field(default=None, compare=False)


def lodging_times(rng: random.Random, end: datetime, days: int, count: int) -> list[datetime]:
    """`count` working-hour times on the `days` days before `end`'s day, fewer at weekends."""
    first = end.date() - timedelta(days=days)
    dates = [first + timedelta(days=i) for i in range(days)]
    chosen = rng.choices(dates, [DAY_WEIGHT[d.weekday()] for d in dates], k=count)
    return sorted(datetime.combine(d, OPENS, UTC) + timedelta(seconds=rng.uniform(0, HOURS * 3600))
                  for d in chosen)


def seed_history(ctx: Context, traders: Sequence[str], *, declarations: int = 2000,
                 days: int = 60, seed: int = 2026, registry_dir: str | Path | None = None,
                 min_labels: int = 200, train: bool = True, spot_checks: float = SPOT_CHECKS,
                 on_progress: Progress | None = None) -> SeedSummary:
    """Lodge, decide, control and release `declarations` over the `days` days before the
    context's clock; rebuild the valuation references; train and promote a model (in
    `registry_dir`, default the settings' model directory) unless `train` is False."""
    rng = random.Random(seed)
    end = ctx.clock.now()
    shares = {Channel.RED: 1.0, Channel.YELLOW: 1.0, Channel.BLUE: min(1.0, 2 * spot_checks),
              Channel.GREEN: spot_checks}
    summary = SeedSummary()
    live_clock, auto_release = ctx.clock, ctx.settings.auto_release
    clock = FixedClock(end)
    ctx.clock = clock
    ctx.settings.auto_release = False  # officers release what they do not control
    try:
        _play(ctx, clock, rng, traders, lodging_times(rng, end, days, declarations), end,
              shares, summary, on_progress)
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


def _play(ctx: Context, clock: FixedClock, rng: random.Random, traders: Sequence[str],
          times: list[datetime], end: datetime, shares: dict[Channel, float],
          summary: SeedSummary, on_progress: Progress | None) -> None:
    """Run lodgings and officers' actions in time order (a control ends hours after it
    starts, while other declarations keep coming)."""
    ref = ctx.refdata.get()
    gen = DeclarationGenerator(ref, rng, (times[0] if times else end).date(),
                               ctx.settings.country_code)
    users = {t: User(id=0, name=t, role=Role.TRADER, trader_id=t) for t in traders}
    steps = [_Step(at, n, "lodge") for n, at in enumerate(times)]
    heapq.heapify(steps)
    order = len(steps)

    def later(at: datetime, action: str, mrn: str, outcome: str | None = None,
              revenue: Decimal | None = None) -> None:
        nonlocal order
        order += 1
        heapq.heappush(steps, _Step(min(at, end), order, action, mrn, outcome, revenue))

    while steps:
        step = heapq.heappop(steps)
        clock.at = step.at
        if step.action != "lodge":
            officer_action(ctx, step.mrn, step.action, None, OFFICER, outcome=step.outcome,
                           revenue=step.revenue)
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
        if out.status_code != 201 or out.row.mrn is None:
            summary.rejected += 1
            continue
        summary.lodged += 1
        mrn, channel = out.row.mrn, _channel(ctx, out.row.id)
        summary.channels[str(channel)] += 1
        if rng.random() < shares[channel]:
            outcome, revenue = control_outcome(doc, ref, rng)
            start = step.at + timedelta(minutes=rng.uniform(10, 120))
            later(start, "start-control", mrn)
            later(start + timedelta(hours=rng.uniform(1, 20)), "release", mrn, outcome, revenue)
            summary.controls += 1
            summary.irregular += outcome == "irregular"
        else:
            later(step.at + timedelta(minutes=rng.uniform(2, 30)), "release", mrn)


def _channel(ctx: Context, declaration_id: int) -> Channel:
    with ctx.uow(read_only=True) as uow:
        found = risk_repo.get_decision(uow.session, declaration_id)
        assert found is not None, "an accepted declaration always has a risk decision"
        return Channel(found.channel)
