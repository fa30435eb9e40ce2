"""Reading what the indicators need from the control tables, and storing integrity cases."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from clearway.integrity.cases import Case
from clearway.integrity.model import Activity, ControlFact, OfficerOffice
from clearway.interests.repository import late_counts
from clearway.storage.orm import DeclarationRow, UserRow
from clearway.storage.orm_controls import (
    ControlResultRow,
    ControlTaskRow,
    IntegrityCaseRow,
    OverrideRow,
    TaskAssignmentRow,
)


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    return (end - start).total_seconds() / 60 if start and end else None


def control_facts(session: Session, start: datetime, end: datetime,
                  office: str | None) -> list[ControlFact]:
    query = (select(ControlResultRow.officer_id, ControlTaskRow.office, ControlTaskRow.channel,
                    ControlResultRow.outcome, ControlTaskRow.started_at,
                    ControlTaskRow.completed_at)
             .join(ControlTaskRow, ControlTaskRow.id == ControlResultRow.task_id)
             .where(ControlResultRow.recorded_at >= start, ControlResultRow.recorded_at < end))
    if office:
        query = query.where(ControlTaskRow.office == office)
    return [ControlFact(officer_id=o, office=off, channel=ch, irregular=out == "irregular",
                        minutes=_minutes(s, e))
            for o, off, ch, out, s, e in session.execute(query).all()]


def _missed(session: Session, start: datetime, end: datetime,
            office: str | None) -> Counter[OfficerOffice]:
    """Controls closed regular in the period whose declaration got an irregular result
    later (a post-clearance audit, another control), by officer and office."""
    later = aliased(ControlResultRow)
    query = (select(ControlResultRow.officer_id, ControlTaskRow.office)
             .join(ControlTaskRow, ControlTaskRow.id == ControlResultRow.task_id)
             .where(ControlResultRow.outcome == "regular",
                    ControlResultRow.recorded_at >= start, ControlResultRow.recorded_at < end,
                    select(later.task_id).where(
                        later.declaration_id == ControlResultRow.declaration_id,
                        later.outcome == "irregular",
                        later.recorded_at > ControlResultRow.recorded_at).exists()))
    if office:
        query = query.where(ControlTaskRow.office == office)
    return Counter((o, off) for o, off in session.execute(query).all())


def _overrides(session: Session, start: datetime, end: datetime,
               office: str | None) -> Counter[OfficerOffice]:
    where_office = func.coalesce(DeclarationRow.office, "")
    query = (select(OverrideRow.requested_by_id, where_office, func.count())
             .join(DeclarationRow, DeclarationRow.id == OverrideRow.declaration_id)
             .where(OverrideRow.requested_at >= start, OverrideRow.requested_at < end)
             .group_by(OverrideRow.requested_by_id, where_office))
    if office:
        query = query.where(DeclarationRow.office == office)
    return Counter({(o, off): n for o, off, n in session.execute(query).all()})


def _assignments(session: Session, start: datetime, end: datetime, office: str | None
                 ) -> tuple[Counter[OfficerOffice], Counter[OfficerOffice]]:
    """Tasks assigned to each officer in the period, and reassignments away from them (the
    officer who held the task before each reassignment made in the period)."""
    touched = select(TaskAssignmentRow.task_id).where(
        TaskAssignmentRow.at >= start, TaskAssignmentRow.at < end)
    query = (select(TaskAssignmentRow.task_id, TaskAssignmentRow.officer_id,
                    TaskAssignmentRow.at, ControlTaskRow.office)
             .join(ControlTaskRow, ControlTaskRow.id == TaskAssignmentRow.task_id)
             .where(TaskAssignmentRow.task_id.in_(touched))
             .order_by(TaskAssignmentRow.task_id, TaskAssignmentRow.at, TaskAssignmentRow.id))
    if office:
        query = query.where(ControlTaskRow.office == office)
    assigned: Counter[OfficerOffice] = Counter()
    away: Counter[OfficerOffice] = Counter()
    previous: tuple[int, int] | None = None
    for task_id, officer_id, at, off in session.execute(query).all():
        if start <= at < end:  # stored times read back timezone-aware (UTC)
            assigned[(officer_id, off)] += 1
            if previous and previous[0] == task_id and previous[1] != officer_id:
                away[(previous[1], off)] += 1
        previous = (task_id, officer_id)
    return assigned, away


def activity(session: Session, start: datetime, end: datetime, office: str | None) -> Activity:
    assigned, away = _assignments(session, start, end, office)
    return Activity(tasks=assigned, overrides=_overrides(session, start, end, office),
                    reassigned_away=away, missed=_missed(session, start, end, office),
                    late_declarations=late_counts(session, start, end, office))


def user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(UserRow.id, UserRow.name).where(UserRow.id.in_(ids)))
    return {i: n for i, n in rows.all()}


def user_role(session: Session, user_id: int) -> str | None:
    return session.execute(select(UserRow.role).where(UserRow.id == user_id)).scalar()


def _case(r: IntegrityCaseRow) -> Case:
    return Case(reference=r.reference, opened_on=r.opened_on, allegation=r.allegation,
                description=r.description, officer_id=r.officer_id, office=r.office,
                source=r.source, status=r.status, sanction=r.sanction, closed_on=r.closed_on,
                updated_at=r.updated_at, detail=dict(r.detail or {}))


def cases_opened_in(session: Session, year: int) -> int:
    return session.execute(select(func.count()).select_from(IntegrityCaseRow).where(
        IntegrityCaseRow.reference.like(f"IC-{year}-%"))).scalar_one()


def add_case(session: Session, case: Case) -> None:
    session.add(IntegrityCaseRow(**case.__dict__))
    session.flush()


def get_case(session: Session, reference: str, *, lock: bool = False) -> Case | None:
    query = select(IntegrityCaseRow).where(IntegrityCaseRow.reference == reference)
    row = session.execute(query.with_for_update() if lock else query).scalar()
    return _case(row) if row else None


def save_case(session: Session, case: Case) -> None:
    row = session.execute(select(IntegrityCaseRow).where(
        IntegrityCaseRow.reference == case.reference)).scalar_one()
    for name, value in case.__dict__.items():
        setattr(row, name, value)
    session.flush()


def find_cases(session: Session, *, status: str | None = None, officer_id: int | None = None,
               opened_from: date | None = None, opened_to: date | None = None) -> list[Case]:
    query = select(IntegrityCaseRow).order_by(IntegrityCaseRow.opened_on, IntegrityCaseRow.id)
    conditions = [c for c in (
        IntegrityCaseRow.status == status if status else None,
        IntegrityCaseRow.officer_id == officer_id if officer_id else None,
        IntegrityCaseRow.opened_on >= opened_from if opened_from else None,
        IntegrityCaseRow.opened_on <= opened_to if opened_to else None) if c is not None]
    if conditions:
        query = query.where(and_(*conditions))
    return [_case(r) for r in session.execute(query).scalars()]
