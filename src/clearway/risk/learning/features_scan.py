"""`build_features` for chosen rows of a history too large to hold: a Polars LazyFrame,
typically Parquet part files (`risk.learning.history_files`), never collected whole.

`scan_features(history, chosen, prior=...)` returns what `build_features(history_frame,
prior=...)` (every row in the frame, its labels known) gives, filtered to the `chosen` rows,
row for row and value for value (tests/unit/risk/learning/test_features_scan.py). What is
held at once:
- the chosen rows (the training rows: the labelled ones, or a sample of them);
- one time slice of the history (whole days, about `slice_rows` rows), read in date order:
  an entity's counts before a day are its running totals over the earlier slices (one row
  per key the chosen rows carry) plus its earlier days within the slice;
- for the unit-value features, one hash partition of the history at a time (a past median
  needs every earlier value of the group, so groups are split, never their values).
Exports are in acceptance order, so Parquet statistics let each slice read its own row groups.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import date

import polars as pl

from clearway.risk.learning.features import (
    _FRAME,
    _LABEL,
    _ROW,
    KEEP,
    UNIT_VALUE_GROUPS,
    FeatureConfig,
    _derived,
    _entity_keys,
    _own_values,
    _unit_value,
    daily_counts,
    earlier_days,
    past_rates,
)

SLICE_ROWS = 250_000  # history rows per time slice
PART_ROWS = 1_000_000  # history rows per unit-value partition (a few narrow columns)
_COUNTS = ("_n", "_nl", "_s")


def _collect(lazy: pl.LazyFrame) -> pl.DataFrame:
    return lazy.collect(engine="streaming")


def scan_features(history: pl.LazyFrame, chosen: pl.Expr, *, prior: float,
                  config: FeatureConfig | None = None,
                  extra_categorical: Sequence[str] = (), extra_numeric: Sequence[str] = (),
                  slice_rows: int = SLICE_ROWS, part_rows: int = PART_ROWS) -> pl.DataFrame:
    """Features of the rows of `history` where `chosen` holds (module doc), in history order."""
    config = config or FeatureConfig()
    names = history.collect_schema().names()
    label = (pl.col("label_irregular").cast(pl.Float64) if "label_irregular" in names
             else pl.lit(None, dtype=pl.Float64))
    base = _derived(history, config).with_columns(label.alias(_LABEL),
                                                  chosen.fill_null(False).alias(_FRAME))
    # Numbered after the filter: a row index over the whole history would make the
    # streaming engine hold it (the unit values find the chosen rows by their order).
    frame = _collect(base.filter(pl.col(_FRAME))).with_row_index(_ROW)
    keys = _entity_keys(frame.columns, config, extra_categorical)
    out = frame.select(_ROW, *[c for c in KEEP if c in frame.columns])
    for stats in _entity_stats(base, frame, keys, prior, config.smoothing, slice_rows):
        out = out.join(stats, on=_ROW, how="left")
    if "_log_uv" in frame.columns:
        out = _with_unit_values(out, frame, base, part_rows)
    extra = _own_values(frame, config, extra_categorical, extra_numeric)
    return out.join(extra, on=_ROW, how="left").sort(_ROW).drop(_ROW)


def _slices(base: pl.LazyFrame, slice_rows: int) -> Iterator[tuple[date, date]]:
    """Consecutive date ranges (both ends included) of about `slice_rows` rows each."""
    days = _collect(base.group_by("date").agg(pl.len().alias("n"))).sort("date")
    days = days.with_columns(((pl.col("n").cum_sum() - pl.col("n")) // slice_rows)
                             .alias("slice"))
    spans = days.group_by("slice").agg(pl.col("date").min().alias("lo"),
                                       pl.col("date").max().alias("hi")).sort("slice")
    yield from spans.select("lo", "hi").iter_rows()


def _entity_stats(base: pl.LazyFrame, frame: pl.DataFrame,
                  keys: dict[str, tuple[str, ...]], prior: float, smoothing: float,
                  slice_rows: int) -> Iterator[pl.DataFrame]:
    """Per entity, `{name}_n` and `{name}_rate` of every frame row (by `_ROW`)."""
    wanted = {name: frame.select(list(key)).drop_nulls().unique()
              for name, key in keys.items()}
    needed = sorted({c for key in keys.values() for c in key} | {"date", _LABEL})
    totals: dict[str, pl.DataFrame | None] = dict.fromkeys(keys)
    found: dict[str, list[pl.DataFrame]] = {name: [] for name in keys}
    for lo, hi in _slices(base, slice_rows):
        part = _collect(base.filter(pl.col("date").is_between(lo, hi)).select(needed))
        mine = frame.filter(pl.col("date").is_between(lo, hi))
        for name, key in keys.items():
            # Count first, then keep the keys the chosen rows carry: the days are fewer
            # than the rows, and most keys of a busy entity are wanted anyway.
            daily = daily_counts(part, key).join(wanted[name], on=list(key), how="semi")
            counts = earlier_days(daily, key)
            before = totals[name]
            if before is not None:
                counts = counts.join(before, on=list(key), how="left", suffix="_t").select(
                    *key, "date", *[(pl.col(c) + pl.col(f"{c}_t").fill_null(0)).alias(c)
                                    for c in _COUNTS])
            found[name].append(past_rates(counts, mine, key, name, prior, smoothing))
            sums = daily.group_by(list(key)).agg(pl.col(c).sum() for c in _COUNTS)
            totals[name] = sums if before is None else pl.concat([before, sums]).group_by(
                list(key)).agg(pl.col(c).sum() for c in _COUNTS)
    for name in keys:
        yield pl.concat(found[name])


def _with_unit_values(out: pl.DataFrame, frame: pl.DataFrame, base: pl.LazyFrame,
                      part_rows: int) -> pl.DataFrame:
    """`features._with_unit_values`, reading the history one key-hash partition at a time:
    a group lies whole in one partition, so its past medians are those of the whole. The
    chosen rows of a partition come in history order, as in `frame`: matched by position."""
    total, low, high = _collect(base.select(pl.len(), pl.col("date").min().alias("low"),
                                            pl.col("date").max().alias("high"))).row(0)
    if not total:
        return out
    span = (high - low).days + 2
    parts = max(1, math.ceil(total / part_rows))
    for name, key in UNIT_VALUE_GROUPS.items():
        if not all(c in frame.columns for c in key):
            continue
        wanted = frame.select(list(key)).drop_nulls().unique()
        found = []
        for part in range(parts):
            mine = pl.struct(list(key)).hash(seed=0) % parts == part
            group = (_collect(base.filter(mine).select(*key, "date", "_log_uv", _FRAME))
                     .join(wanted, on=list(key), how="semi", maintain_order="left")
                     .with_row_index("_uid"))
            chosen = frame.filter(mine, *[pl.col(c).is_not_null() for c in key])
            ids = group.filter(pl.col(_FRAME)).select("_uid", chosen.get_column(_ROW))
            found.append(ids.join(_unit_value(group, name, key, int(span)), on="_uid")
                         .drop("_uid"))
        out = out.join(pl.concat(found), on=_ROW, how="left")
    return out
