"""Storage of valuation references (table `valuation_references`).

An origin of '' in the table is the HS6-wide reference; frames use a null origin for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clearway.storage.orm_risk import ValuationReferenceRow
from clearway.storage.unit_of_work import insert_rows
from clearway.valuation.model import REFERENCE_COLUMNS, as_lookup

ALL_ORIGINS = ""
_CHUNK = 5000
_COLUMNS = (ValuationReferenceRow.hs6, ValuationReferenceRow.origin_country,
            ValuationReferenceRow.period_from, ValuationReferenceRow.period_to,
            ValuationReferenceRow.centre, ValuationReferenceRow.spread,
            ValuationReferenceRow.observations, ValuationReferenceRow.computed_at)
_SCHEMA: dict[str, pl.DataType] = {
    "hs6": pl.String(), "origin_country": pl.String(), "period_from": pl.Date(),
    "period_to": pl.Date(), "centre": pl.Float64(), "spread": pl.Float64(),
    "observations": pl.Int64(), "computed_at": pl.Datetime("us", "UTC")}


def replace_all(session: Session, references: pl.DataFrame, computed_at: datetime) -> int:
    """Swap the whole table for `references` (compute_references' shape) in the caller's
    transaction: readers see the old set or the new one, never a mix."""
    session.execute(delete(ValuationReferenceRow))
    rows: list[dict[str, Any]] = [
        {**r, "origin_country": r["origin_country"] or ALL_ORIGINS, "computed_at": computed_at}
        for r in references.select(REFERENCE_COLUMNS).iter_rows(named=True)]
    for i in range(0, len(rows), _CHUNK):
        insert_rows(session, ValuationReferenceRow, rows[i:i + _CHUNK])
    return len(rows)


def _frame(records: list[Any]) -> pl.DataFrame:
    frame = pl.DataFrame([tuple(r) for r in records], schema=_SCHEMA, orient="row") \
        if records else pl.DataFrame(schema=_SCHEMA)
    return frame.with_columns(pl.when(pl.col("origin_country") == ALL_ORIGINS).then(None)
                              .otherwise(pl.col("origin_country")).alias("origin_country"))


def all_references(session: Session) -> pl.DataFrame:
    """Every stored reference, origin null for the HS6-wide ones."""
    stmt = select(*_COLUMNS).order_by(ValuationReferenceRow.hs6,
                                      ValuationReferenceRow.origin_country)
    return _frame(list(session.execute(stmt)))


def load_references(session: Session) -> pl.DataFrame:
    """The lookup `clearway.risk.engine.frame.with_references` and `ValuationRule` read: hs6,
    origin_country (null: all origins), reference_unit_value, reference_spread,
    reference_observations."""
    return as_lookup(all_references(session))


def signature(session: Session) -> tuple[int, datetime | None]:
    """A cheap fingerprint of the table (row count, latest computation): caches rebuild their
    lookup when it changes."""
    count, latest = session.execute(select(func.count(), func.max(
        ValuationReferenceRow.computed_at))).one()
    return int(count), latest


def find(session: Session, hs6_prefix: str | None, origin: str | None, *, limit: int,
         offset: int = 0) -> tuple[int, pl.DataFrame]:
    """References whose HS6 starts with `hs6_prefix`; with `origin`, that origin's and the
    HS6-wide ones. Returns (total matching, the page)."""
    conditions = []
    if hs6_prefix:
        conditions.append(ValuationReferenceRow.hs6.startswith(hs6_prefix, autoescape=True))
    if origin:
        conditions.append(ValuationReferenceRow.origin_country.in_([origin, ALL_ORIGINS]))
    total = session.execute(select(func.count()).select_from(ValuationReferenceRow)
                            .where(*conditions)).scalar_one()
    page = (select(*_COLUMNS).where(*conditions)
            .order_by(ValuationReferenceRow.hs6, ValuationReferenceRow.origin_country)
            .offset(offset).limit(limit))
    return int(total), _frame(list(session.execute(page)))
