"""An officer's work on a control task that moves the goods: starting it puts them under
control, its result releases, detains or seizes them.

Recording a result is one unit: the result row, the task done, the declaration's move (event,
the trader's notice, audit entry), the trader's record and the profiles' effectiveness
(`feedback.effects`). Task access and evidence stay in the controls room (`controls.work`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.clearance.agencies import release_or_wait
from clearway.clearance.moves import Notice, move
from clearway.clearance.summary_outcomes import cleared_notice
from clearway.context import Context
from clearway.controls import repository as repo
from clearway.controls.model import ACTION_STATUS, ControlResult, TaskStatus, result_issues
from clearway.controls.work import not_assigned, own_task, task_state_error
from clearway.declarations import repository as decl_repo
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.errors import ClearwayError, NotFound
from clearway.feedback.effects import apply_result
from clearway.identity import User
from clearway.notifications.service import notify
from clearway.risk import trader_summary
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_controls import ControlTaskRow


def start_task(ctx: Context, task_id: int, user: User) -> ControlTaskRow:
    with ctx.uow() as uow:
        task = own_task(uow.session, task_id, user)
        start_in(uow.session, task, user, ctx.clock.now())
        uow.commit()
        return task


def record_result(ctx: Context, task_id: int, result: ControlResult,
                  user: User) -> ControlTaskRow:
    with ctx.uow() as uow:
        task = own_task(uow.session, task_id, user)
        record_in(uow.session, task, result, user, ctx.clock.now())
        uow.commit()
        return task


def _declaration(session: Session, task: ControlTaskRow) -> DeclarationRow:
    row = decl_repo.get(session, str(task.declaration_id), for_update=True)
    if row is None:  # cascades make this impossible; kept coded all the same
        raise NotFound("Declaration", str(task.declaration_id))
    return row


def start_in(session: Session, task: ControlTaskRow, user: User, now: datetime) -> None:
    """Start an assigned task; a control before release puts the goods under control."""
    if task.officer_id != user.id:
        raise not_assigned(task)
    if task.status != TaskStatus.ASSIGNED:
        raise task_state_error(task, "started")
    if task.kind != "audit":
        row = _declaration(session, task)
        if row.status != S.UNDER_CONTROL:
            move(session, row, S.UNDER_CONTROL, now=now, actor=user.actor,
                 detail={"task": task.id})
    task.status, task.started_at = TaskStatus.IN_PROGRESS, now
    audit.append(session, at=now, actor=user.actor, action="control_task.started",
                 object_type="control_task", object_id=str(task.id),
                 detail={"declaration": task.reference})


def record_in(session: Session, task: ControlTaskRow, result: ControlResult, user: User,
              now: datetime) -> None:
    """Record the result of an in-progress task of `user`, with everything it changes."""
    if task.officer_id != user.id:
        raise not_assigned(task)
    if task.status != TaskStatus.IN_PROGRESS:
        raise task_state_error(task, "given a result (start it first)")
    issues = result_issues(result, kind=task.kind)
    if issues:
        raise ClearwayError(code="CW-CONTROL-RESULT", errors=issues,
                            message="The control result is incomplete or inconsistent")
    row = _declaration(session, task)  # locked: outcomes of one declaration take turns
    label = trader_summary.label_of(session, row.id)
    repo.add_result(session, task_id=task.id, declaration_id=row.id, officer_id=user.id,
                    outcome=result.outcome, irregularities=list(result.irregularities),
                    # the column holds a number: "no revenue assessed" is stored as 0
                    revenue=result.revenue or Decimal("0"),
                    seizures=[s.as_dict() for s in result.seizures],
                    action=result.action, notes=result.notes, recorded_at=now)
    trader_summary.relabelled(session, row, label)  # the live trader records
    task.status, task.completed_at = TaskStatus.DONE, now
    revenue = None if result.revenue is None else str(result.revenue)
    due = f"; additional duties and taxes due: {revenue}" if result.revenue else ""
    if task.kind != "audit":
        target = ACTION_STATUS[result.action]
        detail = {"outcome": result.outcome, "revenue": revenue, "task": task.id,
                  **result.extra}
        notice = Notice(f"Control completed: goods {target}{due}", {"revenue_due": revenue})
        if target == S.RELEASED:   # unless agencies of the single window still decide
            # an ENS/EXS screened or its RFI settled: the carrier is told it may load
            release_or_wait(session, row, now=now, actor=user.actor, detail=detail,
                            notice=cleared_notice(row) or notice)
        else:
            move(session, row, target, now=now, actor=user.actor, detail=detail,
                 notice=notice)
    elif result.outcome == "irregular" and result.revenue:
        notify(session, row, kind="post_clearance_finding", at=now,
               message=f"Post-clearance audit completed{due}", extra={"revenue_due": revenue})
    audit.append(session, at=now, actor=user.actor, action="control_result.recorded",
                 object_type="control_task", object_id=str(task.id),
                 detail={"declaration": task.reference, "outcome": result.outcome,
                         "irregularities": list(result.irregularities), "revenue": revenue,
                         "action": result.action,
                         "seizures": [s.as_dict() for s in result.seizures]})
    apply_result(session, declaration_id=row.id, outcome=result.outcome,
                 revenue=result.revenue, recorded_at=now)
