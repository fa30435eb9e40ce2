"""Stored exit records: the exports and transits this administration announced to a partner
when they left, and what the partner confirmed (the sending side of pre-arrival)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.storage.orm_prearrival import ExitRecordRow

EXIT_STATUSES = ("announced", "confirmed", "unconfirmed")


@dataclass(frozen=True)
class ExitRecord:
    declaration_id: int
    mrn: str
    partner: str
    agreement_id: str
    message_id: str
    office_of_exit: str
    office_of_entry: str
    exit_at: datetime
    deadline_at: datetime


def add(session: Session, record: ExitRecord) -> int:
    """Store an announced exit in the caller's transaction; returns its id."""
    row = ExitRecordRow(**asdict(record), status="announced")
    session.add(row)
    session.flush()
    return row.id


def find(session: Session, partner: str, mrn: str, *,
         for_update: bool = False) -> ExitRecordRow | None:
    query = select(ExitRecordRow).where(ExitRecordRow.partner == partner,
                                        ExitRecordRow.mrn == mrn)
    return session.scalars(query.with_for_update() if for_update else query).first()


def confirm(row: ExitRecordRow, confirmation: dict[str, Any], now: datetime) -> None:
    """The partner confirmed the arrival: the export's exit results."""
    row.status, row.confirmed_at, row.confirmation = "confirmed", now, confirmation


def overdue(session: Session, now: datetime, limit: int) -> list[ExitRecordRow]:
    """Announced exits whose deadline passed with no confirmation, oldest first, locked so
    two sweeps never raise the same alarm twice (skipped by the other on PostgreSQL)."""
    query = (select(ExitRecordRow)
             .where(ExitRecordRow.status == "announced", ExitRecordRow.deadline_at < now)
             .order_by(ExitRecordRow.deadline_at, ExitRecordRow.id).limit(limit)
             .with_for_update(skip_locked=True))
    return list(session.scalars(query))


def listed(session: Session, *, status: str | None, limit: int,
           offset: int = 0) -> list[ExitRecordRow]:
    query = select(ExitRecordRow).order_by(ExitRecordRow.exit_at.desc(), ExitRecordRow.id.desc())
    if status is not None:
        query = query.where(ExitRecordRow.status == status)
    return list(session.scalars(query.limit(limit).offset(offset)))


def as_dict(row: ExitRecordRow) -> dict[str, Any]:
    """The record's columns, as the API shows them (`exit_schemas.ExitOut`)."""
    return {column.key: getattr(row, column.key) for column in ExitRecordRow.__table__.columns}
