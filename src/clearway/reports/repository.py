"""Timelines of declarations released in a period, from their events and risk decisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.reports.release_time import EVENT_KINDS, Timeline
from clearway.storage.orm import DeclarationRow, EventRow
from clearway.storage.orm_risk import RiskDecisionRow


def timelines(session: Session, start: datetime, end: datetime) -> list[Timeline]:
    """Every declaration released in [start, end), with the first time of each event kind."""
    released = (select(EventRow.declaration_id)
                .where(EventRow.kind == "released", EventRow.at >= start, EventRow.at < end))
    events = session.execute(
        select(EventRow.declaration_id, EventRow.kind, EventRow.at)
        .where(EventRow.declaration_id.in_(released), EventRow.kind.in_(sorted(EVENT_KINDS)))
        .order_by(EventRow.declaration_id, EventRow.id))
    times: dict[int, dict[str, datetime]] = {}
    for decl_id, kind, at in events:
        times.setdefault(decl_id, {}).setdefault(kind, at)
    heads = session.execute(
        select(DeclarationRow.id, DeclarationRow.declaration_type, DeclarationRow.office,
               RiskDecisionRow.channel, RiskDecisionRow.office, RiskDecisionRow.decision["aeo"])
        .outerjoin(RiskDecisionRow, RiskDecisionRow.declaration_id == DeclarationRow.id)
        .where(DeclarationRow.id.in_(released)))
    return [Timeline(decl_id, channel, decided_office or office, bool(aeo), kind,
                     times.get(decl_id, {}))
            for decl_id, kind, office, channel, decided_office, aeo in heads]
