"""Storage of the controls room: the only module here that speaks SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from clearway.controls.assignment import Shift
from clearway.controls.model import OPEN_STATUSES, TaskStatus
from clearway.storage.orm import DeclarationRow, UserRow
from clearway.storage.orm_controls import (
    ControlResultRow,
    ControlTaskRow,
    DutyShiftRow,
    EvidenceFileRow,
    TaskAssignmentRow,
)
from clearway.storage.orm_risk import CapacityBudgetRow


def shifts_at(session: Session, office: str, at: datetime) -> list[Shift]:
    rows = session.execute(select(DutyShiftRow).where(
        DutyShiftRow.office == office, DutyShiftRow.starts_at <= at,
        DutyShiftRow.ends_at > at)).scalars()
    return [Shift(r.officer_id, r.office, r.starts_at, r.ends_at) for r in rows]


def offices_on_duty(session: Session, at: datetime) -> set[str]:
    return set(session.execute(select(DutyShiftRow.office).where(
        DutyShiftRow.starts_at <= at, DutyShiftRow.ends_at > at)).scalars())


def add_shift(session: Session, **values: Any) -> DutyShiftRow:
    row = DutyShiftRow(**values)
    session.add(row)
    session.flush()
    return row


def list_shifts(session: Session, *, office: str | None, start: datetime | None,
                end: datetime | None, limit: int = 500) -> list[DutyShiftRow]:
    query = select(DutyShiftRow)
    if office:
        query = query.where(DutyShiftRow.office == office)
    if start is not None:
        query = query.where(DutyShiftRow.ends_at > start)
    if end is not None:
        query = query.where(DutyShiftRow.starts_at < end)
    return list(session.execute(query.order_by(DutyShiftRow.starts_at, DutyShiftRow.id)
                                .limit(limit)).scalars())


def user_role(session: Session, user_id: int) -> str | None:
    return session.execute(select(UserRow.role).where(UserRow.id == user_id)
                           ).scalar_one_or_none()


def open_task_counts(session: Session, officer_ids: Iterable[int]) -> dict[int, int]:
    ids = list(officer_ids)
    if not ids:
        return {}
    rows = session.execute(select(ControlTaskRow.officer_id, func.count()).where(
        ControlTaskRow.officer_id.in_(ids), ControlTaskRow.status.in_(OPEN_STATUSES))
        .group_by(ControlTaskRow.officer_id))
    return {int(officer): int(n) for officer, n in rows if officer is not None}


def add_task(session: Session, **values: Any) -> ControlTaskRow:
    row = ControlTaskRow(**values)
    session.add(row)
    session.flush()
    return row


def add_assignment(session: Session, **values: Any) -> None:
    session.add(TaskAssignmentRow(**values))
    session.flush()


def assignments(session: Session, task_id: int) -> list[TaskAssignmentRow]:
    return list(session.execute(select(TaskAssignmentRow).where(
        TaskAssignmentRow.task_id == task_id).order_by(TaskAssignmentRow.id)).scalars())


def get_task(session: Session, task_id: int, *, for_update: bool = False
             ) -> ControlTaskRow | None:
    query = select(ControlTaskRow).where(ControlTaskRow.id == task_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def open_tasks_of(session: Session, declaration_id: int, *, for_update: bool = False
                  ) -> list[ControlTaskRow]:
    query = select(ControlTaskRow).where(ControlTaskRow.declaration_id == declaration_id,
                                         ControlTaskRow.status.in_(OPEN_STATUSES))
    if for_update:
        query = query.with_for_update()
    return list(session.execute(query.order_by(ControlTaskRow.id)).scalars())


def waiting_tasks(session: Session) -> list[ControlTaskRow]:
    return list(session.execute(select(ControlTaskRow).where(
        ControlTaskRow.status == TaskStatus.AWAITING_OFFICER).order_by(ControlTaskRow.id)
        .with_for_update()).scalars())


def _tasks_where(query: Any, *, officer_id: int | None, office: str | None,
                 statuses: Iterable[str] | None) -> Any:
    if officer_id is not None:
        query = query.where(ControlTaskRow.officer_id == officer_id)
    if office is not None:
        query = query.where(ControlTaskRow.office == office)
    if statuses is not None:
        query = query.where(ControlTaskRow.status.in_(sorted(set(statuses))))
    return query


def list_tasks(session: Session, *, officer_id: int | None, office: str | None,
               status: str | None, limit: int, offset: int,
               statuses: Iterable[str] | None = None, open_first: bool = False
               ) -> list[ControlTaskRow]:
    """Tasks newest first (`open_first`: the open ones before the others), one page."""
    if status is not None:
        statuses = [status]
    query = _tasks_where(select(ControlTaskRow), officer_id=officer_id, office=office,
                         statuses=statuses)
    order: list[Any] = [ControlTaskRow.id.desc()]
    if open_first:
        order.insert(0, case((ControlTaskRow.status.in_(sorted(OPEN_STATUSES)), 0), else_=1))
    query = query.order_by(*order).limit(limit).offset(offset)
    return list(session.execute(query).scalars())


def count_tasks(session: Session, *, officer_id: int | None, office: str | None,
                statuses: Iterable[str] | None) -> int:
    query = _tasks_where(select(func.count()).select_from(ControlTaskRow),
                         officer_id=officer_id, office=office, statuses=statuses)
    return int(session.execute(query).scalar_one())


def declaration_document(session: Session, declaration_id: int) -> dict[str, Any]:
    """The canonical document of a task's declaration (its goods items, currency)."""
    found = session.execute(select(DeclarationRow.document).where(
        DeclarationRow.id == declaration_id)).scalar()
    return found if isinstance(found, dict) else {}


def offices_of_officer(session: Session, officer_id: int) -> list[str]:
    """The offices a person was ever put on duty at, most recent shift first."""
    rows = session.execute(select(DutyShiftRow.office, func.max(DutyShiftRow.starts_at))
                           .where(DutyShiftRow.officer_id == officer_id)
                           .group_by(DutyShiftRow.office)
                           .order_by(func.max(DutyShiftRow.starts_at).desc(),
                                     DutyShiftRow.office))
    return [str(office) for office, _ in rows]


def known_offices(session: Session) -> list[str]:
    """Offices with a capacity budget or a duty shift: those with a control service."""
    budgets = select(CapacityBudgetRow.office)
    shifts = select(DutyShiftRow.office)
    return sorted({str(o) for o in session.execute(budgets.union(shifts)).scalars()})


def add_evidence(session: Session, **values: Any) -> EvidenceFileRow:
    row = EvidenceFileRow(**values)
    session.add(row)
    session.flush()
    return row


def evidence_of(session: Session, task_id: int) -> list[EvidenceFileRow]:
    """Evidence metadata (the bytes stay unloaded until a download asks for them)."""
    cols = (EvidenceFileRow.id, EvidenceFileRow.filename, EvidenceFileRow.content_type,
            EvidenceFileRow.size, EvidenceFileRow.sha256, EvidenceFileRow.uploaded_at,
            EvidenceFileRow.uploaded_by)
    return list(session.execute(select(*cols).where(EvidenceFileRow.task_id == task_id)
                                .order_by(EvidenceFileRow.id)).all())  # type: ignore[arg-type]


def get_evidence(session: Session, task_id: int, evidence_id: int) -> EvidenceFileRow | None:
    return session.execute(select(EvidenceFileRow).where(
        EvidenceFileRow.id == evidence_id, EvidenceFileRow.task_id == task_id)
    ).scalar_one_or_none()


def add_result(session: Session, **values: Any) -> ControlResultRow:
    row = ControlResultRow(**values)
    session.add(row)
    session.flush()
    return row


def result_of(session: Session, task_id: int) -> ControlResultRow | None:
    return session.get(ControlResultRow, task_id)
