"""Courses and training records in the database (tables `training_courses`, `training_records`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.storage.orm import UserRow
from clearway.storage.orm_training import TrainingCourseRow, TrainingRecordRow
from clearway.training.model import Course, TrainingRecord


def course_of(row: TrainingCourseRow) -> Course:
    return Course(code=row.code, title=row.title, qualification=row.qualification,
                  validity_months=row.validity_months)


def record_of(row: TrainingRecordRow) -> TrainingRecord:
    return TrainingRecord(row.officer_id, row.course_code, row.completed_on, row.expires_on)


def course_row(session: Session, code: str, *,
               for_update: bool = False) -> TrainingCourseRow | None:
    stmt = select(TrainingCourseRow).where(TrainingCourseRow.code == code)
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def save_course(session: Session, course: Course, now: datetime) -> bool:
    """Insert or replace a course; True when it was new."""
    row = course_row(session, course.code, for_update=True)
    created = row is None
    if row is None:
        row = TrainingCourseRow(code=course.code, created_at=now)
        session.add(row)
    row.title, row.qualification = course.title, course.qualification
    row.validity_months, row.updated_at = course.validity_months, now
    session.flush()
    return created


def courses(session: Session) -> dict[str, Course]:
    rows = session.execute(select(TrainingCourseRow).order_by(TrainingCourseRow.code)).scalars()
    return {r.code: course_of(r) for r in rows}


def user_role(session: Session, user_id: int) -> str | None:
    return session.execute(select(UserRow.role).where(UserRow.id == user_id)).scalar_one_or_none()


def add_record(session: Session, record: TrainingRecord, now: datetime, actor: str) -> int:
    row = TrainingRecordRow(officer_id=record.officer_id, course_code=record.course_code,
                            completed_on=record.completed_on, expires_on=record.expires_on,
                            recorded_at=now, recorded_by=actor)
    session.add(row)
    session.flush()
    return row.id


def records_of(session: Session, officer_id: int) -> list[TrainingRecord]:
    stmt = (select(TrainingRecordRow).where(TrainingRecordRow.officer_id == officer_id)
            .order_by(TrainingRecordRow.completed_on, TrainingRecordRow.id))
    return [record_of(r) for r in session.execute(stmt).scalars()]


def records_valid_on(session: Session, qualification: str, day: date) -> list[TrainingRecord]:
    """Records of courses granting `qualification` whose period covers `day` (SQL-side)."""
    stmt = (select(TrainingRecordRow)
            .join(TrainingCourseRow, TrainingCourseRow.code == TrainingRecordRow.course_code)
            .where(TrainingCourseRow.qualification == qualification,
                   TrainingRecordRow.completed_on <= day,
                   (TrainingRecordRow.expires_on.is_(None)) | (TrainingRecordRow.expires_on > day)))
    return [record_of(r) for r in session.execute(stmt).scalars()]


def per_course(session: Session, start: date, end: date) -> list[tuple[str, str, int, int]]:
    """(course code, title, distinct officers, trainings) for trainings completed in
    [start, end), by course code."""
    stmt = (select(TrainingCourseRow.code, TrainingCourseRow.title,
                   func.count(func.distinct(TrainingRecordRow.officer_id)),
                   func.count(TrainingRecordRow.id))
            .join(TrainingRecordRow, TrainingRecordRow.course_code == TrainingCourseRow.code)
            .where(TrainingRecordRow.completed_on >= start, TrainingRecordRow.completed_on < end)
            .group_by(TrainingCourseRow.code, TrainingCourseRow.title)
            .order_by(TrainingCourseRow.code))
    return [(c, t, int(o), int(n)) for c, t, o, n in session.execute(stmt).all()]


def qualified_officers(session: Session, qualification: str, day: date) -> set[int]:
    """Ids of the officers holding `qualification` on `day`, inside the caller's unit of work."""
    return {r.officer_id for r in records_valid_on(session, qualification, day)}
