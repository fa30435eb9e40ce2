"""The partner's exports to us next to our imports from it, by HS6 (pure: frames in and out).

Every row carries both sides' figures, so a gap explains itself:
- value gap = their export value - our import value (EUR); value ratio = theirs / ours.
  A large positive gap on one HS6 is what undervalued (or unrecorded) imports look like.
- unit value = value / net mass (EUR/kg) on each side; unit-value ratio = theirs / ours.
  A ratio far above 1: our importers declare the goods cheaper per kg than they left.
- `missing`: "our_imports" when the partner exported what we never saw arrive,
  "their_exports" when we imported what the partner did not report; null when both exist.

`order="value"` ranks by the absolute value gap; `order="unit_value"` by how far the
unit-value ratio lies from 1 on a log scale (5x and 1/5x rank alike), rows without both unit
values last. Ties go by HS6, so the same data always gives the same list.
"""

from __future__ import annotations

import polars as pl

ORDERS = ("value", "unit_value")
SIDE_SCHEMA: dict[str, pl.DataType] = {
    "hs6": pl.String(), "value_eur": pl.Float64(), "mass_kg": pl.Float64(),
    "count": pl.Int64()}
GAP_COLUMNS = ("rank", "hs6", "missing", "their_value_eur", "our_value_eur", "value_gap_eur",
               "value_ratio", "their_mass_kg", "our_mass_kg", "their_unit_value",
               "our_unit_value", "unit_value_ratio", "their_count", "our_count")


def _side(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    return frame.select(list(SIDE_SCHEMA)).cast(pl.Schema(SIDE_SCHEMA)).rename(
        {"value_eur": f"{prefix}_value_eur", "mass_kg": f"{prefix}_mass_kg",
         "count": f"{prefix}_count"})


def _unit_value(prefix: str) -> pl.Expr:
    value, mass = pl.col(f"{prefix}_value_eur"), pl.col(f"{prefix}_mass_kg")
    return pl.when(mass > 0).then(value / mass).alias(f"{prefix}_unit_value")


def _ratio(top: str, bottom: str, name: str) -> pl.Expr:
    return pl.when((pl.col(bottom) > 0) & pl.col(top).is_not_null()) \
        .then(pl.col(top) / pl.col(bottom)).alias(name)


def compare(theirs: pl.DataFrame, ours: pl.DataFrame) -> pl.DataFrame:
    """Both sides joined by HS6 (a full join: an HS6 on one side only is kept and flagged),
    with the gaps and ratios, unranked (rank null)."""
    joined = _side(theirs, "their").join(_side(ours, "our"), on="hs6", how="full",
                                         coalesce=True)
    missing = (pl.when(pl.col("our_count").is_null()).then(pl.lit("our_imports"))
               .when(pl.col("their_count").is_null()).then(pl.lit("their_exports")))
    return (joined
            .with_columns(_unit_value("their"), _unit_value("our"), missing.alias("missing"),
                          (pl.col("their_value_eur").fill_null(0.0)
                           - pl.col("our_value_eur").fill_null(0.0)).alias("value_gap_eur"),
                          _ratio("their_value_eur", "our_value_eur", "value_ratio"))
            .with_columns(_ratio("their_unit_value", "our_unit_value", "unit_value_ratio"),
                          pl.lit(None, pl.Int64).alias("rank"))
            .select(GAP_COLUMNS))


def rank(gaps: pl.DataFrame, order: str = "value", top: int | None = None) -> pl.DataFrame:
    """The rows of `compare` in `order` (see the module's doc), numbered from 1, the first
    `top` of them."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}")
    if order == "value":
        key = pl.col("value_gap_eur").abs()
    else:
        key = pl.col("unit_value_ratio").log().abs()
    ranked = (gaps.with_columns(key.alias("_key"))
              .sort(["_key", "hs6"], descending=[True, False], nulls_last=True)
              .drop("_key")
              .with_row_index("_n", offset=1)
              .with_columns(pl.col("_n").cast(pl.Int64).alias("rank"))
              .drop("_n")
              .select(GAP_COLUMNS))
    return ranked.head(top) if top is not None else ranked


def gaps(theirs: pl.DataFrame, ours: pl.DataFrame, *, order: str = "value",
         top: int | None = None) -> pl.DataFrame:
    """The comparison ranked: the largest gaps first."""
    return rank(compare(theirs, ours), order, top)
