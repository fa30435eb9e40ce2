"""Use cases of officers' training: courses, completed trainings, qualifications, the yearly
report. Every change is audited in the same unit of work.

Control assignment reads `repository.qualified_officers`: a control that needs a qualification
goes only to an officer holding it on the day (R5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Role, User
from clearway.training import repository as repo
from clearway.training.model import Course, TrainingRecord, qualifications_on, record_for

TRAINABLE = frozenset({Role.OFFICER.value, Role.SUPERVISOR.value})


@dataclass(frozen=True)
class OfficerTraining:
    officer_id: int
    records: list[TrainingRecord]
    qualifications: set[str]


@dataclass(frozen=True)
class CourseYear:
    course_code: str
    title: str
    officers: int  # distinct officers trained
    trainings: int


def save_course(ctx: Context, course: Course, user: User) -> Course:
    """Create a course, or replace what it says. Trainings already recorded keep the expiry
    computed when they were recorded."""
    with ctx.uow() as uow:
        created = repo.save_course(uow.session, course, ctx.clock.now())
        audit.append(uow.session, at=ctx.clock.now(), actor=user.actor,
                     action=f"training_course.{'created' if created else 'updated'}",
                     object_type="training_course", object_id=course.code,
                     detail=course.model_dump(exclude={"code"}))
        uow.commit()
    return course


def list_courses(ctx: Context) -> list[Course]:
    with ctx.uow(read_only=True) as uow:
        return list(repo.courses(uow.session).values())


def _check_officer(session: Session, officer_id: int) -> None:
    role = repo.user_role(session, officer_id)
    if role is None:
        raise NotFound("User", str(officer_id))
    if role not in TRAINABLE:
        raise ClearwayError(code="CW-TRAINING-NOT-OFFICER",
                            message=f"User {officer_id} is a {role}, not an officer or supervisor")


def record_training(ctx: Context, officer_id: int, course_code: str, completed_on: date,
                    user: User) -> TrainingRecord:
    today = ctx.clock.now().date()
    if completed_on > today:
        raise ClearwayError(code="CW-TRAINING-DATE",
                            message=f"Completion date {completed_on} is after today ({today})")
    with ctx.uow() as uow:
        _check_officer(uow.session, officer_id)
        stored = repo.course_row(uow.session, course_code)
        if stored is None:
            raise NotFound("Course", course_code)
        record = record_for(officer_id, repo.course_of(stored), completed_on)
        record_id = repo.add_record(uow.session, record, ctx.clock.now(), user.actor)
        audit.append(uow.session, at=ctx.clock.now(), actor=user.actor,
                     action="training.recorded", object_type="training_record",
                     object_id=str(record_id),
                     detail={"officer_id": officer_id, "course": course_code,
                             "completed_on": completed_on.isoformat(),
                             "expires_on": record.expires_on.isoformat()
                             if record.expires_on else None})
        uow.commit()
    return record


def officer_training(ctx: Context, officer_id: int, day: date | None = None) -> OfficerTraining:
    """An officer's trainings and the qualifications they hold on `day` (default today)."""
    with ctx.uow(read_only=True) as uow:
        if repo.user_role(uow.session, officer_id) is None:
            raise NotFound("User", str(officer_id))
        records = repo.records_of(uow.session, officer_id)
        courses = repo.courses(uow.session)
    on = day or ctx.clock.now().date()
    return OfficerTraining(officer_id, records, qualifications_on(records, courses, on))


def report(session: Session, year: int) -> list[CourseYear]:
    """Officers trained per course in `year` (by completion date), courses by code."""
    rows = repo.per_course(session, date(year, 1, 1), date(year + 1, 1, 1))
    return [CourseYear(*row) for row in rows]
