"""Who serves where, and who holds what, read from the duty roster and training records
inside the caller's unit of work (the training plan and the instructions room share it).

An officer belongs to an office's staff when the roster puts them on duty there on some day
of the window: shifts are the one record of where officers work.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.storage.orm_controls import DutyShiftRow
from clearway.storage.orm_training import TrainingCourseRow, TrainingRecordRow
from clearway.training.model import TrainingRecord

# An officer serves at the offices the roster puts them on within this many days of the day.
ROSTER_DAYS = 90


def roster_window(day: date) -> tuple[date, date]:
    return day - timedelta(days=ROSTER_DAYS), day + timedelta(days=ROSTER_DAYS + 1)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def offices_by_officer(session: Session, start: date, end: date,
                       officer_ids: Iterable[int] | None = None) -> dict[int, set[str]]:
    """The offices each officer is on duty at on some day in [start, end)."""
    stmt = (select(DutyShiftRow.officer_id, DutyShiftRow.office).distinct()
            .where(DutyShiftRow.starts_at < _at(end), DutyShiftRow.ends_at > _at(start)))
    if officer_ids is not None:
        stmt = stmt.where(DutyShiftRow.officer_id.in_(list(officer_ids)))
    found: dict[int, set[str]] = {}
    for officer, office in session.execute(stmt):
        found.setdefault(int(officer), set()).add(str(office))
    return found


def records_with_qualification(session: Session, officer_ids: Iterable[int] | None = None
                               ) -> list[tuple[TrainingRecord, str]]:
    """Every training record of a course granting a qualification, with the qualification."""
    stmt = (select(TrainingRecordRow, TrainingCourseRow.qualification)
            .join(TrainingCourseRow, TrainingCourseRow.code == TrainingRecordRow.course_code)
            .where(TrainingCourseRow.qualification.is_not(None)))
    if officer_ids is not None:
        stmt = stmt.where(TrainingRecordRow.officer_id.in_(list(officer_ids)))
    return [(TrainingRecord(r.officer_id, r.course_code, r.completed_on, r.expires_on), str(q))
            for r, q in session.execute(stmt)]


def held_on(records: Iterable[tuple[TrainingRecord, str]], day: date) -> dict[int, set[str]]:
    """Qualifications each officer holds on `day` (any one valid record suffices)."""
    found: dict[int, set[str]] = {}
    for record, qualification in records:
        if record.completed_on <= day and (record.expires_on is None or day < record.expires_on):
            found.setdefault(record.officer_id, set()).add(qualification)
    return found
