"""Selectivity for many declarations at once, for the benchmarks (`risk.py`) and the tests
that hold it equal to one-by-one decisions.

The live path decides one declaration at a time (`clearway.risk.engine.selectivity.select`).
`select_all` is that rule in a loop, in arrival order; `select_batch` does the same over the
columns of an `AssessmentBatch`: the same channels, flags and capacity use, tested equal
(`tests/unit/risk/engine/test_batch.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from clearway.risk.engine.assess import Assessment, EngineSettings, assessments
from clearway.risk.engine.batch import CHANNELS, AssessmentBatch
from clearway.risk.engine.decision import Channel, Decision
from clearway.risk.engine.selectivity import (
    ENS_CHANNEL,
    STEP_DOWN,
    Capacity,
    decision_of,
    select,
)


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
        return [decision_of(assessment, CHANNELS[rank], rnd, limited)
                for assessment, (rank, rnd, limited) in zip(assessments(a), channels,
                                                             strict=True)]


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
