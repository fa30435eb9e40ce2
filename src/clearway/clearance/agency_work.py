"""An agency's work on its tasks: an officer of the agency decides (release, release on
conditions, inspect, refuse with a reason, ask the trader for a document); its supervisor
sees all of the agency's tasks and reassigns them. A final decision may move the
declaration (`clearance.agencies.after_agency_decision`); every step keeps time, person and
place, and the trader hears each decision in the declaration's one notification stream.

An agency user sees only its own agency's tasks (an officer: those unassigned or assigned to
them), and of a declaration only the items routed to that agency: another's task is
CW-NOT-FOUND, so that its existence stays hidden.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from clearway.agencies import repository as repo
from clearway.agencies.model import (
    AFTER,
    FINAL,
    TEXT_NEEDED,
    AgencyDecision,
    DecisionIn,
    TaskStatus,
)
from clearway.agencies.service import visible_agency
from clearway.audit import repository as audit
from clearway.clearance.agencies import after_agency_decision, tell_decision
from clearway.clearance.joint_inspection import book_or_join
from clearway.context import Context
from clearway.declarations import repository as decl_repo
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.errors import ClearwayError, Conflict, NotFound
from clearway.identity import Role, User
from clearway.storage.orm_agencies import AgencyStepRow, AgencyTaskRow

MAX_TEXT = 2000
ENDED = frozenset({S.CANCELLED, S.INVALIDATED, S.SEIZED, S.REJECTED})


def _may_see(task: AgencyTaskRow, user: User) -> bool:
    own = visible_agency(user)
    if user.role == Role.AGENCY_OFFICER:
        return task.agency == own and task.officer_id in (None, user.id)
    if user.role == Role.AGENCY_SUPERVISOR:
        return task.agency == own
    return True   # customs supervisors and auditors read every agency's tasks


def visible_task(session: Session, task_id: int, user: User, *,
                 for_update: bool = False) -> AgencyTaskRow:
    task = repo.task(session, task_id, for_update=for_update)
    if task is None or not _may_see(task, user):
        raise NotFound("Agency task", str(task_id))
    return task


def list_tasks(ctx: Context, user: User, *, status: str | None = None
               ) -> list[AgencyTaskRow]:
    with ctx.uow(read_only=True) as uow:
        return repo.tasks(uow.session, agency_=visible_agency(user), status=status,
                          officer_id=user.id if user.role == Role.AGENCY_OFFICER else None)


def get_task(ctx: Context, task_id: int, user: User
             ) -> tuple[AgencyTaskRow, list[AgencyStepRow], list[dict[str, Any]]]:
    """The task, its steps, and the other agencies' decisions on the same declaration: the
    decision only, its words only where that agency shared them."""
    with ctx.uow(read_only=True) as uow:
        task = visible_task(uow.session, task_id, user)
        others = [{"agency": t.agency, "decision": t.decision,
                   "text": t.text if t.shared else None}
                  for t in repo.tasks(uow.session, declaration_id=task.declaration_id)
                  if t.id != task.id and t.decision is not None]
        return task, repo.steps(uow.session, [task.id]), others


def _check(body: DecisionIn) -> None:
    needed = TEXT_NEEDED.get(body.decision)
    text = (body.text or "").strip()
    if needed and not text:
        raise ClearwayError("CW-AGENCY-DECISION", f"a {body.decision} decision needs {needed}")
    if len(text) > MAX_TEXT:
        raise ClearwayError("CW-AGENCY-DECISION", f"at most {MAX_TEXT} characters")


def decide(ctx: Context, task_id: int, body: DecisionIn, user: User) -> AgencyTaskRow:
    """Record an agency officer's decision on a task of their agency, with what it moves."""
    _check(body)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        session = uow.session
        task = visible_task(session, task_id, user, for_update=True)
        if task.status == TaskStatus.DECIDED:
            raise Conflict("CW-AGENCY-TASK-STATE", f"agency task {task.id} is decided "
                           f"already ({task.decision})")
        row = decl_repo.get(session, str(task.declaration_id), for_update=True)
        if row is None:
            raise NotFound("Declaration", str(task.declaration_id))
        if row.status in ENDED:   # nothing left to decide on
            raise Conflict("CW-AGENCY-TASK-STATE", f"declaration {task.reference} is "
                           f"{row.status}: its agency tasks are closed")
        if task.started_at is None:
            task.started_at, task.started_by = now, user.actor
            task.officer_id = task.officer_id or user.id
            repo.add_step(session, task, "started", at=now, actor=user.actor)
        task.decision, task.text = str(body.decision), (body.text or "").strip() or None
        task.shared, task.status = body.shared, AFTER[body.decision]
        if body.decision in FINAL:
            task.decided_at, task.decided_by = now, user.actor
        repo.add_step(session, task, "decided" if body.decision in FINAL else str(body.decision),
                      at=now, actor=user.actor,
                      detail={"decision": str(body.decision), "text": task.text})
        tell_decision(session, row, task, now=now)
        audit.append(session, at=now, actor=user.actor, action="agency_task.decided",
                     object_type="agency_task", object_id=str(task.id),
                     detail={"declaration": task.reference, "agency": task.agency,
                             "decision": str(body.decision), "text": task.text})
        if body.decision in FINAL:
            after_agency_decision(session, row, task, now=now, actor=user.actor)
        elif body.decision == AgencyDecision.INSPECT:   # one examination for every party
            book_or_join(session, row, task.agency, now=now, actor=user.actor)
        uow.commit()
        return task


def reassign(ctx: Context, task_id: int, officer: str, user: User) -> AgencyTaskRow:
    """The agency supervisor gives a task to one of the agency's officers (audited)."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        task = visible_task(uow.session, task_id, user, for_update=True)
        target = repo.member(uow.session, officer, task.agency)
        if target is None:
            raise ClearwayError("CW-AGENCY-OFFICER", f"{officer!r} is no officer of agency "
                                f"{task.agency}")
        if task.status == TaskStatus.DECIDED:
            raise Conflict("CW-AGENCY-TASK-STATE", f"agency task {task.id} is decided already")
        before, task.officer_id = task.officer_id, target
        repo.add_step(uow.session, task, "assigned", at=now, actor=user.actor,
                      detail={"officer": officer})
        audit.append(uow.session, at=now, actor=user.actor, action="agency_task.reassigned",
                     object_type="agency_task", object_id=str(task.id),
                     detail={"from": before, "to": target})
        uow.commit()
        return task
