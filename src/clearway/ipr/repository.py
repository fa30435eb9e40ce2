"""Applications for action in the database (table `ipr_applications`)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.ipr.model import IprApplication
from clearway.storage.orm_risk import IprApplicationRow


@dataclass(frozen=True)
class IprRecord:
    """A stored application with its bookkeeping times."""

    application: IprApplication
    created_at: datetime
    updated_at: datetime


def record_of(row: IprApplicationRow) -> IprRecord:
    data = {**row.definition, "reference": row.reference, "status": row.status}
    return IprRecord(IprApplication.model_validate(data), row.created_at, row.updated_at)


def _columns(app: IprApplication) -> dict[str, object]:
    return {"reference": app.reference, "right_holder": app.right_holder, "status": app.status,
            "valid_from": app.valid_from, "valid_to": app.valid_to,
            "definition": app.model_dump(mode="json")}


def row(session: Session, reference: str, *, for_update: bool = False) -> IprApplicationRow | None:
    stmt = select(IprApplicationRow).where(IprApplicationRow.reference == reference)
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def get(session: Session, reference: str) -> IprRecord | None:
    found = row(session, reference)
    return None if found is None else record_of(found)


def add(session: Session, app: IprApplication, now: datetime) -> IprRecord:
    stored = IprApplicationRow(**_columns(app), created_at=now, updated_at=now)
    session.add(stored)
    session.flush()
    return record_of(stored)


def save(session: Session, stored: IprApplicationRow, app: IprApplication,
         now: datetime) -> IprRecord:
    for key, value in _columns(app).items():
        setattr(stored, key, value)
    stored.updated_at = now
    session.flush()
    return record_of(stored)


def records(session: Session, *, status: str | None = None,
            on: date | None = None) -> list[IprRecord]:
    """Applications by reference; `on`: only those whose period covers that date."""
    stmt = select(IprApplicationRow).order_by(IprApplicationRow.reference)
    if status is not None:
        stmt = stmt.where(IprApplicationRow.status == status)
    if on is not None:
        stmt = stmt.where(IprApplicationRow.valid_from <= on, IprApplicationRow.valid_to >= on)
    return [record_of(r) for r in session.execute(stmt).scalars()]


def active(session: Session) -> list[IprApplication]:
    return [r.application for r in records(session, status="active")]


def signature(session: Session) -> Hashable:
    """Changes when an application is added, changed or withdrawn (for the engine's cache)."""
    return tuple(session.execute(select(func.count(IprApplicationRow.id),
                                        func.max(IprApplicationRow.updated_at))).one())
