"""One month's trade with a partner by HS6 (pure: declarations in, a frame out).

Values are the item frame's (`risk.engine.frame.flatten`): the statistical value, else the
customs value, else the item price at the reference exchange rate of the release day, all in
EUR, so mirror figures and valuation references count value the same way. Mass is the net
mass in kg (the mass unit values are computed on), gross mass kept beside it.

Which declarations count (`repository.released_filings` selects them): released in the month,
exports (EX) whose destination country (DE 5/8) is the partner, imports (IM) whose country
of dispatch (DE 5/14) is the partner. Dispatch, not origin: a partner's export statistics
count what left its territory towards us, whatever the goods' origin, and the declaration's
country of dispatch is the one that names that movement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from clearway.declarations.model import Declaration
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.frame import flatten

AGGREGATE_SCHEMA: dict[str, pl.DataType] = {
    "hs6": pl.String(), "value_eur": pl.Float64(), "mass_kg": pl.Float64(),
    "gross_mass_kg": pl.Float64(), "count": pl.Int64(), "declarations": pl.Int64()}
ITEM_SCHEMA: dict[str, pl.DataType] = {
    "declaration": pl.String(), "hs6": pl.String(), "value_eur": pl.Float64(),
    "mass_kg": pl.Float64(), "gross_mass_kg": pl.Float64()}


def items(docs: Sequence[Declaration], dates: Sequence[date], keys: Sequence[str],
          ref: RefDataSnapshot) -> pl.DataFrame:
    """The goods items of `docs` (released on `dates`, identified by `keys`): declaration
    key, HS6, value in EUR, net and gross mass in kg."""
    if not docs:
        return pl.DataFrame(schema=ITEM_SCHEMA)
    frame = flatten(docs, dates, ref, keys=keys)
    return frame.select(pl.col("_key").alias("declaration"), "hs6",
                        pl.col("value").alias("value_eur"), pl.col("net_mass").alias("mass_kg"),
                        pl.col("gross_mass").alias("gross_mass_kg")).cast(pl.Schema(ITEM_SCHEMA))


def aggregate(item_rows: pl.DataFrame) -> pl.DataFrame:
    """Per HS6: summed value, net and gross mass, the number of goods items and of
    declarations. Items without a readable HS6 are left out (they have no line to go to);
    a missing value or mass adds nothing to its sum but the item still counts."""
    if item_rows.height == 0:
        return pl.DataFrame(schema=AGGREGATE_SCHEMA)
    return (item_rows.filter(pl.col("hs6").is_not_null())
            .group_by("hs6")
            .agg(pl.col("value_eur").sum(), pl.col("mass_kg").sum(),
                 pl.col("gross_mass_kg").sum(), pl.len().alias("count"),
                 pl.col("declaration").n_unique().alias("declarations"))
            .cast(pl.Schema(AGGREGATE_SCHEMA))
            .select(list(AGGREGATE_SCHEMA))
            .sort("hs6"))


def combine(parts: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """Item rows read in batches, as one frame."""
    kept = [p for p in parts if p.height]
    return pl.concat(kept) if kept else pl.DataFrame(schema=ITEM_SCHEMA)


def payload_rows(aggregates: pl.DataFrame) -> list[dict[str, Any]]:
    """What a partner receives: per HS6 only value, net mass and item count (rounded to the
    cent and the gram), never anything about who traded."""
    return [{"hs6": r["hs6"], "value_eur": round(r["value_eur"], 2),
             "mass_kg": round(r["mass_kg"], 3), "count": int(r["count"])}
            for r in aggregates.select("hs6", "value_eur", "mass_kg", "count")
            .iter_rows(named=True)]
