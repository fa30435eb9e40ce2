"""Reference unit values and the undervaluation rule (pure: frames in, frames and hits out).

A reference is the median unit value (EUR/kg) of an HS6 subheading, per origin and for all
origins together, over declarations that were controlled and found regular: only checked
values say what the goods really cost. Its spread is the median absolute deviation of the
log unit values (scaled by 1.4826 so that it estimates a standard deviation for normal data)
with a floor, because a group of near-identical values would otherwise make every 1 %
difference look like many spreads. An item is flagged when its unit value lies more than
`threshold_sigma` spreads below the reference *and* is less than `max_ratio` of it: the
first test respects how much prices of the subheading vary, the second keeps a tight group
from flagging small differences. See docs/valuation.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from clearway.risk.engine.decision import Area, Channel, Hit, Source

MAD_TO_SIGMA = 1.4826
# Floor of the spread of log unit values: ±5 % is the ordinary noise of invoices
# (freight splits, rounding, rates) even when every observation was identical.
MIN_SPREAD = 0.05
REFERENCE_COLUMNS = ("hs6", "origin_country", "period_from", "period_to", "centre", "spread",
                     "observations")
_SCHEMA: dict[str, pl.DataType] = {
    "hs6": pl.String(), "origin_country": pl.String(), "period_from": pl.Date(),
    "period_to": pl.Date(), "centre": pl.Float64(), "spread": pl.Float64(),
    "observations": pl.Int64()}


def usable_observations(observations: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """Rows with an HS6, a date in [start, end] and a positive, finite unit value."""
    uv = pl.col("unit_value").cast(pl.Float64)
    hs6 = pl.col("hs6").cast(pl.String).str.strip_chars()
    origin = pl.col("origin_country").cast(pl.String).str.strip_chars().str.to_uppercase()
    return (observations
            .select(hs6.alias("hs6"),
                    pl.when(origin == "").then(None).otherwise(origin).alias("origin_country"),
                    pl.col("date").cast(pl.Date), uv.alias("unit_value"))
            .filter(pl.col("hs6").str.contains(r"^[0-9]{6}$"), uv.is_finite(), uv > 0,
                    pl.col("date").is_between(start, end, closed="both")))


def _aggregate(rows: pl.DataFrame, keys: list[str], min_observations: int,
               min_spread: float) -> pl.DataFrame:
    log_uv = pl.col("unit_value").log()
    mad = (log_uv - log_uv.median()).abs().median()
    return (rows.group_by(keys)
            .agg(pl.col("unit_value").median().alias("centre"),
                 pl.max_horizontal(mad * MAD_TO_SIGMA, pl.lit(min_spread)).alias("spread"),
                 pl.len().cast(pl.Int64).alias("observations"))
            .filter(pl.col("observations") >= min_observations))


def compute_references(observations: pl.DataFrame, *, start: date, end: date,
                       min_observations: int = 5,
                       min_spread: float = MIN_SPREAD) -> pl.DataFrame:
    """References per (hs6, origin) and per hs6 over all origins (origin_country null).

    `observations`: rows (hs6, origin_country, date, unit_value) of controlled items found
    regular. Groups with fewer than `min_observations` usable rows get no reference.
    """
    if min_observations < 1:
        raise ValueError("min_observations must be at least 1")
    rows = usable_observations(observations, start, end)
    per_origin = _aggregate(rows.filter(pl.col("origin_country").is_not_null()),
                            ["hs6", "origin_country"], min_observations, min_spread)
    wide = _aggregate(rows, ["hs6"], min_observations, min_spread).with_columns(
        pl.lit(None, pl.String).alias("origin_country"))
    period = [pl.lit(start, pl.Date).alias("period_from"), pl.lit(end, pl.Date).alias("period_to")]
    return (pl.concat([_shape(per_origin, period), _shape(wide, period)])
            .sort(["hs6", "origin_country"], nulls_last=False))


def _shape(groups: pl.DataFrame, period: list[pl.Expr]) -> pl.DataFrame:
    return groups.with_columns(period).select(
        [pl.col(name).cast(dtype) for name, dtype in _SCHEMA.items()])


def as_lookup(references: pl.DataFrame) -> pl.DataFrame:
    """The shape `clearway.risk.engine.frame.with_references` reads (plus what evidence needs)."""
    return references.select(
        "hs6", "origin_country", pl.col("centre").alias("reference_unit_value"),
        pl.col("spread").alias("reference_spread"),
        pl.col("observations").alias("reference_observations"))


@dataclass(frozen=True)
class ValuationRule:
    """Flags items declared far below their reference unit value (soft, fiscal hits).

    The hit adds a weight to the valuation score that grows from `min_weight` (at
    `max_ratio`) to `max_weight` (at `extreme_ratio` or below, on a log scale). Below
    `extreme_ratio` it also asks for a documentary check (yellow) — still soft: an AEO and
    the office's capacity may outweigh it, since a low price alone proves nothing.
    `references` (the lookup of `as_lookup`), when given, only adds the number of
    observations and the origin scope to the evidence; the tests use the frame's columns.
    """

    threshold_sigma: float = 3.0
    max_ratio: float = 0.5
    extreme_ratio: float = 0.1
    min_weight: float = 0.3
    max_weight: float = 0.8
    declaration_types: tuple[str, ...] = ("IM",)
    ref: str = "VAL-LOW-UNIT-VALUE"
    references: pl.DataFrame | None = field(default=None, compare=False, hash=False)

    def flagged(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows to flag with their ratio and deviation (vectorised over the frame)."""
        uv, ref = pl.col("unit_value"), pl.col("reference_unit_value")
        spread = (pl.col("reference_spread") if "reference_spread" in frame.columns
                  else pl.lit(None, pl.Float64))
        ratio = pl.coalesce(pl.col("unit_value_ratio"), uv / ref) \
            if "unit_value_ratio" in frame.columns else uv / ref
        sigma = (ref.log() - uv.log()) / spread
        # Without a known spread only the ratio test applies.
        far = spread.is_null() | (spread <= 0) | (sigma > self.threshold_sigma)
        rows = frame.filter(pl.col("declaration_type").is_in(list(self.declaration_types)),
                            uv > 0, ref > 0, uv.is_finite(), ratio < self.max_ratio, far)
        return rows.select("_decl", "item", "hs6", "origin_country", "unit_value",
                           "reference_unit_value", ratio.alias("_ratio"),
                           pl.when(spread > 0).then(sigma).alias("_sigma"))

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        if frame.height == 0 or frame["reference_unit_value"].null_count() == frame.height:
            return []  # no item has a reference: nothing to compare (cheap on one filing)
        rows = self.flagged(frame)
        if rows.height == 0:
            return []
        rows = self._with_scope(rows)
        return [(int(r["_decl"]), self._hit(r)) for r in rows.iter_rows(named=True)]

    def _with_scope(self, rows: pl.DataFrame) -> pl.DataFrame:
        if self.references is None or self.references.height == 0:
            return rows.with_columns(pl.lit(None, pl.Int64).alias("_n"),
                                     pl.lit(None, pl.String).alias("_scope"))
        refs = self.references.select("hs6", "origin_country",
                                      pl.col("reference_observations").alias("_n_exact"))
        exact = refs.filter(pl.col("origin_country").is_not_null())
        wide = refs.filter(pl.col("origin_country").is_null()).select(
            "hs6", pl.col("_n_exact").alias("_n_wide"))
        joined = (rows.join(exact, on=["hs6", "origin_country"], how="left",
                            nulls_equal=False, maintain_order="left")
                  .join(wide, on="hs6", how="left", maintain_order="left"))
        has_exact = pl.col("_n_exact").is_not_null()
        return joined.with_columns(
            pl.coalesce("_n_exact", "_n_wide").alias("_n"),
            pl.when(has_exact).then(pl.col("origin_country"))
            .when(pl.col("_n_wide").is_not_null()).then(pl.lit("all")).alias("_scope"))

    def weight(self, ratio: float) -> float:
        span = math.log(self.max_ratio / self.extreme_ratio)
        share = math.log(self.max_ratio / max(ratio, 1e-12)) / span if span > 0 else 1.0
        share = min(1.0, max(0.0, share))
        return round(self.min_weight + (self.max_weight - self.min_weight) * share, 4)

    def _hit(self, r: dict[str, Any]) -> Hit:
        ratio, declared, reference = r["_ratio"], r["unit_value"], r["reference_unit_value"]
        scope, n = r["_scope"], r["_n"]
        counted = f"n={n}" if n is not None else ""
        if scope == "all":
            tail = f" (all origins{', ' + counted if counted else ''})"
        else:
            tail = (f" from {scope}" if scope else "") + (f" ({counted})" if counted else "")
        reason = (f"declared unit value {declared:.2f} EUR/kg is {(1 - ratio) * 100:.0f} % "
                  f"below the reference {reference:.2f} EUR/kg for HS {r['hs6']}{tail}")
        sigma = r["_sigma"]
        return Hit(
            source=Source.VALUATION, ref=self.ref, area=Area.VALUATION, reason=reason,
            weight=self.weight(ratio),
            min_channel=Channel.YELLOW if ratio < self.extreme_ratio else None,
            hard=False, item=r["item"],
            evidence={"reference": round(reference, 4), "declared": round(declared, 4),
                      "ratio": round(ratio, 4),
                      "deviation_sigma": None if sigma is None else round(sigma, 2),
                      "observations": n, "origin_scope": scope})
