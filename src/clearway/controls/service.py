"""Use cases of the controls room, one unit of work each: the duty roster, assignment of
waiting tasks, task lists by role, evidence, reassignment. Starting a task and recording its
result move the goods: the clearance room's (`clearance.control_work`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.controls import repository as repo
from clearway.controls.assignment import Candidate
from clearway.controls.model import (
    DUTY_ROLES,
    MAX_SHIFT_HOURS,
    TaskStatus,
)
from clearway.controls.tasks import (
    assign_waiting_in,
    free_candidates,
    record_assignment,
    refuse_if_linked,
)
from clearway.controls.work import add_evidence_in, own_task, visible_task
from clearway.errors import ClearwayError, NotFound, reason_required
from clearway.identity import Role, User
from clearway.rotation.model import DEFAULT_FUNCTION, Tenure, TenureStatus
from clearway.rotation.repository import shift_check_in
from clearway.storage.orm_controls import ControlTaskRow, DutyShiftRow, EvidenceFileRow
from clearway.users import repository as users_repo


@dataclass(frozen=True)
class ShiftAdded:
    shift: DutyShiftRow
    assigned: int  # waiting tasks assigned thanks to it
    warning: str | None = None  # the officer nears the post's maximum tenure


def add_shift(ctx: Context, officer_id: int, office: str, starts_at: datetime,
              ends_at: datetime, user: User, function: str = DEFAULT_FUNCTION) -> ShiftAdded:
    """Put an officer on duty at an office; waiting tasks are assigned at once. On a
    sensitive post the shift is refused past the maximum tenure (without an approved
    exception) and warns ahead of it."""
    if ends_at <= starts_at or ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        raise ClearwayError(code="CW-ROSTER-PERIOD",
                            message=f"A shift ends after it starts and lasts at most "
                            f"{MAX_SHIFT_HOURS} hours")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        role = repo.user_role(uow.session, officer_id)
        if role is None:
            raise NotFound("User", str(officer_id))
        if role not in DUTY_ROLES:
            raise ClearwayError(code="CW-ROSTER-NOT-OFFICER",
                                message=f"User {officer_id} is a {role}: only officers and "
                                "supervisors are put on duty")
        held = shift_check_in(uow.session, officer_id=officer_id, office=office,
                              function=function, starts_at=starts_at, ends_at=ends_at)
        if held is not None and held.status == TenureStatus.OVER:
            raise ClearwayError(code="CW-ROTATION-TENURE",
                                message=f"User {officer_id} must rotate off {office} "
                                f"({function}) by {held.rotate_by}: a shift ending "
                                f"{ends_at.date()} needs an approved tenure exception")
        shift = repo.add_shift(uow.session, officer_id=officer_id, office=office,
                               function=function, starts_at=starts_at, ends_at=ends_at,
                               created_at=now, created_by=user.actor)
        audit.append(uow.session, at=now, actor=user.actor, action="duty_shift.added",
                     object_type="duty_shift", object_id=str(shift.id),
                     detail={"officer_id": officer_id, "office": office,
                             "function": function, "starts_at": starts_at.isoformat(),
                             "ends_at": ends_at.isoformat(),
                             "tenure": held.status if held else None})
        assigned = assign_waiting_in(uow.session, now=now, rng=ctx.rng)
        uow.commit()
        return ShiftAdded(shift, assigned, tenure_warning(held))


def tenure_warning(held: Tenure | None) -> str | None:
    """What the roster tells the supervisor about the officer's tenure on the post."""
    if held is None or held.status == TenureStatus.OK:
        return None
    if held.status == TenureStatus.EXCEPTION:
        return (f"On {held.office} ({held.function}) past {held.rotate_by} under an approved "
                f"exception until {held.exception_until}")
    return (f"Must rotate off {held.office} ({held.function}) by {held.rotate_by} "
            f"(on the post since {held.since}): plan the rotation")


def list_shifts(ctx: Context, *, office: str | None, start: datetime | None,
                end: datetime | None) -> list[DutyShiftRow]:
    with ctx.uow(read_only=True) as uow:
        return repo.list_shifts(uow.session, office=office, start=start, end=end)


def assign_waiting(ctx: Context) -> int:
    """Assign the tasks awaiting an officer to eligible officers now on duty."""
    with ctx.uow() as uow:
        assigned = assign_waiting_in(uow.session, now=ctx.clock.now(), rng=ctx.rng)
        uow.commit()
        return assigned


def list_tasks(ctx: Context, user: User, *, office: str | None, status: str | None,
               limit: int = 100, offset: int = 0) -> list[ControlTaskRow]:
    """An officer: their own tasks only. A supervisor: their own, or an office's with
    `office`. An auditor: every task (of `office` if given)."""
    mine = user.role == Role.OFFICER or (user.role == Role.SUPERVISOR and office is None)
    with ctx.uow(read_only=True) as uow:
        return repo.list_tasks(uow.session, officer_id=user.id if mine else None,
                               office=office, status=status, limit=limit, offset=offset)


@dataclass(frozen=True)
class TaskPage:
    rows: list[ControlTaskRow]
    total: int  # tasks matching the filter, on every page
    names: dict[int, str]  # officers' names by id


def task_page(ctx: Context, user: User, *, office: str | None,
              statuses: Iterable[str] | None, limit: int, offset: int) -> TaskPage:
    """One page of the tasks `list_tasks` would show, open ones first, with the total and
    the officers' names (pages show people by name)."""
    mine = user.role == Role.OFFICER or (user.role == Role.SUPERVISOR and office is None)
    officer_id = user.id if mine else None
    with ctx.uow(read_only=True) as uow:
        rows = repo.list_tasks(uow.session, officer_id=officer_id, office=office, status=None,
                               statuses=statuses, limit=limit, offset=offset, open_first=True)
        total = repo.count_tasks(uow.session, officer_id=officer_id, office=office,
                                 statuses=statuses)
        names = users_repo.names(uow.session, [t.officer_id for t in rows if t.officer_id])
        return TaskPage(rows, total, names)


def task_detail(ctx: Context, task_id: int, user: User) -> dict[str, Any]:
    with ctx.uow(read_only=True) as uow:
        task = visible_task(uow.session, task_id, user)
        result = repo.result_of(uow.session, task.id)
        assignments = repo.assignments(uow.session, task.id)
        people = [task.officer_id, *(a.officer_id for a in assignments)]
        return {"task": task, "assignments": assignments,
                "evidence": repo.evidence_of(uow.session, task.id), "result": result,
                "document": repo.declaration_document(uow.session, task.declaration_id),
                "names": users_repo.names(uow.session, [i for i in people if i])}


def add_evidence(ctx: Context, task_id: int, user: User, *, data: bytes, filename: str,
                 content_type: str) -> EvidenceFileRow:
    with ctx.uow() as uow:
        task = own_task(uow.session, task_id, user)
        row = add_evidence_in(uow.session, task, user, data=data, filename=filename,
                              content_type=content_type, now=ctx.clock.now(),
                              max_bytes=ctx.settings.evidence_max_bytes)
        uow.commit()
        return row


def evidence_file(ctx: Context, task_id: int, evidence_id: int, user: User) -> EvidenceFileRow:
    with ctx.uow(read_only=True) as uow:
        visible_task(uow.session, task_id, user)
        row = repo.get_evidence(uow.session, task_id, evidence_id)
        if row is None:
            raise NotFound("Evidence", str(evidence_id))
        return row


def reassign(ctx: Context, task_id: int, officer_id: int, reason: str | None,
             user: User) -> ControlTaskRow:
    """A supervisor gives a task to another eligible officer, with a written reason."""
    if not reason or not reason.strip():
        raise reason_required("A reassignment needs a written reason")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        task = visible_task(uow.session, task_id, user, for_update=True)
        if task.status not in (TaskStatus.AWAITING_OFFICER, TaskStatus.ASSIGNED):
            raise ClearwayError(code="CW-TASK-STATE",
                                message=f"Task {task.id} is {task.status}: only a task not "
                                "yet started can be reassigned")
        refuse_if_linked(uow.session, task.declaration_id, officer_id,
                         what=f"task {task.id}'s declaration")
        free, excluded = free_candidates(uow.session, task, now)
        if officer_id == task.officer_id or officer_id not in {c.officer_id for c in free}:
            needs = sorted(task.qualifications or [])
            raise ClearwayError(code="CW-TASK-INELIGIBLE",
                                message=f"User {officer_id} is not an eligible new officer "
                                f"for task {task.id}: on duty at {task.office or 'its office'}"
                                f", holding {', '.join(needs) or 'no special'} "
                                "qualifications, and not its current officer")
        record_assignment(uow.session, task, officer_id, now=now, by=user.actor,
                          reason=reason.strip(), eligible=len(free), excluded=excluded)
        uow.commit()
        return task


def eligible_in(session: Session, task: ControlTaskRow, at: datetime) -> list[Candidate]:
    """Who may take `task` at `at`: the rule of the random assignment (`assignment`), those
    with a declared interest in a party of its declaration left out."""
    return free_candidates(session, task, at)[0]


def reassignment_choices(ctx: Context, tasks: Iterable[ControlTaskRow]
                         ) -> dict[int, list[tuple[int, str]]]:
    """For each task, the (id, name) of the officers it may be reassigned to now: on duty
    at its office, holding its qualifications, with no declared interest in a party of its
    declaration, not its current officer."""
    now = ctx.clock.now()
    found: dict[int, list[int]] = {}
    with ctx.uow(read_only=True) as uow:
        for task in tasks:
            found[task.id] = [c.officer_id for c in eligible_in(uow.session, task, now)
                              if c.officer_id != task.officer_id]
        names = users_repo.names(uow.session, {i for ids in found.values() for i in ids})
    return {task: sorted(((i, names.get(i, f"#{i}")) for i in ids), key=lambda p: p[1])
            for task, ids in found.items()}


def offices_for(ctx: Context, user: User) -> list[str]:
    """The offices a supervisor works at (their duty shifts, latest first); failing those,
    every office with a capacity budget or a roster."""
    with ctx.uow(read_only=True) as uow:
        return (repo.offices_of_officer(uow.session, user.id)
                or repo.known_offices(uow.session))
