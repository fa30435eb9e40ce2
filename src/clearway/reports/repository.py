"""Timelines of declarations released in a period, from their events and risk decisions, the
agencies' tasks (single window) and the booth records at the crossing points."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from clearway.reports.agency_times import AgencyStep
from clearway.reports.release_time import EVENT_KINDS, Timeline
from clearway.storage.orm import DeclarationRow, EventRow
from clearway.storage.orm_agencies import AgencyTaskRow
from clearway.storage.orm_border import CrossingDocumentRow
from clearway.storage.orm_prearrival import CrossingRow
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
    agencies = _agency_steps(session, released)
    crossings = _crossings(session, released)
    heads = session.execute(
        select(DeclarationRow.id, DeclarationRow.declaration_type, DeclarationRow.office,
               RiskDecisionRow.channel, RiskDecisionRow.office, RiskDecisionRow.decision["aeo"])
        .outerjoin(RiskDecisionRow, RiskDecisionRow.declaration_id == DeclarationRow.id)
        .where(DeclarationRow.id.in_(released)))
    return [Timeline(decl_id, channel, decided_office or office, bool(aeo), kind,
                     times.get(decl_id, {}), tuple(agencies.get(decl_id, ())),
                     *crossings.get(decl_id, (None, None)))
            for decl_id, kind, office, channel, decided_office, aeo in heads]


def _agency_steps(session: Session, released: Select[Any]) -> dict[int, list[AgencyStep]]:
    found: dict[int, list[AgencyStep]] = {}
    for decl_id, agency, routed, decided in session.execute(
            select(AgencyTaskRow.declaration_id, AgencyTaskRow.agency, AgencyTaskRow.routed_at,
                   AgencyTaskRow.decided_at)
            .where(AgencyTaskRow.declaration_id.in_(released))
            .order_by(AgencyTaskRow.declaration_id, AgencyTaskRow.id)):
        found.setdefault(decl_id, []).append(AgencyStep(agency, routed, decided))
    return found


def _crossings(session: Session, released: Select[Any]
               ) -> dict[int, tuple[datetime | None, datetime | None]]:
    """(first booth record, last exit crossing) of each declaration presented at the booth."""
    first = func.min(CrossingRow.recorded_at)
    last_exit = func.max(CrossingRow.recorded_at).filter(CrossingRow.direction == "exit")
    rows = session.execute(
        select(DeclarationRow.id, first, last_exit)
        .join(CrossingDocumentRow, CrossingDocumentRow.mrn == DeclarationRow.mrn)
        .join(CrossingRow, CrossingRow.id == CrossingDocumentRow.crossing_id)
        .where(DeclarationRow.id.in_(released))
        .group_by(DeclarationRow.id))
    return {decl_id: (a, b) for decl_id, a, b in rows}
