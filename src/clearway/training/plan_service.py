"""Use cases of the yearly training plan: the needs the data shows, sessions planned with
seats, trainer and budget, sessions held (each attendee gets a training record), the plan
against its execution, and the figures the progress report's training section reads.
Every change is audited in the same unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, Conflict, NotFound
from clearway.identity import User
from clearway.storage.orm_training import TrainingSessionRow
from clearway.training import plan_repository as plans
from clearway.training import repository as repo
from clearway.training.figures import Needs, needs_in
from clearway.training.model import record_for
from clearway.training.plan import HeldIn, SessionIn
from clearway.training.service import TRAINABLE


@dataclass(frozen=True)
class Plan:
    year: int
    sessions: list[TrainingSessionRow]
    qualification_of: dict[str, str | None]  # course code -> the qualification it grants
    needs: Needs

    def seats_for(self, qualification: str) -> int:
        return sum(s.seats for s in self.sessions
                   if self.qualification_of.get(s.course_code) == qualification)


def training_needs(ctx: Context, day: date | None = None) -> Needs:
    with ctx.uow(read_only=True) as uow:
        return needs_in(uow.session, day or ctx.clock.now().date())


def plan_session(ctx: Context, body: SessionIn, user: User) -> TrainingSessionRow:
    """Add a course session to the plan of its year (audited)."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        if repo.course_row(uow.session, body.course_code) is None:
            raise NotFound("Course", body.course_code)
        row = plans.add_session(uow.session, year=body.planned_on.year, attendees=[],
                                created_at=now, created_by=user.actor, **body.model_dump())
        audit.append(uow.session, at=now, actor=user.actor, action="training_session.planned",
                     object_type="training_session", object_id=str(row.id),
                     detail=body.model_dump(mode="json"))
        uow.commit()
        return row


def _check_attendees(session: Session, row: TrainingSessionRow, body: HeldIn,
                     today: date) -> list[int]:
    people = sorted(set(body.attendees))
    if body.held_on > today:
        raise ClearwayError(code="CW-TRAINING-DATE",
                            message=f"The session is held on {body.held_on}, after today")
    if len(people) > row.seats:
        raise ClearwayError(code="CW-TRAINING-SEATS",
                            message=f"{len(people)} attendees for {row.seats} seats")
    for person in people:
        role = repo.user_role(session, person)
        if role is None:
            raise NotFound("User", str(person))
        if role not in TRAINABLE:
            raise ClearwayError(code="CW-TRAINING-NOT-OFFICER",
                                message=f"User {person} is a {role}, not an officer or "
                                        "supervisor")
    return people


def record_held(ctx: Context, session_id: int, body: HeldIn, user: User) -> TrainingSessionRow:
    """Record a planned session as held: each attendee gets a training record of the course
    on that day (audited), and the session keeps what it cost."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = plans.get_session(uow.session, session_id, for_update=True)
        if row is None:
            raise NotFound("Training session", str(session_id))
        if row.held_on is not None:
            raise Conflict("CW-TRAINING-SESSION-HELD",
                           f"Session {session_id} was recorded as held on {row.held_on}")
        people = _check_attendees(uow.session, row, body, now.date())
        stored = repo.course_row(uow.session, row.course_code)
        if stored is None:  # the foreign key keeps it; a clear refusal all the same
            raise NotFound("Course", row.course_code)
        course = repo.course_of(stored)
        for person in people:
            record = record_for(person, course, body.held_on)
            record_id = repo.add_record(uow.session, record, now, user.actor)
            audit.append(uow.session, at=now, actor=user.actor, action="training.recorded",
                         object_type="training_record", object_id=str(record_id),
                         detail={"officer_id": person, "course": course.code,
                                 "completed_on": body.held_on.isoformat(),
                                 "expires_on": record.expires_on.isoformat()
                                 if record.expires_on else None, "session": row.id})
        row.held_on, row.spent, row.attendees = body.held_on, body.spent, people
        audit.append(uow.session, at=now, actor=user.actor, action="training_session.held",
                     object_type="training_session", object_id=str(row.id),
                     detail={"course": row.course_code, "held_on": body.held_on.isoformat(),
                             "spent": str(body.spent), "attendees": people})
        uow.commit()
        return row


def plan_of(ctx: Context, year: int) -> Plan:
    """The year's sessions (planned and held) beside the needs on today's date."""
    with ctx.uow(read_only=True) as uow:
        sessions = plans.sessions_of(uow.session, date(year, 1, 1), date(year + 1, 1, 1))
        courses = repo.courses(uow.session)
        found = needs_in(uow.session, ctx.clock.now().date())
    return Plan(year, sessions, {c: k.qualification for c, k in courses.items()}, found)
