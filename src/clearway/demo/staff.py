"""The demo's customs staff: officers trained for the qualifications the demo profiles and
screening ask for, and a duty roster covering the history and the live days.

The demo has one small mobile team on duty at every lodgement office of the country: the
generator lodges at all of them, and a task at an office nobody covers would only wait.
Officer3 lacks the dual-use, health, sanctions and IPR qualifications, so the assignment
rule visibly sends those controls to the other two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.controls.service import assign_waiting
from clearway.identity import Role, User
from clearway.training import service as training
from clearway.training.model import Course

QUALIFICATIONS = ("valuation", "origin", "dual-use", "health", "excise", "sanctions", "ipr")
OFFICERS: dict[str, tuple[str, ...]] = {
    "officer": QUALIFICATIONS, "officer2": QUALIFICATIONS,
    "officer3": ("valuation", "origin", "excise"),
}
SUPERVISORS = ("supervisor", "supervisor2")  # one asks for an override, the other approves
ROSTER_ACTOR = "demo"


@dataclass(frozen=True)
class DemoStaff:
    officers: list[User]
    supervisors: list[User]


def course_code(qualification: str) -> str:
    return f"{qualification.upper()}-1"


def train(ctx: Context, officers: list[User], supervisor: User, completed_on: date) -> int:
    """One course per qualification; each officer trained for theirs (audited)."""
    for qual in QUALIFICATIONS:
        training.save_course(ctx, Course(code=course_code(qual), title=f"{qual} controls",
                                         qualification=qual), supervisor)
    done = 0
    for officer in officers:
        for qual in OFFICERS.get(officer.name, ()):
            training.record_training(ctx, officer.id, course_code(qual), completed_on,
                                     supervisor)
            done += 1
    return done


def roster(ctx: Context, officers: list[User], first: date, last: date) -> int:
    """Day-long shifts (00:00 to 24:00 UTC) from `first` to `last` at every office, in one
    unit of work (thousands of shifts: one transaction each would slow the start-up),
    each shift audited; waiting tasks are assigned at the end."""
    ref = ctx.refdata.get()
    offices = [r["code"] for r in ref.rows("offices") if r["country"] == ctx.settings.country_code
               and ref.office(r["code"], last) is not None]
    now, added = ctx.clock.now(), 0
    with ctx.uow() as uow:
        day = first
        while day <= last:
            starts = datetime.combine(day, time(0), UTC)
            for officer in officers:
                for office in offices:
                    shift = controls_repo.add_shift(
                        uow.session, officer_id=officer.id, office=office, starts_at=starts,
                        ends_at=starts + timedelta(hours=24), created_at=now,
                        created_by=ROSTER_ACTOR)
                    audit.append(uow.session, at=now, actor=ROSTER_ACTOR,
                                 action="duty_shift.added", object_type="duty_shift",
                                 object_id=str(shift.id),
                                 detail={"officer_id": officer.id, "office": office,
                                         "starts_at": starts.isoformat(),
                                         "ends_at": (starts + timedelta(hours=24)).isoformat()})
                    added += 1
            day += timedelta(days=1)
        uow.commit()
    assign_waiting(ctx)
    return added


def prepare_staff(ctx: Context, users: dict[str, User], *, days: int) -> DemoStaff:
    """Train the demo officers and put them on duty from `days` days ago to tomorrow."""
    officers = [users[name] for name in OFFICERS if name in users]
    supervisors = [users[name] for name in SUPERVISORS if name in users]
    assert supervisors and all(o.role == Role.OFFICER for o in officers)
    today = ctx.clock.now().date()
    train(ctx, officers, supervisors[0], today - timedelta(days=days + 30))
    roster(ctx, officers, today - timedelta(days=days + 1), today + timedelta(days=1))
    return DemoStaff(officers, supervisors)
