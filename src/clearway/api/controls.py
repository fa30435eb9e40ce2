"""HTTP routes of the controls room: the duty roster, task lists by role, an officer's work
on their own task, and supervisors' reassignment with a reason. No route lists unassigned
tasks or lets an officer pick one."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from clearway.api.deps import Ctx, require, run_use_case
from clearway.clearance import control_work
from clearway.controls import service
from clearway.controls.schemas import (
    AssignedOut,
    EvidenceOut,
    Office,
    ReassignIn,
    ResultIn,
    ShiftAddedOut,
    ShiftIn,
    ShiftOut,
    TaskDetailOut,
    TaskOut,
)
from clearway.errors import ClearwayError
from clearway.identity import Permission, User

router = APIRouter(prefix="/api/v1/controls", tags=["controls"])
Reader = Annotated[User, Depends(require(Permission.READ_TASKS))]
Worker = Annotated[User, Depends(require(Permission.WORK_TASKS))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_TASKS))]
TaskId = Annotated[int, Path(ge=1, le=2**62, description="The control task's id")]


@router.get("/roster", operation_id="list_duty_shifts", response_model=list[ShiftOut])
def list_roster(ctx: Ctx, user: Reader, office: Office | None = None,
                start: Annotated[datetime | None, Query(description="Shifts ending after")]
                = None,
                end: Annotated[datetime | None, Query(description="Shifts starting before")]
                = None) -> list[ShiftOut]:
    return [ShiftOut.of(r) for r in service.list_shifts(ctx, office=office, start=start,
                                                        end=end)]


@router.post("/roster", operation_id="add_duty_shift", response_model=ShiftAddedOut,
             status_code=201)
async def add_shift(body: ShiftIn, ctx: Ctx, user: Manager) -> ShiftAddedOut:
    """Put an officer on duty at an office; tasks awaiting an officer are assigned at once."""
    added = await run_use_case(ctx, partial(service.add_shift, ctx, body.officer_id,
                                            body.office, body.starts_at, body.ends_at, user,
                                            body.function))
    return ShiftAddedOut(**ShiftOut.of(added.shift).model_dump(),
                         assigned_waiting=added.assigned, warning=added.warning)


@router.post("/assign-waiting", operation_id="assign_waiting_tasks",
             response_model=AssignedOut)
async def assign_waiting(ctx: Ctx, user: Manager) -> AssignedOut:
    """Assign the tasks awaiting an officer to eligible officers now on duty (by the rule)."""
    return AssignedOut(assigned=await run_use_case(ctx, partial(service.assign_waiting, ctx)))


@router.get("/tasks", operation_id="list_control_tasks", response_model=list[TaskOut])
def list_tasks(ctx: Ctx, user: Reader, office: Office | None = None,
               status: Annotated[str | None, Query(max_length=20)] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 100,
               offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> list[TaskOut]:
    """An officer sees only their own tasks; a supervisor their own, or all of an office
    with `office`; an auditor all."""
    return [TaskOut.of(t) for t in service.list_tasks(ctx, user, office=office, status=status,
                                                      limit=limit, offset=offset)]


@router.get("/tasks/{key}", operation_id="get_control_task", response_model=TaskDetailOut)
def get_task(key: TaskId, ctx: Ctx, user: Reader) -> TaskDetailOut:
    return TaskDetailOut.of_detail(service.task_detail(ctx, key, user))


@router.post("/tasks/{key}/start", operation_id="start_control_task", response_model=TaskOut)
async def start_task(key: TaskId, ctx: Ctx, user: Worker) -> TaskOut:
    """Start your task: the declaration goes under control (audits leave it released)."""
    return TaskOut.of(await run_use_case(ctx, partial(control_work.start_task, ctx, key, user)))


@router.post("/tasks/{key}/evidence", operation_id="add_control_evidence",
             response_model=EvidenceOut, status_code=201)
async def add_evidence(key: TaskId, request: Request, ctx: Ctx, user: Worker,
                       filename: Annotated[str, Query(min_length=1, max_length=200)]
                       = "evidence") -> EvidenceOut:
    """Attach a file (the raw body; its Content-Type is kept) to your task; stored with its
    SHA-256."""
    limit = ctx.settings.evidence_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ClearwayError(code="CW-EVIDENCE-SIZE",
                            message=f"An evidence file holds 1 to {limit} bytes")
    data = await request.body()
    kind = request.headers.get("content-type") or "application/octet-stream"
    row = await run_use_case(ctx, partial(service.add_evidence, ctx, key, user, data=data,
                                          filename=filename, content_type=kind))
    return EvidenceOut.of(row)


@router.get("/tasks/{key}/evidence/{evidence_id}", operation_id="get_control_evidence",
            response_class=Response)
def get_evidence(key: TaskId, evidence_id: Annotated[int, Path(ge=1, le=2**62)], ctx: Ctx,
                 user: Reader) -> Response:
    row = service.evidence_file(ctx, key, evidence_id, user)
    return Response(row.data, media_type=row.content_type,
                    headers={"X-Content-SHA256": row.sha256,
                             # The type is the uploader's word: a download, never sniffed.
                             "X-Content-Type-Options": "nosniff",
                             "Content-Disposition": f'attachment; filename="evidence-{row.id}"'})


@router.post("/tasks/{key}/result", operation_id="record_control_result",
             response_model=TaskOut)
async def record_result(key: TaskId, body: ResultIn, ctx: Ctx, user: Worker) -> TaskOut:
    """Record your control's result: the goods are released, detained or seized, the trader
    notified, and the profiles' statistics updated, all at once."""
    task = await run_use_case(ctx, partial(control_work.record_result, ctx, key, body.result(),
                                            user))
    return TaskOut.of(task)


@router.post("/tasks/{key}/reassign", operation_id="reassign_control_task",
             response_model=TaskOut)
async def reassign(key: TaskId, body: ReassignIn, ctx: Ctx, user: Manager) -> TaskOut:
    """Give a task not yet started to another eligible officer, with a written reason."""
    return TaskOut.of(await run_use_case(ctx, partial(service.reassign, ctx, key,
                                                      body.officer_id, body.reason, user)))
