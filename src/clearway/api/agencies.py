"""HTTP routes of the single window's agencies: the agencies and the regulatory matrix
(administrators add agencies; an analyst proposes a matrix version, another analyst or a
supervisor approves it), the agencies' tasks (their officers decide, their supervisor
reassigns) and their key figures."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from clearway.agencies import service
from clearway.agencies.kpis import AgencyKpis
from clearway.agencies.model import DecisionIn
from clearway.agencies.schemas import (
    AgencyIn,
    AgencyOut,
    DecisionBody,
    MatrixOut,
    ReassignIn,
    RejectIn,
    RuleOut,
    TaskOut,
    VersionOut,
)
from clearway.api.deps import Ctx, require, run_use_case, text_body
from clearway.clearance import agency_work
from clearway.errors import DocumentInvalid, Issue
from clearway.identity import Permission, User

router = APIRouter(prefix="/api/v1", tags=["agencies"])
Reader = Annotated[User, Depends(require(Permission.READ_AGENCIES))]
Admin = Annotated[User, Depends(require(Permission.MANAGE_AGENCIES))]
Proposer = Annotated[User, Depends(require(Permission.PROPOSE_MATRIX))]
Approver = Annotated[User, Depends(require(Permission.APPROVE_MATRIX))]
TaskReader = Annotated[User, Depends(require(Permission.READ_AGENCY_TASKS))]
Decider = Annotated[User, Depends(require(Permission.DECIDE_AGENCY_TASKS))]
TaskManager = Annotated[User, Depends(require(Permission.MANAGE_AGENCY_TASKS))]
Key = Annotated[int, Path(ge=1, le=2**62)]
MAX_MATRIX_BYTES = 4 * 1024 * 1024


@router.get("/agencies", operation_id="list_agencies", response_model=list[AgencyOut])
def list_agencies(ctx: Ctx, user: Reader) -> list[AgencyOut]:
    return [AgencyOut.of(a) for a in service.list_agencies(ctx)]


@router.post("/agencies", operation_id="add_agency", response_model=AgencyOut,
             status_code=201)
async def add_agency(body: AgencyIn, ctx: Ctx, user: Admin) -> AgencyOut:
    """Add an agency (audited); its officers are users created with its code."""
    added = await run_use_case(ctx, partial(service.add_agency, ctx, body.agency(), user.actor))
    return AgencyOut.of(added)


@router.get("/agencies/matrix", operation_id="get_agency_matrix", response_model=MatrixOut)
def matrix(ctx: Ctx, user: Reader, on: Annotated[date | None, Query(
        description="The version valid on this day (default today)")] = None) -> MatrixOut:
    day = on or ctx.clock.now().date()
    found = service.version_on(ctx, day)
    return MatrixOut(on=day, version=found.number if found else None,
                     valid_from=found.valid_from if found else None,
                     rules=[RuleOut.of(r) for r in found.rules] if found else [])


@router.get("/agencies/matrix/versions", operation_id="list_agency_matrix_versions",
            response_model=list[VersionOut])
def versions(ctx: Ctx, user: Reader) -> list[VersionOut]:
    return [VersionOut.of(v) for v in service.versions(ctx)]


@router.post("/agencies/matrix/versions", operation_id="propose_agency_matrix",
             response_model=VersionOut, status_code=201,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/csv": {"schema": {"type": "string"}}}}})
async def propose(request: Request, ctx: Ctx, user: Proposer,
                  valid_from: Annotated[date | None, Query(
                      description="The first day it applies (default today)")] = None,
                  note: Annotated[str | None, Query(max_length=500)] = None) -> VersionOut:
    """Propose a matrix version (the CSV in the body); another must approve it."""
    text = await text_body(request, MAX_MATRIX_BYTES, DocumentInvalid(
        [Issue("CW-MATRIX-FILE", "the matrix file is not UTF-8 text")]))
    row = await run_use_case(ctx, partial(service.propose, ctx, text, valid_from=valid_from,
                                          note=note, user=user))
    return VersionOut.of(row)


@router.post("/agencies/matrix/versions/{key}/approve", operation_id="approve_agency_matrix",
             response_model=VersionOut)
async def approve(key: Key, ctx: Ctx, user: Approver) -> VersionOut:
    return VersionOut.of(await run_use_case(ctx, partial(service.approve, ctx, key, user)))


@router.post("/agencies/matrix/versions/{key}/reject", operation_id="reject_agency_matrix",
             response_model=VersionOut)
async def reject(key: Key, body: RejectIn, ctx: Ctx, user: Approver) -> VersionOut:
    return VersionOut.of(await run_use_case(ctx, partial(service.reject, ctx, key,
                                                         body.reason, user)))


@router.get("/agencies/kpis", operation_id="agency_kpis", response_model=list[AgencyKpis])
def kpis(ctx: Ctx, user: Annotated[User, Depends(require(Permission.READ_AGENCY_KPIS))],
         since: Annotated[datetime | None, Query()] = None) -> list[AgencyKpis]:
    return service.kpis(ctx, user, since)


@router.get("/agency-tasks", operation_id="list_agency_tasks", response_model=list[TaskOut])
def list_tasks(ctx: Ctx, user: TaskReader, status: Annotated[str | None, Query(
        pattern="^(open|inspecting|awaiting_document|decided)$")] = None) -> list[TaskOut]:
    """Your agency's tasks (an officer: unassigned or yours); `open`: not yet decided."""
    return [TaskOut.of(t) for t in agency_work.list_tasks(ctx, user, status=status)]


@router.get("/agency-tasks/{key}", operation_id="get_agency_task", response_model=TaskOut)
def get_task(key: Key, ctx: Ctx, user: TaskReader) -> TaskOut:
    return TaskOut.of(*agency_work.get_task(ctx, key, user))


@router.post("/agency-tasks/{key}/decision", operation_id="decide_agency_task",
             response_model=TaskOut)
async def decide(key: Key, body: DecisionBody, ctx: Ctx, user: Decider) -> TaskOut:
    """Release, release on conditions, inspect, refuse (with a reason) or ask the trader for
    a document; the trader is told each decision."""
    task = await run_use_case(ctx, partial(agency_work.decide, ctx, key, DecisionIn(
        body.decision, body.text, body.shared), user))
    return TaskOut.of(task)


@router.post("/agency-tasks/{key}/reassign", operation_id="reassign_agency_task",
             response_model=TaskOut)
async def reassign(key: Key, body: ReassignIn, ctx: Ctx, user: TaskManager) -> TaskOut:
    return TaskOut.of(await run_use_case(ctx, partial(agency_work.reassign, ctx, key,
                                                      body.officer, user)))
