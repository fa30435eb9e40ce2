"""Storage of valuation references (table `valuation_references`).

An origin of '' in the table is the HS6-wide reference; frames use a null origin for it.
`source` says where a reference came from: "controls" (a rebuild) or what an analyst promoted
(`put_reference`, e.g. "mirror:MK:2026-11").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import polars as pl
from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from clearway.storage.orm_risk import ValuationReferenceRow
from clearway.storage.unit_of_work import insert_rows
from clearway.valuation.model import REFERENCE_COLUMNS, as_lookup

ALL_ORIGINS = ""
CONTROLS = "controls"
_CHUNK = 5000
_COLUMNS = (ValuationReferenceRow.hs6, ValuationReferenceRow.origin_country,
            ValuationReferenceRow.period_from, ValuationReferenceRow.period_to,
            ValuationReferenceRow.centre, ValuationReferenceRow.spread,
            ValuationReferenceRow.observations, ValuationReferenceRow.computed_at,
            ValuationReferenceRow.source)
_SCHEMA: dict[str, pl.DataType] = {
    "hs6": pl.String(), "origin_country": pl.String(), "period_from": pl.Date(),
    "period_to": pl.Date(), "centre": pl.Float64(), "spread": pl.Float64(),
    "observations": pl.Int64(), "computed_at": pl.Datetime("us", "UTC"),
    "source": pl.String()}


def replace_all(session: Session, references: pl.DataFrame, computed_at: datetime) -> int:
    """Swap the references computed from controls for `references` (compute_references'
    shape) in the caller's transaction: readers see the old set or the new one, never a mix.
    A promoted reference (`put_reference`) stays unless the new set has one for its HS6 and
    origin: checked values of one's own controls say best what goods cost."""
    rows: list[dict[str, Any]] = [
        {**r, "origin_country": r["origin_country"] or ALL_ORIGINS, "computed_at": computed_at,
         "source": CONTROLS}
        for r in references.select(REFERENCE_COLUMNS).iter_rows(named=True)]
    session.execute(delete(ValuationReferenceRow)
                    .where(ValuationReferenceRow.source == CONTROLS))
    key = tuple_(ValuationReferenceRow.hs6, ValuationReferenceRow.origin_country)
    promoted = {(h, o) for h, o in session.execute(
        select(ValuationReferenceRow.hs6, ValuationReferenceRow.origin_country))}
    covered = [k for k in ((r["hs6"], r["origin_country"]) for r in rows) if k in promoted]
    for i in range(0, len(covered), _CHUNK):
        session.execute(delete(ValuationReferenceRow).where(key.in_(covered[i:i + _CHUNK])))
    for i in range(0, len(rows), _CHUNK):
        insert_rows(session, ValuationReferenceRow, rows[i:i + _CHUNK])
    return len(rows)


def put_reference(session: Session, *, hs6: str, origin_country: str | None,
                  period_from: date, period_to: date, centre: float, spread: float,
                  observations: int, computed_at: datetime, source: str) -> None:
    """Set one reference (origin None: all origins), replacing the one of the same HS6 and
    origin, in the caller's transaction; `source` says where it came from."""
    origin = origin_country or ALL_ORIGINS
    session.execute(delete(ValuationReferenceRow).where(
        ValuationReferenceRow.hs6 == hs6, ValuationReferenceRow.origin_country == origin))
    insert_rows(session, ValuationReferenceRow, {
        "hs6": hs6, "origin_country": origin, "period_from": period_from,
        "period_to": period_to, "centre": centre, "spread": spread,
        "observations": observations, "computed_at": computed_at, "source": source})


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
