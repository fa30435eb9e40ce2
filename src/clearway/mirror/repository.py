"""Storage of mirror analysis: the released declarations one month's trade is counted from,
and the aggregates partners sent (tables `mirror_partner_periods`, `mirror_partner_exports`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import polars as pl
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clearway.declarations.lifecycle import DeclarationStatus
from clearway.mirror.compare import SIDE_SCHEMA
from clearway.mirror.model import AggregateRow
from clearway.periods import Period
from clearway.storage.orm import DeclarationRow, EventRow
from clearway.storage.orm_mirror import MirrorPartnerExportRow, MirrorPartnerPeriodRow
from clearway.storage.unit_of_work import insert_rows

BATCH = 500
# Which country of the declaration names the partner, by direction (see aggregate.py).
PARTNER_FIELD = {"EX": "destination_country", "IM": "dispatch_country"}
Filing = tuple[int, date, dict[str, Any]]  # id, day of release, canonical document


def released_filings(session: Session, declaration_type: str, partner: str, period: Period,
                     *, batch: int = BATCH) -> Iterator[list[Filing]]:
    """Declarations of `declaration_type` released in `period` whose partner country (by
    PARTNER_FIELD) is `partner`, in batches: one streamed query, never one per declaration."""
    released = (select(EventRow.declaration_id, func.min(EventRow.at).label("at"))
                .where(EventRow.kind == DeclarationStatus.RELEASED,
                       EventRow.at >= period.start, EventRow.at < period.end)
                .group_by(EventRow.declaration_id).subquery())
    country = DeclarationRow.document[PARTNER_FIELD[declaration_type]].as_string()
    stmt = (select(DeclarationRow.id, released.c.at, DeclarationRow.document)
            .join(released, released.c.declaration_id == DeclarationRow.id)
            .where(DeclarationRow.declaration_type == declaration_type,
                   DeclarationRow.status == DeclarationStatus.RELEASED, country == partner)
            .order_by(DeclarationRow.id)
            .execution_options(yield_per=batch))
    for part in session.execute(stmt).partitions():
        yield [(int(i), at.date(), document) for i, at, document in part]


def received_period(session: Session, partner: str, period: str) -> dict[str, Any] | None:
    """Which message the partner's aggregates for `period` came from, if any arrived."""
    row = session.get(MirrorPartnerPeriodRow, (partner, period))
    if row is None:
        return None
    return {"message_id": row.message_id, "created_at": row.created_at,
            "received_at": row.received_at, "rows": row.rows}


def store_partner_aggregates(session: Session, partner: str, period: str, message_id: str,
                             created_at: datetime, received_at: datetime,
                             rows: list[AggregateRow]) -> bool:
    """Replace the partner's rows for `period` with `rows`, in the caller's transaction,
    unless what is stored came from a message created later (a correction sent after this
    one): then nothing changes and False is returned."""
    header = session.get(MirrorPartnerPeriodRow, (partner, period), with_for_update=True)
    if header is not None and header.created_at > created_at:
        return False
    session.execute(delete(MirrorPartnerExportRow).where(
        MirrorPartnerExportRow.partner == partner, MirrorPartnerExportRow.period == period))
    if header is None:
        header = MirrorPartnerPeriodRow(partner=partner, period=period)
        session.add(header)
    header.message_id, header.created_at = message_id, created_at
    header.received_at, header.rows = received_at, len(rows)
    if rows:
        insert_rows(session, MirrorPartnerExportRow, [
            {"partner": partner, "period": period, "hs6": r.hs6, "value_eur": r.value_eur,
             "mass_kg": r.mass_kg, "count": r.count, "message_id": message_id,
             "received_at": received_at} for r in rows])
    return True


def partner_exports(session: Session, partner: str, period: str) -> pl.DataFrame:
    """The partner's rows for `period`: hs6, value_eur, mass_kg, count."""
    found = session.execute(
        select(MirrorPartnerExportRow.hs6, MirrorPartnerExportRow.value_eur,
               MirrorPartnerExportRow.mass_kg, MirrorPartnerExportRow.count)
        .where(MirrorPartnerExportRow.partner == partner,
               MirrorPartnerExportRow.period == period)
        .order_by(MirrorPartnerExportRow.hs6))
    records = [tuple(r) for r in found]
    return pl.DataFrame(records, schema=SIDE_SCHEMA, orient="row") if records \
        else pl.DataFrame(schema=SIDE_SCHEMA)
