"""As-of features for the learned risk model, computed with Polars and free of leakage.

`build_features(frame, history, ...)` takes canonical rows (see `mapping`) and returns one row of
features per input row, in the input order. Every history feature of a row is computed from rows
with a strictly earlier date only:

* rows of `history` (e.g. the training window) with their labels;
* earlier rows of `frame` itself: always counted as declarations, but their labels are used only
  when `frame_labels=True` (labels of a control become known after the control; in evaluation,
  `frame_labels=False` means "test labels are not available", `True` means "revealed day by day").

A row's own label, and the labels of rows on the same day, never reach its features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

import polars as pl

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

# Entities whose past counts and irregularity rates become features: name -> key columns.
ENTITIES: dict[str, tuple[str, ...]] = {
    "importer": ("importer_id",),
    "declarant": ("declarant_id",),
    "seller": ("seller_id",),
    "courier": ("courier_id",),
    "office": ("office_id",),
    "hs6": ("hs6",),
    "hs4": ("hs4",),
    "hs2": ("hs2",),
    "origin": ("origin_country",),
    "departure": ("departure_country",),
    "transport": ("transport_mode",),
    "importer_hs6": ("importer_id", "hs6"),
    "seller_hs6": ("seller_id", "hs6"),
    "importer_seller": ("importer_id", "seller_id"),
    "declarant_importer": ("declarant_id", "importer_id"),
    "declarant_hs6": ("declarant_id", "hs6"),
    "importer_origin": ("importer_id", "origin_country"),
    "hs6_origin": ("hs6", "origin_country"),
    "route": ("origin_country", "departure_country"),
    "office_hs4": ("office_id", "hs4"),
    # Similar consignments: same goods within a band of declared value or mass (log scale),
    # and the identical lot (same goods, origin, mass and value) seen before.
    "hs6_value": ("hs6", "value_band"),
    "hs6_mass": ("hs6", "mass_band"),
    "hs6_value_fine": ("hs6", "value_band_fine"),
    "hs6_mass_fine": ("hs6", "mass_band_fine"),
    "hs6_origin_value": ("hs6", "origin_country", "value_band"),
    "hs6_departure_mass": ("hs6", "departure_country", "mass_band"),
    "lot": ("hs6", "origin_country", "net_mass", "value"),
}
# Canonical columns that identify parties or goods: they enter the model through their
# histories only, never as raw categories (too many values, and new ones appear every day).
IDENTIFIERS = ("importer_id", "declarant_id", "seller_id", "courier_id", "commodity_code")
# Unit-value references: the past median of log(value / net mass) within these groups.
UNIT_VALUE_GROUPS: dict[str, tuple[str, ...]] = {
    "hs6": ("hs6",), "hs6_origin": ("hs6", "origin_country"),
}
# `sample_weight`: a row's weight in training, where the streaming path thinned the regular
# outcomes (`risk.learning.training.train_on_history`); absent, every row weighs 1.
KEEP = ("declaration_id", "date", "label_irregular", "label_revenue", "sample_weight")
_LABEL = "_label"
_ROW = "_row"
_FRAME = "_in_frame"


@dataclass(frozen=True)
class FeatureConfig:
    """Settings of the feature builder (stored with a model; a model needs the same ones)."""

    smoothing: float = 20.0  # pseudo-count of the Bayesian prior in every rate
    entities: tuple[str, ...] = tuple(ENTITIES)  # which of ENTITIES to use (when mapped)
    extra_entities: bool = True  # extra categorical columns of the mapping get histories too
    calendar: bool = True  # day of week and month
    band: float = 4.0  # value/mass bands: round(log1p(x) * band), 4 -> bands about 28 % wide
    band_fine: float = 64.0  # 64 -> about 1.6 % wide

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "entities": list(self.entities)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "entities" in known:
            known["entities"] = tuple(known["entities"])
        return cls(**known)


def _derived(frame: FrameT, config: FeatureConfig) -> FrameT:
    """HS6/HS4/HS2, value and mass bands, log unit value; nothing that reads a label."""
    columns = frame.collect_schema().names()
    cols: list[pl.Expr] = []
    for src, name in (("value", "value_band"), ("net_mass", "mass_band")):
        if src in columns:
            log = pl.col(src).clip(lower_bound=0).log1p()
            cols += [(log * config.band).round().cast(pl.Int64).alias(name),
                     (log * config.band_fine).round().cast(pl.Int64).alias(f"{name}_fine")]
    if "commodity_code" in columns:
        digits = pl.col("commodity_code").str.replace_all(r"[^0-9]", "")
        for n in (6, 4, 2):
            code = digits.str.slice(0, n)
            cols.append(pl.when(code.str.len_chars() == n).then(code).alias(f"hs{n}"))
    if "value" in columns and "net_mass" in columns:
        ok = (pl.col("value") > 0) & (pl.col("net_mass") > 0)
        cols.append(pl.when(ok).then((pl.col("value") / pl.col("net_mass")).log())
                    .alias("_log_uv"))
    return frame.with_columns(cols) if cols else frame


def _entity_keys(columns: Sequence[str], config: FeatureConfig,
                 extra: Sequence[str]) -> dict[str, tuple[str, ...]]:
    keys = {name: ENTITIES[name] for name in config.entities
            if all(c in columns for c in ENTITIES[name])}
    if config.extra_entities:
        for col in extra:
            keys.setdefault(col, (col,))
    return keys


def _past_stats(all_rows: pl.DataFrame, frame: pl.DataFrame, key: tuple[str, ...],
                name: str, prior: float, smoothing: float) -> pl.DataFrame:
    """Per frame row: past declarations, and the smoothed past irregularity rate, of `key`."""
    return past_from_daily(daily_counts(all_rows, key), frame, key, name, prior, smoothing)


def daily_counts(rows: FrameT, key: tuple[str, ...]) -> FrameT:
    """Per (key, date): declarations, labelled ones, irregular ones. Works on a LazyFrame
    too, so the streaming path (`features_scan`) aggregates a history it never holds."""
    k: list[str] = list(key)
    return (rows.drop_nulls(k)
            .group_by([*k, "date"])
            .agg(pl.len().alias("_n"), pl.col(_LABEL).count().alias("_nl"),
                 pl.col(_LABEL).sum().alias("_s")))


def past_from_daily(daily: pl.DataFrame, frame: pl.DataFrame, key: tuple[str, ...],
                    name: str, prior: float, smoothing: float) -> pl.DataFrame:
    """`_past_stats` from `daily_counts`: counts of earlier days only, joined to frame rows."""
    return past_rates(earlier_days(daily, key), frame, key, name, prior, smoothing)


def earlier_days(daily: pl.DataFrame, key: tuple[str, ...]) -> pl.DataFrame:
    """`daily_counts` with each day's counts replaced by those of the key's earlier days."""
    k = list(key)
    daily = daily.sort([*k, "date"])
    # Sorted, each key's days are contiguous: a running sum over the whole table minus its
    # value where the key's run starts (cheaper than a window per key on millions of rows).
    starts = pl.any_horizontal(pl.col(c).ne_missing(pl.col(c).shift(1)) for c in k)
    before = {c: pl.col(c).cum_sum() - pl.col(c) for c in ("_n", "_nl", "_s")}
    return daily.with_columns(
        (expr - pl.when(starts).then(expr).forward_fill()).alias(c)
        for c, expr in before.items())


def past_rates(counts: pl.DataFrame, frame: pl.DataFrame, key: tuple[str, ...], name: str,
               prior: float, smoothing: float) -> pl.DataFrame:
    """Per frame row, `{name}_n` and `{name}_rate` from the earlier counts of its key and day."""
    k = list(key)
    joined = frame.select([_ROW, *k, "date"]).join(counts, on=[*k, "date"], how="left")
    rate = (pl.col("_s") + smoothing * prior) / (pl.col("_nl") + smoothing)
    return joined.select(
        _ROW,
        pl.col("_n").cast(pl.Float64).alias(f"{name}_n"),
        pl.when(pl.col("_n").is_not_null()).then(rate).alias(f"{name}_rate"),
    )


def _unit_value(all_rows: pl.DataFrame, name: str, key: tuple[str, ...],
                span_days: int) -> pl.DataFrame:
    """Per `_uid`: deviation of the log unit value from the group's past median."""
    k = list(key)
    rows = all_rows.drop_nulls([*k, "_log_uv"])
    median = (pl.col("_log_uv")
              .rolling_median_by("date", window_size=f"{span_days}d", closed="left").over(k))
    return rows.select("_uid", (pl.col("_log_uv") - median).alias(f"uv_dev_{name}"))


def build_features(frame: pl.DataFrame, history: pl.DataFrame | None = None, *,
                   frame_labels: bool = True, prior: float | None = None,
                   config: FeatureConfig | None = None,
                   extra_categorical: Sequence[str] = (),
                   extra_numeric: Sequence[str] = ()) -> pl.DataFrame:
    """Features of each row of `frame` as of its date (see the module docstring).

    `prior` is the irregularity rate the rates shrink towards (the training window's global
    rate; a model stores it). None: the mean of the labels available here.
    Returns `declaration_id`, `date` and the labels (when present) followed by the features,
    in the order of `feature_names`.
    """
    config = config or FeatureConfig()
    frame = _derived(frame, config).with_row_index(_ROW).with_columns(pl.lit(True).alias(_FRAME))
    label = pl.col("label_irregular").cast(pl.Float64) if "label_irregular" in frame.columns \
        else pl.lit(None, dtype=pl.Float64)
    parts = [frame.with_columns((label if frame_labels else pl.lit(None, pl.Float64))
                                .alias(_LABEL))]
    if history is not None and history.height:
        hist = _derived(history, config)
        hist_label = pl.col("label_irregular").cast(pl.Float64) \
            if "label_irregular" in hist.columns else pl.lit(None, dtype=pl.Float64)
        parts.append(hist.with_columns(hist_label.alias(_LABEL), pl.lit(False).alias(_FRAME),
                                       pl.lit(None, dtype=pl.UInt32).alias(_ROW)))
    needed = {_ROW, _FRAME, _LABEL, "date", *frame.columns}
    all_rows = pl.concat([p.select([c for c in p.columns if c in needed]) for p in parts],
                         how="diagonal_relaxed")
    if prior is None:
        mean = all_rows[_LABEL].mean()
        prior = float(mean) if isinstance(mean, int | float) else 0.0
    smoothing = config.smoothing

    out = frame.select(_ROW, *[c for c in KEEP if c in frame.columns])
    for name, key in _entity_keys(frame.columns, config, extra_categorical).items():
        stats = _past_stats(all_rows, frame, key, name, prior, smoothing)
        out = out.join(stats, on=_ROW, how="left")
    if "_log_uv" in frame.columns:
        out = _with_unit_values(out, frame, all_rows)
    extra = _own_values(frame, config, extra_categorical, extra_numeric)
    out = out.join(extra, on=_ROW, how="left").sort(_ROW).drop(_ROW)
    return out


def _with_unit_values(out: pl.DataFrame, frame: pl.DataFrame, all_rows: pl.DataFrame
                      ) -> pl.DataFrame:
    """`out` joined with each row's unit-value deviation in every group its columns allow."""
    low, high = all_rows.select(pl.col("date").min().alias("a"),
                                pl.col("date").max().alias("b")).row(0)
    span = (high - low).days + 2
    uv_rows = all_rows.with_columns(pl.int_range(pl.len()).alias("_uid"))
    ids = uv_rows.filter(pl.col(_FRAME)).select("_uid", _ROW)
    for name, key in UNIT_VALUE_GROUPS.items():
        if all(c in frame.columns for c in key):
            dev = _unit_value(uv_rows, name, key, int(span))
            out = out.join(ids.join(dev, on="_uid").drop("_uid"), on=_ROW, how="left")
    return out


def _own_values(frame: pl.DataFrame, config: FeatureConfig, extra_categorical: Sequence[str],
                extra_numeric: Sequence[str]) -> pl.DataFrame:
    """The features each row carries itself, by row: logs of unit value, value and net mass,
    the tax rate and extra numbers, the calendar, raw categories (as strings)."""
    numeric: list[pl.Expr] = []
    if "_log_uv" in frame.columns:
        numeric.append(pl.col("_log_uv").alias("log_unit_value"))
    for col, feat in (("value", "log_value"), ("net_mass", "log_net_mass")):
        if col in frame.columns:
            numeric.append(pl.col(col).clip(lower_bound=0).log1p().alias(feat))
    for col in ("tax_rate", *extra_numeric):
        if col in frame.columns:
            numeric.append(pl.col(col).cast(pl.Float64).alias(col))
    if config.calendar:
        numeric += [pl.col("date").dt.weekday().cast(pl.Float64).alias("day_of_week"),
                    pl.col("date").dt.month().cast(pl.Float64).alias("month")]
    raw = [c for c in (*_raw_categorical(frame.columns), *extra_categorical) if c in frame.columns]
    return frame.select(_ROW, *numeric, *[pl.col(c).cast(pl.String) for c in raw])


def _raw_categorical(columns: Sequence[str]) -> list[str]:
    fixed = ("office_id", "origin_country", "departure_country", "transport_mode")
    return [c for c in fixed if c in columns and c not in IDENTIFIERS]


def feature_names(features: pl.DataFrame) -> list[str]:
    """The feature columns of a `build_features` result (everything but keys and labels)."""
    return [c for c in features.columns if c not in KEEP]
