"""Stored agencies, matrix versions, tasks, their steps and the holds on release."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.orm import Session

from clearway.agencies.matrix import Matrix, Version, read_matrix
from clearway.agencies.model import Agency, AgencyKind, TaskStatus
from clearway.identity import Role, User
from clearway.storage.orm import UserRow
from clearway.storage.orm_agencies import (
    AgencyHoldRow,
    AgencyRow,
    AgencyStepRow,
    AgencyTaskRow,
    MatrixVersionRow,
)
from clearway.storage.unit_of_work import insert_rows

APPROVED, PROPOSED, REJECTED = "approved", "proposed", "rejected"
OPEN = (TaskStatus.OPEN, TaskStatus.INSPECTING, TaskStatus.AWAITING_DOCUMENT)


def to_agency(row: AgencyRow) -> Agency:
    return Agency(row.code, row.name, AgencyKind(row.kind), row.target_minutes,
                  row.inspection_rate)


def agencies(session: Session) -> list[Agency]:
    return [to_agency(r) for r in session.execute(
        select(AgencyRow).order_by(AgencyRow.code)).scalars()]


def agency(session: Session, code: str) -> Agency | None:
    row = session.get(AgencyRow, code)
    return None if row is None else to_agency(row)


def add_agency(session: Session, agency_: Agency, *, now: datetime, actor: str) -> None:
    session.add(AgencyRow(code=agency_.code, name=agency_.name, kind=agency_.kind.value,
                          target_minutes=agency_.target_minutes,
                          inspection_rate=agency_.inspection_rate, created_at=now,
                          created_by=actor))
    session.flush()


def versions(session: Session) -> list[MatrixVersionRow]:
    return list(session.execute(
        select(MatrixVersionRow).order_by(MatrixVersionRow.id.desc())).scalars())


def version(session: Session, number: int, *, for_update: bool = False
            ) -> MatrixVersionRow | None:
    query = select(MatrixVersionRow).where(MatrixVersionRow.id == number)
    return session.execute(query.with_for_update() if for_update else query).scalar_one_or_none()


def latest_approved(session: Session) -> MatrixVersionRow | None:
    return session.execute(
        select(MatrixVersionRow).where(MatrixVersionRow.status == APPROVED)
        .order_by(MatrixVersionRow.id.desc()).limit(1)).scalar_one_or_none()


def signature(session: Session) -> Hashable:
    """Changes whenever a version is approved or an agency is added or changed: the cache,
    which keeps the agencies beside the matrix, rebuilds then."""
    approved = tuple(session.execute(select(func.max(MatrixVersionRow.decided_at), func.count())
                                     .where(MatrixVersionRow.status == APPROVED)).one())
    return approved, tuple(agencies(session))


def load_matrix(session: Session) -> Matrix:
    rows = session.execute(
        select(MatrixVersionRow).where(MatrixVersionRow.status == APPROVED)
        .order_by(MatrixVersionRow.id.desc())).scalars()
    return Matrix(tuple(Version(r.id, r.valid_from, tuple(read_matrix(r.content)))
                        for r in rows), {a.code: a for a in agencies(session)})


def task(session: Session, task_id: int, *, for_update: bool = False) -> AgencyTaskRow | None:
    query = select(AgencyTaskRow).where(AgencyTaskRow.id == task_id)
    return session.execute(query.with_for_update() if for_update else query).scalar_one_or_none()


def tasks(session: Session, *, agency_: str | None = None, officer_id: int | None = None,
          status: str | None = None, declaration_id: int | None = None,
          limit: int = 200) -> list[AgencyTaskRow]:
    query = select(AgencyTaskRow).order_by(AgencyTaskRow.id.desc()).limit(limit)
    if agency_ is not None:
        query = query.where(AgencyTaskRow.agency == agency_)
    if officer_id is not None:   # an officer's own and the agency's unassigned tasks
        query = query.where((AgencyTaskRow.officer_id == officer_id)
                            | AgencyTaskRow.officer_id.is_(None))
    if status == "open":
        query = query.where(AgencyTaskRow.status.in_(OPEN))
    elif status is not None:
        query = query.where(AgencyTaskRow.status == status)
    if declaration_id is not None:
        query = query.where(AgencyTaskRow.declaration_id == declaration_id)
    return list(session.execute(query).scalars())


def holding(session: Session, declaration_id: int) -> list[AgencyTaskRow]:
    """The declaration's tasks that still hold its release (open, goods may not move)."""
    return list(session.execute(select(AgencyTaskRow).where(
        AgencyTaskRow.declaration_id == declaration_id, AgencyTaskRow.holds_release,
        AgencyTaskRow.status.in_(OPEN))).scalars())


def refused(session: Session, declaration_id: int) -> AgencyTaskRow | None:
    return session.execute(select(AgencyTaskRow).where(
        AgencyTaskRow.declaration_id == declaration_id, AgencyTaskRow.decision == "refuse")
        .limit(1)).scalar_one_or_none()


def hold(session: Session, declaration_id: int, *, lock: bool = False) -> AgencyHoldRow | None:
    query = select(AgencyHoldRow).where(AgencyHoldRow.declaration_id == declaration_id)
    return session.execute(query.with_for_update() if lock else query).scalar_one_or_none()


def add_step(session: Session, task_row: AgencyTaskRow, step: str, *, at: datetime,
             actor: str, detail: dict[str, Any] | None = None) -> None:
    session.add(AgencyStepRow(task_id=task_row.id, step=step, at=at, actor=actor,
                              office=task_row.office, detail=detail or {}))


_TASKS, _HOLDS = cast(Table, AgencyTaskRow.__table__), cast(Table, AgencyHoldRow.__table__)
_INSERT_TASKS = _TASKS.insert().returning(_TASKS.c.agency, _TASKS.c.id)
_CLEAR_HOLD = (_HOLDS.update().where(_HOLDS.c.declaration_id == bindparam("declaration"))
               .values(customs_cleared_at=bindparam("at"), customs_by=bindparam("by")))


def insert_tasks(session: Session, tasks_: list[dict[str, Any]]) -> dict[str, int]:
    """Insert one declaration's new tasks through the core, in one statement; their ids by
    agency (one task per agency and declaration; the acceptance path: no flush per task to
    learn its id)."""
    return {r.agency: r.id for r in session.connection().execute(_INSERT_TASKS, tasks_)}


def insert_steps(session: Session, steps_: list[dict[str, Any]]) -> None:
    if steps_:
        insert_rows(session, AgencyStepRow, steps_)


def insert_hold(session: Session, declaration_id: int) -> None:
    insert_rows(session, AgencyHoldRow, {"declaration_id": declaration_id,
                                         "customs_cleared_at": None, "customs_by": None})


def clear_hold(session: Session, declaration_id: int, *, at: datetime, by: str) -> None:
    """Customs' clearance on a hold inserted through the core (not loaded in the session)."""
    session.connection().execute(_CLEAR_HOLD, {"declaration": declaration_id, "at": at,
                                               "by": by})


def steps(session: Session, task_ids: Iterable[int]) -> list[AgencyStepRow]:
    return list(session.execute(select(AgencyStepRow).where(
        AgencyStepRow.task_id.in_(list(task_ids))).order_by(AgencyStepRow.id)).scalars())


def member(session: Session, name: str, agency_: str) -> int | None:
    """The id of an active officer or supervisor of `agency_` named `name`."""
    return session.execute(select(UserRow.id).where(
        UserRow.name == name, UserRow.trader_id == agency_, UserRow.revoked_at.is_(None),
        UserRow.role.in_(("agency_officer", "agency_supervisor")))).scalar()


def acting(session: Session, name: str) -> User | None:
    """An active user by name, as the command line acts for them (four eyes need a name)."""
    row = session.execute(select(UserRow).where(UserRow.name == name,
                                                UserRow.revoked_at.is_(None))).scalar()
    return None if row is None else User(id=row.id, name=row.name, role=Role(row.role),
                                         trader_id=row.trader_id)
