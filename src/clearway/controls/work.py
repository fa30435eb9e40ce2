"""An officer's work on a task, inside the caller's unit of work: start it, attach evidence,
record its result. Shared by the controls API and the declaration's officer actions.

Recording a result is one unit: the result row, the task done, the declaration's move, its
event, the trader's notification, the audit entries and the feedback (`apply_result`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.controls import repository as repo
from clearway.controls.model import ACTION_STATUS, ControlResult, TaskStatus, result_issues
from clearway.declarations import repository as decl_repo
from clearway.declarations.model import DeclarationStatus as S
from clearway.declarations.model import LifecycleError, check_transition
from clearway.errors import ClearwayError, NotFound
from clearway.feedback.effects import apply_result
from clearway.notifications.service import notify
from clearway.risk import trader_summary
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_controls import ControlTaskRow, EvidenceFileRow
from clearway.users.model import Role, User


def visible_task(session: Session, task_id: int, user: User, *,
                 for_update: bool = False) -> ControlTaskRow:
    """The task if `user` may see it: an officer only their own (others' tasks do not
    exist for them), supervisors and auditors every task."""
    task = repo.get_task(session, task_id, for_update=for_update)
    if task is None or (user.role == Role.OFFICER and task.officer_id != user.id):
        raise NotFound("Control task", str(task_id))
    return task


def own_task(session: Session, task_id: int, user: User) -> ControlTaskRow:
    task = visible_task(session, task_id, user, for_update=True)
    if task.officer_id != user.id:
        raise ClearwayError(code="CW-TASK-NOT-ASSIGNED", status=403,
                            message=f"Task {task_id} is assigned to another officer")
    return task


def _declaration(session: Session, task: ControlTaskRow) -> DeclarationRow:
    row = decl_repo.get(session, str(task.declaration_id), for_update=True)
    if row is None:  # cascades make this impossible; kept coded all the same
        raise NotFound("Declaration", str(task.declaration_id))
    return row


def task_state_error(task: ControlTaskRow, doing: str) -> ClearwayError:
    return ClearwayError(code="CW-TASK-STATE", status=409,
                         message=f"Task {task.id} is {task.status}: it cannot be {doing}")


def move_declaration(session: Session, row: DeclarationRow, target: str, *, now: datetime,
                     actor: str, message: str | None, detail: dict[str, Any],
                     extra: dict[str, Any] | None = None) -> None:
    try:
        check_transition(row.status, target)
    except LifecycleError as exc:
        raise ClearwayError(code="CW-STATE", status=409, message=str(exc)) from None
    previous, row.status, row.updated_at = row.status, target, now
    decl_repo.add_event(session, row, at=now, kind=target, from_status=previous, actor=actor,
                        detail=detail)
    notify(session, row, kind=target, at=now, message=message, extra=extra)
    audit.append(session, at=now, actor=actor, action=f"declaration.{target}",
                 object_type="declaration", object_id=row.mrn or str(row.id),
                 detail={"from": previous, **detail})


def start_in(session: Session, task: ControlTaskRow, user: User, now: datetime) -> None:
    """Start an assigned task; a control before release puts the goods under control."""
    if task.officer_id != user.id:
        raise ClearwayError(code="CW-TASK-NOT-ASSIGNED", status=403,
                            message=f"Task {task.id} is assigned to another officer")
    if task.status != TaskStatus.ASSIGNED:
        raise task_state_error(task, "started")
    if task.kind != "audit":
        row = _declaration(session, task)
        if row.status != S.UNDER_CONTROL:
            move_declaration(session, row, S.UNDER_CONTROL, now=now, actor=user.actor,
                             message=None, detail={"task": task.id})
    task.status, task.started_at = TaskStatus.IN_PROGRESS, now
    audit.append(session, at=now, actor=user.actor, action="control_task.started",
                 object_type="control_task", object_id=str(task.id),
                 detail={"declaration": task.reference})


def add_evidence_in(session: Session, task: ControlTaskRow, user: User, *, data: bytes,
                    filename: str, content_type: str, now: datetime,
                    max_bytes: int) -> EvidenceFileRow:
    if task.officer_id != user.id:
        raise ClearwayError(code="CW-TASK-NOT-ASSIGNED", status=403,
                            message=f"Task {task.id} is assigned to another officer")
    if task.status not in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS):
        raise task_state_error(task, "given evidence")
    if not data or len(data) > max_bytes:
        raise ClearwayError(code="CW-EVIDENCE-SIZE", status=413,
                            message=f"An evidence file holds 1 to {max_bytes} bytes")
    digest = hashlib.sha256(data).hexdigest()
    # Only the file's own name is kept: a client's folders ("../", "C:\\") mean nothing here
    # and must never reach whoever saves the file again.
    filename = PurePosixPath(filename.replace("\\", "/")).name[:200]
    filename = filename if filename.strip(".") else "evidence"
    row = repo.add_evidence(session, task_id=task.id, filename=filename,
                            content_type=content_type[:100], size=len(data), sha256=digest,
                            data=data, uploaded_at=now, uploaded_by=user.actor)
    audit.append(session, at=now, actor=user.actor, action="control_task.evidence_added",
                 object_type="control_task", object_id=str(task.id),
                 detail={"evidence": row.id, "filename": row.filename, "size": row.size,
                         "sha256": digest, "content_type": row.content_type})
    return row


def record_in(session: Session, task: ControlTaskRow, result: ControlResult, user: User,
              now: datetime) -> None:
    """Record the result of an in-progress task of `user`, with everything it changes."""
    if task.officer_id != user.id:
        raise ClearwayError(code="CW-TASK-NOT-ASSIGNED", status=403,
                            message=f"Task {task.id} is assigned to another officer")
    if task.status != TaskStatus.IN_PROGRESS:
        raise task_state_error(task, "given a result (start it first)")
    issues = result_issues(result, kind=task.kind)
    if issues:
        raise ClearwayError(code="CW-CONTROL-RESULT", status=422, errors=issues,
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
        move_declaration(session, row, target, now=now, actor=user.actor,
                         message=f"Control completed: goods {target}{due}",
                         detail={"outcome": result.outcome, "revenue": revenue,
                                 "task": task.id, **result.extra},
                         extra={"revenue_due": revenue})
    elif result.outcome == "irregular" and result.revenue:
        notify(session, row, kind="post_clearance_finding", at=now,
               message=f"Post-clearance audit completed{due}", extra={"revenue_due": revenue})
    audit.append(session, at=now, actor=user.actor, action="control_result.recorded",
                 object_type="control_task", object_id=str(task.id),
                 detail={"declaration": task.reference, "outcome": result.outcome,
                         "irregularities": list(result.irregularities), "revenue": revenue,
                         "action": result.action,
                         "seizures": [s.as_dict() for s in result.seizures]})
    apply_result(session, declaration_id=row.id, task_id=task.id, outcome=result.outcome,
                 irregularities=list(result.irregularities), revenue=result.revenue,
                 recorded_at=now)
