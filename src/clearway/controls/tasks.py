"""Opening, assigning and closing control tasks inside the caller's unit of work.

`open_task` and `close_open_tasks` are the contract other rooms call (the risk decision, the
four-eyes overrides, the audit sampling): they never commit; the caller's transaction holds
the task, its assignment and their audit entries together with whatever caused them.
"""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.controls import repository as repo
from clearway.controls.assignment import (
    Candidate,
    build_candidates,
    choose_officer,
    eligible,
    on_duty,
    without_conflicts,
)
from clearway.controls.model import (
    CLOSING_STATUSES,
    KIND_OF_CHANNEL,
    ORIGINS,
    TaskStatus,
)
from clearway.errors import ClearwayError
from clearway.interests.repository import conflicts_in
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_controls import ControlTaskRow
from clearway.training.repository import qualified_officers

SYSTEM = "system"


def candidates_for(session: Session, office: str, needs: frozenset[str],
                   at: datetime) -> list[Candidate]:
    """The officers on duty at `office` at `at`, with the needed qualifications they hold
    that day and their open tasks: the input of `choose_officer`."""
    shifts = repo.shifts_at(session, office, at)
    holders = {q: qualified_officers(session, q, at.date()) for q in sorted(needs)}
    counts = repo.open_task_counts(session, on_duty(shifts, office, at))
    return build_candidates(shifts, office, at, holders, counts)


def free_candidates(session: Session, task: ControlTaskRow, at: datetime
                    ) -> tuple[list[Candidate], dict[str, int]]:
    """Who may take `task` at `at` (on duty at its office, holding its qualifications) with
    no declared interest in a party of its declaration, and how many eligible officers were
    left out for one, by kind of link. One indexed lookup of the pool's links."""
    needs = frozenset(task.qualifications or [])
    pool = eligible(candidates_for(session, task.office, needs, at), needs)
    conflicts = conflicts_in(session, task.declaration_id, [c.officer_id for c in pool])
    return without_conflicts(pool, conflicts)


def refuse_if_linked(session: Session, declaration_id: int, officer_id: int, *,
                     what: str) -> None:
    """A control is never given to, nor done by, an officer who declared an interest in a
    party of the declaration (a supervisor's reassignment, a control begun without task)."""
    if conflicts_in(session, declaration_id, [officer_id]):
        raise ClearwayError(code="CW-TASK-CONFLICT",
                            message=f"User {officer_id} declared an interest in a party of "
                            f"{what}: the control cannot be given to them")


def open_task(session: Session, *, declaration: DeclarationRow, channel: str,
              reasons: list[str], instructions: list[str], qualifications: list[str],
              random_selected: bool, origin: str, now: datetime, rng: random.Random,
              actor: str) -> int:
    """Open a control task of `declaration` and assign it at once if anyone is eligible
    (else it awaits an officer). Returns the task id. Does not commit."""
    if channel not in KIND_OF_CHANNEL:
        raise ValueError(f"channel {channel!r} needs no control task")
    if origin not in ORIGINS:
        raise ValueError(f"unknown task origin {origin!r}")
    task = repo.add_task(
        session, declaration_id=declaration.id,
        reference=declaration.mrn or declaration.lrn, office=declaration.office or "",
        channel=channel, kind=KIND_OF_CHANNEL[channel], status=TaskStatus.AWAITING_OFFICER,
        qualifications=sorted(set(qualifications)), reasons=list(reasons),
        instructions=list(instructions), random_selected=random_selected, origin=origin,
        officer_id=None, created_at=now, assigned_at=None, started_at=None,
        completed_at=None)
    excluded = try_assign(session, task, now=now, rng=rng)
    if excluded is not None:
        audit.append(session, at=now, actor=actor, action="control_task.awaiting_officer",
                     object_type="control_task", object_id=str(task.id),
                     detail={**_summary(task), "reason": "nobody eligible on duty",
                             "excluded": excluded})
    return task.id


def try_assign(session: Session, task: ControlTaskRow, *, now: datetime,
               rng: random.Random) -> dict[str, int] | None:
    """Assign a task by the rule of `assignment`. None: assigned; else nobody is eligible
    now, and the officers left out for a declared interest, by kind of link."""
    pool, excluded = free_candidates(session, task, now)
    chosen = choose_officer(pool, frozenset(task.qualifications or []), rng)
    if chosen is None:
        return excluded
    record_assignment(session, task, chosen.officer_id, now=now, by=SYSTEM, reason=None,
                      eligible=len(pool), excluded=excluded)
    return None


def record_assignment(session: Session, task: ControlTaskRow, officer_id: int, *,
                      now: datetime, by: str, reason: str | None, eligible: int,
                      excluded: dict[str, int] | None = None) -> None:
    """Record who got the task; the log says how many could have had it and how many were
    left out for a declared interest (by kind of link: never who, nor with whom)."""
    previous = task.officer_id
    task.officer_id, task.assigned_at = officer_id, now
    if task.status == TaskStatus.AWAITING_OFFICER:
        task.status = TaskStatus.ASSIGNED
    repo.add_assignment(session, task_id=task.id, officer_id=officer_id, at=now, by=by,
                        reason=reason, eligible=eligible, excluded=excluded or {})
    action = "control_task.assigned" if previous is None else "control_task.reassigned"
    audit.append(session, at=now, actor=by, action=action, object_type="control_task",
                 object_id=str(task.id),
                 detail={**_summary(task), "officer_id": officer_id, "previous": previous,
                         "eligible": eligible, "reason": reason, "excluded": excluded or {}})


def assign_waiting_in(session: Session, *, now: datetime, rng: random.Random) -> int:
    """Assign every task awaiting an officer that someone on duty can now take."""
    staffed = repo.offices_on_duty(session, now)
    assigned = 0
    for task in repo.waiting_tasks(session):
        if task.office in staffed and try_assign(session, task, now=now, rng=rng) is None:
            assigned += 1
    return assigned


def close_open_tasks(session: Session, *, declaration_id: int, status: str, now: datetime,
                     actor: str, reason: str) -> int:
    """Close the declaration's open tasks as waived or cancelled (four-eyes waiver, a
    cancellation after selection), audited with the reason. Returns how many closed."""
    if status not in CLOSING_STATUSES:
        raise ValueError(f"tasks are closed as waived or cancelled, not {status!r}")
    tasks = repo.open_tasks_of(session, declaration_id, for_update=True)
    for task in tasks:
        previous, task.status, task.completed_at = task.status, status, now
        audit.append(session, at=now, actor=actor, action=f"control_task.{status}",
                     object_type="control_task", object_id=str(task.id),
                     detail={**_summary(task), "from": previous, "reason": reason})
    session.flush()  # later queries in this transaction see the tasks closed
    return len(tasks)


def _summary(task: ControlTaskRow) -> dict[str, object]:
    return {"declaration": task.reference, "office": task.office, "channel": task.channel,
            "kind": task.kind, "origin": task.origin, "qualifications": task.qualifications,
            "random": task.random_selected}


def open_manual_task(session: Session, *, declaration: DeclarationRow, officer_id: int,
                     started_at: datetime, now: datetime, actor: str) -> ControlTaskRow:
    """A task for a control an officer did without one (a declaration put under control by
    the officer action): assigned to that officer and in progress, so its result is stored
    like any other. Refused to an officer with a declared interest in a party of it."""
    refuse_if_linked(session, declaration.id, officer_id, what="this declaration")
    task = repo.add_task(
        session, declaration_id=declaration.id,
        reference=declaration.mrn or declaration.lrn, office=declaration.office or "",
        channel="red", kind=KIND_OF_CHANNEL["red"], status=TaskStatus.IN_PROGRESS,
        qualifications=[], reasons=["control started by an officer without a task"],
        instructions=[], random_selected=False, origin="manual", officer_id=None,
        created_at=now, assigned_at=None, started_at=started_at, completed_at=None)
    record_assignment(session, task, officer_id, now=now, by=actor,
                      reason="manual control by the officer", eligible=1)
    return task
