"""Selectivity: from an assessment to a channel, under the office's daily control capacity.

Order of precedence (docs/risk-engine.md):
1. a random draw below `random_share` sends the declaration red and flags it as random, so the
   outcomes of random controls estimate non-compliance without selection bias; AEO status and
   capacity never change that;
2. hard hits (profiles with a minimum channel, screening, IPR, dual-use, ENS) take their channel
   whatever the capacity;
3. otherwise the expected value picks red / yellow / blue / green against the thresholds; when
   the office's budget for that channel is spent, the declaration steps down a channel (never
   below what a hard hit required) and is flagged as capacity-limited.
Every selection, hard, random or soft, uses up one place of its channel's budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from clearway.risk.engine.assess import Assessment, EngineSettings, assessments
from clearway.risk.engine.batch import CHANNELS, AssessmentBatch
from clearway.risk.engine.decision import Channel, Decision, EnsOutcome

STEP_DOWN = {Channel.RED: Channel.YELLOW, Channel.YELLOW: Channel.BLUE,
             Channel.BLUE: Channel.GREEN}
ENS_CHANNEL = {EnsOutcome.RFI: Channel.YELLOW, EnsOutcome.HRS: Channel.RED,
               EnsOutcome.DNL: Channel.RED}


@dataclass
class Capacity:
    """One office's budget for one day: places per channel (absent: unlimited) and use."""

    limits: dict[Channel, int] = field(default_factory=dict)
    used: dict[Channel, int] = field(default_factory=dict)

    def has_room(self, channel: Channel) -> bool:
        limit = self.limits.get(channel)
        return limit is None or self.used.get(channel, 0) < limit

    def take(self, channel: Channel) -> None:
        if channel != Channel.GREEN:
            self.used[channel] = self.used.get(channel, 0) + 1


def soft_channel(expected_value: float, settings: EngineSettings) -> Channel:
    if expected_value >= settings.red_at:
        return Channel.RED
    if expected_value >= settings.yellow_at:
        return Channel.YELLOW
    if expected_value >= settings.blue_at:
        return Channel.BLUE
    return Channel.GREEN


def select(assessment: Assessment, draw: float, capacity: Capacity | None,
           settings: EngineSettings) -> Decision:
    """The channel of one assessment; `draw` is uniform in [0, 1) from the injected RNG."""
    a = assessment
    required = a.required
    if a.ens_outcome in ENS_CHANNEL:
        required = Channel.strongest(required, ENS_CHANNEL[a.ens_outcome])
    random_selected = draw < settings.random_share
    limited = False
    if random_selected:
        channel = Channel.RED
    else:
        channel = Channel.strongest(required, soft_channel(a.expected_value, settings))
        floor = required.rank if required is not None else 0
        while (capacity is not None and channel.rank > floor
               and not capacity.has_room(channel)):
            channel, limited = STEP_DOWN[channel], True
    if capacity is not None:
        capacity.take(channel)
    return _decision(a, channel, random_selected, limited)


def select_all(assessments: list[Assessment], draws: list[float],
               capacities: dict[tuple[str | None, object], Capacity] | None,
               settings: EngineSettings) -> list[Decision]:
    """Batch selectivity in arrival order, exactly as one-by-one decisions would be made."""
    out = []
    for a, draw in zip(assessments, draws, strict=True):
        cap = None
        if capacities is not None:
            cap = capacities.setdefault((a.office, a.day), Capacity())
        out.append(select(a, draw, cap, settings))
    return out


@dataclass(frozen=True)
class DecisionBatch:
    """Decisions of a batch in columns: the assessment frame with `_channel` (rank),
    `random_selected` and `capacity_limited`; `Decision` objects only when asked for."""

    assessed: AssessmentBatch
    frame: pl.DataFrame

    def __len__(self) -> int:
        return self.frame.height

    def channels(self) -> list[Channel]:
        return [CHANNELS[r] for r in self.frame["_channel"]]

    def decisions(self) -> list[Decision]:
        a = self.assessed
        channels = self.frame.select("_channel", "random_selected", "capacity_limited").rows()
        return [_decision(assessment, CHANNELS[rank], rnd, limited)
                for assessment, (rank, rnd, limited) in zip(assessments(a), channels,
                                                             strict=True)]


def _decision(a: Assessment, channel: Channel, random_selected: bool,
              limited: bool) -> Decision:
    return Decision(
        channel=channel, scores=a.scores, fiscal_score=a.fiscal_score,
        security_score=a.security_score, probability=a.probability,
        expected_revenue=a.expected_revenue, expected_value=a.expected_value, hits=a.hits,
        contributions=a.contributions, random_selected=random_selected,
        capacity_limited=limited, aeo=a.aeo, ens_outcome=a.ens_outcome,
        model_version=a.model_version)


def _wanted(settings: EngineSettings) -> tuple[pl.Expr, pl.Expr]:
    """The channel rank before capacity: random draws red, else the stronger of what hard
    hits (and the ENS outcome) require and what the expected value earns."""
    # The same ENS_CHANNEL table `select` uses, by rank.
    ens_channel = pl.col("_ens").replace_strict(
        {o.rank: c.rank for o, c in ENS_CHANNEL.items()}, default=None, return_dtype=pl.Int8)
    floor = pl.max_horizontal(pl.col("_required"), ens_channel).fill_null(0)
    ev = pl.col("expected_value")
    earned = (pl.when(ev >= settings.red_at).then(Channel.RED.rank)
              .when(ev >= settings.yellow_at).then(Channel.YELLOW.rank)
              .when(ev >= settings.blue_at).then(Channel.BLUE.rank).otherwise(0))
    return pl.when(pl.col("random_selected")).then(Channel.RED.rank) \
        .otherwise(pl.max_horizontal(floor, earned)).cast(pl.Int8).alias("_channel"), \
        floor.cast(pl.Int8).alias("_floor")


def select_batch(batch: AssessmentBatch, draws: Sequence[float],
                 capacities: dict[tuple[str | None, object], Capacity] | None,
                 settings: EngineSettings) -> DecisionBatch:
    """`select_all` over columns: the same channels, flags and capacity use, in arrival order.
    Offices without limits are decided at once; the rows of offices with a limit go one by
    one through the same step-down rule as `select`."""
    wanted, floor = _wanted(settings)
    frame = batch.frame.with_columns(
        (pl.Series("draw", list(draws), dtype=pl.Float64) < settings.random_share)
        .alias("random_selected")).with_columns(wanted, floor).with_columns(
        pl.lit(False).alias("capacity_limited"))
    if capacities is not None:
        frame = _spend(frame, capacities)
    return DecisionBatch(batch, frame)


def _spend(frame: pl.DataFrame, capacities: dict[tuple[str | None, object], Capacity]
           ) -> pl.DataFrame:
    groups = frame.select("office", "declaration_date").unique(maintain_order=True).rows()
    limited: list[tuple[str | None, object]] = []
    for office, day in groups:
        cap = capacities.setdefault((office, day), Capacity())
        if cap.limits:
            limited.append((office, day))
    free = frame
    if limited:
        bound = pl.DataFrame(limited, schema={"office": frame.schema["office"],
                                              "declaration_date": frame.schema[
                                                  "declaration_date"]}, orient="row")
        free = frame.join(bound, on=["office", "declaration_date"], how="anti",
                          nulls_equal=True)
    counts = free.filter(pl.col("_channel") > 0).group_by(
        "office", "declaration_date", "_channel").len().rows()
    for office, day, rank, n in counts:
        cap = capacities[(office, day)]
        cap.used[CHANNELS[rank]] = cap.used.get(CHANNELS[rank], 0) + n
    if not limited:
        return frame
    # Budgets bind: one by one in arrival order, exactly as single decisions are taken.
    channels = frame["_channel"].to_list()
    flags = [False] * len(channels)
    keys = frame.select("office", "declaration_date", "random_selected", "_floor").rows()
    wanted = set(limited)
    for i, (office, day, rnd, floor) in enumerate(keys):
        if (office, day) not in wanted:
            continue
        cap, channel = capacities[(office, day)], CHANNELS[channels[i]]
        while not rnd and channel.rank > floor and not cap.has_room(channel):
            channel, flags[i] = STEP_DOWN[channel], True
        cap.take(channel)
        channels[i] = channel.rank
    return frame.with_columns(pl.Series("_channel", channels, dtype=pl.Int8),
                              pl.Series("capacity_limited", flags, dtype=pl.Boolean))
