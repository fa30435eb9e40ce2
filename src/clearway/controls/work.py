"""Access to control tasks and an officer's evidence, inside the caller's unit of work.

Who may see and work a task (`visible_task`, `own_task`) and the evidence files attached to it.
What a task does to the goods (start, result) is the clearance room's (`clearance.control_work`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.controls import repository as repo
from clearway.controls.model import TaskStatus
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Role, User
from clearway.storage.orm_controls import ControlTaskRow, EvidenceFileRow


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
        raise not_assigned(task)
    return task


def not_assigned(task: ControlTaskRow) -> ClearwayError:
    return ClearwayError(code="CW-TASK-NOT-ASSIGNED",
                         message=f"Task {task.id} is assigned to another officer")


def task_state_error(task: ControlTaskRow, doing: str) -> ClearwayError:
    return ClearwayError(code="CW-TASK-STATE",
                         message=f"Task {task.id} is {task.status}: it cannot be {doing}")


def add_evidence_in(session: Session, task: ControlTaskRow, user: User, *, data: bytes,
                    filename: str, content_type: str, now: datetime,
                    max_bytes: int) -> EvidenceFileRow:
    if task.officer_id != user.id:
        raise not_assigned(task)
    if task.status not in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS):
        raise task_state_error(task, "given evidence")
    if not data or len(data) > max_bytes:
        raise ClearwayError(code="CW-EVIDENCE-SIZE",
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
