"""An officer acts on a declaration: start a control, release, invalidate, seize.

A declaration with an open control task is controlled through it: `start-control` starts the
task when the caller is its assigned officer, and is refused (CW-TASK-REQUIRED, naming the task)
otherwise: the task list, not the declaration, is where officers get their controls. No other
officer action moves such goods around the task (`through_task`). `release` of goods under
control with an outcome records the control result on the caller's open task (a "manual" task
is opened for a control begun without one), so the label store sees every outcome.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clearway.clearance.agencies import release_or_wait
from clearway.clearance.control_work import record_in, start_in
from clearway.clearance.filings import target as locked_target
from clearway.clearance.moves import TELL, Notice, move
from clearway.context import Context
from clearway.controls import repository as repo
from clearway.controls.model import ControlResult, TaskStatus
from clearway.controls.tasks import close_open_tasks, open_manual_task, refuse_if_linked
from clearway.declarations import repository as decl_repo
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.errors import ClearwayError, NotFound
from clearway.identity import User
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_controls import ControlTaskRow

OFFICER_ACTIONS = {"start-control": S.UNDER_CONTROL, "release": S.RELEASED,
                   "invalidate": S.INVALIDATED, "seize": S.SEIZED}


def officer_action(ctx: Context, key: str, action: str, reason: str | None,
                   user: User, *, outcome: str | None = None,
                   revenue: Decimal | None = None) -> DeclarationRow:
    target = OFFICER_ACTIONS.get(action)
    if target is None:
        raise NotFound("Action", action)
    if target in (S.INVALIDATED, S.SEIZED) and not (reason and reason.strip()):
        raise ClearwayError(code="CW-REASON-REQUIRED",
                            message=f"Action {action} needs a reason")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        session = uow.session
        row = locked_target(ctx, session, key, user)
        if target == S.SEIZED and row.status not in (S.DETAINED, S.REFUSED):
            raise ClearwayError(code="CW-STATE", message="Only detained or refused goods "
                                "are seized by this action; a control seizes through its "
                                "result")
        through_task(session, row, user, target, now, reason)
        if target == S.UNDER_CONTROL and start_control(session, row, user, now):
            uow.commit()
            return row
        if target == S.RELEASED and row.status == S.UNDER_CONTROL:
            if outcome is None:
                raise ClearwayError(code="CW-OUTCOME-REQUIRED",
                                    message="Ending a control needs its outcome: regular or "
                                    "irregular")
            end_control(session, row, user, now, outcome=outcome, revenue=revenue,
                        reason=reason)
            uow.commit()
            return row
        # A trader reads only its own words back; customs' typed reasons may name an officer.
        told = Notice(f"{target}: {reason}") if reason and user.is_trader else TELL
        detail = {"reason": reason} if reason else {}
        if target == S.RELEASED:   # unless agencies of the single window still decide
            release_or_wait(session, row, now=now, actor=user.actor, detail=detail,
                            notice=told)
        else:
            move(session, row, target, now=now, actor=user.actor, detail=detail, notice=told)
        uow.commit()
        return row


def _control_task(session: Session, row: DeclarationRow) -> ControlTaskRow | None:
    """The open task that controls the goods before release (audits do not)."""
    return next((t for t in repo.open_tasks_of(session, row.id, for_update=True)
                 if t.kind != "audit"), None)


def _refuse(task: ControlTaskRow, how: str = "only its assigned officer works it, from the "
            "task list") -> ClearwayError:
    return ClearwayError(code="CW-TASK-REQUIRED",
                         message=f"Declaration {task.reference} is controlled through task "
                         f"{task.id} ({task.status}); {how}")


def through_task(session: Session, row: DeclarationRow, user: User, target: str,
                 now: datetime, reason: str | None) -> None:
    """Refuse an officer action that would move goods held by an open control task around
    it. With such a task only its assigned officer acts, and only by starting it, by ending
    a started control with its result (`release` with an outcome), or by invalidating the
    declaration, which cancels the task (the officer could as well have released the goods
    with a result). Anything else, such as a release of goods whose control has not been
    done, is CW-TASK-REQUIRED; a four-eyes override is the way around a control."""
    task = _control_task(session, row)
    if task is None:
        return
    if task.officer_id != user.id:
        raise _refuse(task)
    if target == S.UNDER_CONTROL or (target == S.RELEASED and row.status == S.UNDER_CONTROL):
        return  # start_control / end_control work the task
    if target == S.INVALIDATED:
        close_open_tasks(session, declaration_id=row.id, status=TaskStatus.CANCELLED,
                         now=now, actor=user.actor,
                         reason=f"declaration invalidated by its officer: {reason}")
        return
    raise _refuse(task, "start the control and release the goods with its result, or ask "
                  "for a four-eyes waiver")


def start_control(session: Session, row: DeclarationRow, user: User, now: datetime) -> bool:
    """Start the declaration's task (True), or say there is none to go through (False)."""
    task = _control_task(session, row)
    if task is None:   # a control begun without task: never by an officer linked to a party
        refuse_if_linked(session, row.id, user.id, what="this declaration")
        return False
    if task.officer_id != user.id:
        raise _refuse(task)
    start_in(session, task, user, now)
    return True


def end_control(session: Session, row: DeclarationRow, user: User, now: datetime, *,
                outcome: str, revenue: Decimal | None, reason: str | None) -> None:
    """Record the result of the control of goods under control and release them."""
    task = _control_task(session, row)
    if task is None:
        began = [e.at for e in decl_repo.events(session, row.id) if e.kind == "under_control"]
        task = open_manual_task(session, declaration=row, officer_id=user.id,
                                started_at=max(began, default=now), now=now, actor=user.actor)
    elif task.officer_id != user.id:
        raise _refuse(task)
    irregular = outcome == "irregular"
    record_in(session, task, ControlResult(
        outcome=outcome, action="release", irregularities=("other",) if irregular else (),
        revenue=revenue, notes=reason,
        extra={"reason": reason} if reason else {}), user, now)
