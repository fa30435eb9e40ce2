"""Storage of four-eyes requests, and the facts about a declaration the rules need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from clearway.overrides.model import Status
from clearway.storage.orm import DeclarationRow, UserRow
from clearway.storage.orm_controls import OverrideRow


@dataclass(frozen=True)
class OverrideFilter:
    status: Status | None = None
    requested_by_id: int | None = None  # None: anyone's
    declaration_id: int | None = None


@dataclass(frozen=True)
class Listed:
    """A request with the names of the persons and the declaration's reference."""

    row: OverrideRow
    reference: str
    requested_by: str
    decided_by: str | None


def add(session: Session, **values: Any) -> OverrideRow:
    row = OverrideRow(**values)
    session.add(row)
    session.flush()
    return row


def get(session: Session, override_id: int, *, for_update: bool = False) -> OverrideRow | None:
    query = select(OverrideRow).where(OverrideRow.id == override_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def pending_for(session: Session, declaration_id: int) -> OverrideRow | None:
    return session.execute(
        select(OverrideRow).where(OverrideRow.declaration_id == declaration_id,
                                  OverrideRow.status == Status.PENDING).limit(1)
    ).scalar_one_or_none()


def user_name(session: Session, user_id: int) -> str | None:
    return session.execute(select(UserRow.name).where(UserRow.id == user_id)).scalar()


def find_user(session: Session, name: str) -> UserRow | None:
    return session.execute(select(UserRow).where(UserRow.name == name)).scalar_one_or_none()


def _with_names() -> Any:
    """Requests joined with their declaration's reference and the persons' names."""
    requester, decider = aliased(UserRow), aliased(UserRow)
    return (select(OverrideRow, func.coalesce(DeclarationRow.mrn, DeclarationRow.lrn),
                   requester.name, decider.name)
            .join(DeclarationRow, DeclarationRow.id == OverrideRow.declaration_id)
            .join(requester, requester.id == OverrideRow.requested_by_id)
            .outerjoin(decider, decider.id == OverrideRow.decided_by_id))


def listed(session: Session, flt: OverrideFilter, *, offset: int = 0,
           limit: int = 100) -> tuple[list[Listed], int]:
    """Requests, newest first, with the total matching the filter."""
    query = _with_names()
    if flt.status is not None:
        query = query.where(OverrideRow.status == flt.status)
    if flt.requested_by_id is not None:
        query = query.where(OverrideRow.requested_by_id == flt.requested_by_id)
    if flt.declaration_id is not None:
        query = query.where(OverrideRow.declaration_id == flt.declaration_id)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    found = session.execute(query.order_by(OverrideRow.id.desc()).offset(offset).limit(limit))
    return [Listed(row, reference, asked, decided)
            for row, reference, asked, decided in found], total


def one(session: Session, override_id: int) -> Listed | None:
    """A request by its number, with names."""
    found = session.execute(_with_names().where(OverrideRow.id == override_id)).first()
    return None if found is None else Listed(*found)


def decided(session: Session, *, offset: int, limit: int) -> tuple[list[Listed], int]:
    """Approved and refused requests, the latest decision first, with their total."""
    done = OverrideRow.status.in_([Status.APPROVED.value, Status.REJECTED.value])
    total = session.execute(select(func.count()).select_from(OverrideRow).where(done)
                            ).scalar_one()
    found = session.execute(_with_names().where(done)
                            .order_by(OverrideRow.decided_at.desc(), OverrideRow.id.desc())
                            .offset(offset).limit(limit))
    return [Listed(row, reference, asked, by) for row, reference, asked, by in found], total
