"""What the training plan reads and keeps: the qualifications active profiles ask for, the
control tasks that needed one, and the plan's sessions (table `training_sessions`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.storage.orm_controls import ControlTaskRow, TaskAssignmentRow
from clearway.storage.orm_risk import RiskProfileRow
from clearway.storage.orm_training import TrainingRecordRow, TrainingSessionRow
from clearway.training.plan import TaskNeed

ACTIVE = "active"


def profile_requirements(session: Session, day: date) -> dict[str | None, dict[str, set[str]]]:
    """agency (None: customs) -> qualification -> codes of the active profiles asking for it
    that are still valid on `day` or later."""
    stmt = select(RiskProfileRow.code, RiskProfileRow.agency, RiskProfileRow.valid_to,
                  RiskProfileRow.definition).where(RiskProfileRow.status == ACTIVE)
    found: dict[str | None, dict[str, set[str]]] = {}
    for code, agency, valid_to, definition in session.execute(stmt):
        wanted = (definition or {}).get("qualification")
        if wanted and (valid_to is None or valid_to >= day):
            found.setdefault(agency, {}).setdefault(str(wanted), set()).add(str(code))
    return found


def _at(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def task_needs(session: Session, start: date, end: date) -> list[TaskNeed]:
    """Control tasks opened in [start, end) that needed a qualification; `waited` when their
    first assignment came after they were opened, or never came."""
    first = (select(TaskAssignmentRow.task_id, func.min(TaskAssignmentRow.at).label("at"))
             .group_by(TaskAssignmentRow.task_id).subquery())
    stmt = (select(ControlTaskRow.office, ControlTaskRow.qualifications,
                   ControlTaskRow.created_at, first.c.at)
            .outerjoin(first, first.c.task_id == ControlTaskRow.id)
            .where(ControlTaskRow.created_at >= _at(start), ControlTaskRow.created_at < _at(end)))
    found = []
    for office, needed, created, assigned in session.execute(stmt):
        if needed:
            waited = assigned is None or _utc(assigned) > _utc(created)
            found.append(TaskNeed(str(office), frozenset(needed), waited))
    return found


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def add_session(session: Session, **values: Any) -> TrainingSessionRow:
    row = TrainingSessionRow(**values)
    session.add(row)
    session.flush()
    return row


def get_session(session: Session, session_id: int, *,
                for_update: bool = False) -> TrainingSessionRow | None:
    stmt = select(TrainingSessionRow).where(TrainingSessionRow.id == session_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def sessions_of(session: Session, start: date, end: date) -> list[TrainingSessionRow]:
    """Sessions planned in [start, end), by day."""
    stmt = (select(TrainingSessionRow)
            .where(TrainingSessionRow.planned_on >= start, TrainingSessionRow.planned_on < end)
            .order_by(TrainingSessionRow.planned_on, TrainingSessionRow.id))
    return list(session.execute(stmt).scalars())


def held_between(session: Session, start: date, end: date) -> list[TrainingSessionRow]:
    stmt = (select(TrainingSessionRow)
            .where(TrainingSessionRow.held_on >= start, TrainingSessionRow.held_on < end))
    return list(session.execute(stmt).scalars())


def officers_trained(session: Session, start: date, end: date) -> int:
    """Distinct officers who completed a training in [start, end)."""
    stmt = (select(func.count(func.distinct(TrainingRecordRow.officer_id)))
            .where(TrainingRecordRow.completed_on >= start, TrainingRecordRow.completed_on < end))
    return int(session.execute(stmt).scalar_one())
