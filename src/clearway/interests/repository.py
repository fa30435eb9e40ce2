"""Storage of declarations of interest: the only module here that speaks SQL. The
assignment's lookup (`conflicts_in`) runs in the caller's transaction on the party index."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.interests.model import Status
from clearway.storage.orm import DeclarationPartyRow, UserRow
from clearway.storage.orm_controls import ControlTaskRow, TaskAssignmentRow
from clearway.storage.orm_prevention import InterestDeclarationRow as Row


def conflicts_in(session: Session, declaration_id: int, officer_ids: Iterable[int]
                 ) -> dict[int, set[str]]:
    """The kinds of link each of `officer_ids` declared (and has not withdrawn) to a party
    named on the declaration: officer id -> kinds. Officers without one are absent."""
    ids = sorted(set(officer_ids))
    if not ids:
        return {}
    parties = select(func.upper(DeclarationPartyRow.party_id)).where(
        DeclarationPartyRow.declaration_id == declaration_id)
    rows = session.execute(select(Row.officer_id, Row.kind).where(
        Row.party_id.in_(parties), Row.officer_id.in_(ids), Row.status != Status.WITHDRAWN))
    found: dict[int, set[str]] = defaultdict(set)
    for officer, kind in rows:
        found[int(officer)].add(str(kind))
    return dict(found)


def prior_controls(session: Session, officer_id: int, party_id: str, before: datetime
                   ) -> tuple[int, str | None]:
    """How many control tasks of declarations naming `party_id` the officer was given before
    `before`, and the office of the latest: a declaration filed after them is late."""
    rows = session.execute(
        select(ControlTaskRow.id, ControlTaskRow.office, TaskAssignmentRow.at)
        .join(TaskAssignmentRow, TaskAssignmentRow.task_id == ControlTaskRow.id)
        .join(DeclarationPartyRow,
              DeclarationPartyRow.declaration_id == ControlTaskRow.declaration_id)
        .where(TaskAssignmentRow.officer_id == officer_id, TaskAssignmentRow.at < before,
               func.upper(DeclarationPartyRow.party_id) == party_id)
        .order_by(TaskAssignmentRow.at)).all()
    tasks = {task for task, _, _ in rows}
    return len(tasks), (rows[-1][1] if rows else None)


def add(session: Session, **values: Any) -> Row:
    row = Row(**values)
    session.add(row)
    session.flush()
    return row


def get(session: Session, declaration_id: int, *, for_update: bool = False) -> Row | None:
    query = select(Row).where(Row.id == declaration_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def of_officer(session: Session, officer_id: int) -> list[Row]:
    return list(session.execute(select(Row).where(Row.officer_id == officer_id)
                                .order_by(Row.filed_at.desc(), Row.id.desc())).scalars())


def listing(session: Session, *, status: str | None, limit: int = 500) -> list[Row]:
    """Declarations for review, pending first then newest."""
    query = select(Row)
    if status is not None:
        query = query.where(Row.status == status)
    order = (Row.status != Status.PENDING, Row.filed_at.desc(), Row.id.desc())
    return list(session.execute(query.order_by(*order).limit(limit)).scalars())


def names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {int(i): str(n) for i, n in session.execute(
        select(UserRow.id, UserRow.name).where(UserRow.id.in_(wanted)))}


def user_role(session: Session, user_id: int) -> str | None:
    return session.execute(select(UserRow.role).where(UserRow.id == user_id)
                           ).scalar_one_or_none()


def late_counts(session: Session, start: datetime, end: datetime, office: str | None
                ) -> dict[tuple[int, str], int]:
    """Late declarations filed in [start, end) by (officer, office of the prior control)."""
    query = select(Row.officer_id, Row.prior_office, func.count()).where(
        Row.filed_at >= start, Row.filed_at < end, Row.prior_controls > 0)
    if office is not None:
        query = query.where(Row.prior_office == office)
    rows = session.execute(query.group_by(Row.officer_id, Row.prior_office))
    return {(int(o), str(off)): int(n) for o, off, n in rows if off is not None}
