"""HTTP routes of four-eyes overrides: ask, approve or reject, read."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.clearance import overrides as clearance
from clearway.identity import Permission, User
from clearway.overrides import repository as repo
from clearway.overrides import service
from clearway.overrides.model import Status
from clearway.overrides.schemas import DecisionIn, OverrideIn, OverrideOut, OverridePage

router = APIRouter(tags=["four-eyes"])
Requester = Annotated[User, Depends(require(Permission.REQUEST_OVERRIDE))]
Approver = Annotated[User, Depends(require(Permission.APPROVE_OVERRIDE))]
Auditor = Annotated[User, Depends(require(Permission.READ_AUDIT))]
OverrideId = Annotated[int, Path(ge=1, le=2**62, description="The request's number")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Limit = Annotated[int, Query(ge=1, le=500)]


def _one(ctx: Ctx, user: User, override_id: int) -> OverrideOut:
    return OverrideOut.of(service.get_for(ctx, user, override_id))


def _page(ctx: Ctx, user: User, status: Status | None, declaration: str | None,
          offset: int, limit: int) -> OverridePage:
    flt = repo.OverrideFilter(status=status, declaration_id=None if declaration is None
                              else service.declaration_id(ctx, declaration))
    rows, total = service.list_for(ctx, user, flt, offset=offset, limit=limit)
    return OverridePage(items=[OverrideOut.of(r) for r in rows], total=total, offset=offset,
                        limit=limit)


@router.post("/api/v1/declarations/{key}/overrides", operation_id="request_override",
             response_model=OverrideOut, status_code=201)
async def request_override(key: str, body: OverrideIn, ctx: Ctx,
                           user: Requester) -> OverrideOut:
    """Ask for a channel change, a waiver of the open control, or a cancellation after
    selection. Nothing changes until a second person approves."""
    found = await run_use_case(ctx, partial(clearance.request, ctx, key, body.kind,
                                            body.to_channel, body.reason, user))
    return _one(ctx, user, found.id)


@router.get("/api/v1/overrides", operation_id="list_overrides", response_model=OverridePage)
def list_overrides(ctx: Ctx, user: Requester, status: Status | None = None,
                   declaration: Annotated[str | None, Query(max_length=40)] = None,
                   offset: Offset = 0, limit: Limit = 50) -> OverridePage:
    """Requests, newest first: supervisors see everyone's, others their own."""
    return _page(ctx, user, status, declaration, offset, limit)


@router.get("/api/v1/overrides/{key}", operation_id="get_override",
            response_model=OverrideOut)
def get_override(key: OverrideId, ctx: Ctx, user: Requester) -> OverrideOut:
    return _one(ctx, user, key)


@router.post("/api/v1/overrides/{key}/approve", operation_id="approve_override",
             response_model=OverrideOut)
async def approve_override(key: OverrideId, body: DecisionIn, ctx: Ctx,
                           user: Approver) -> OverrideOut:
    """Approve and apply a request (never your own: CW-FOUR-EYES)."""
    await run_use_case(ctx, partial(clearance.approve, ctx, key, body.note, user))
    return _one(ctx, user, key)


@router.post("/api/v1/overrides/{key}/reject", operation_id="reject_override",
             response_model=OverrideOut)
async def reject_override(key: OverrideId, body: DecisionIn, ctx: Ctx,
                          user: Approver) -> OverrideOut:
    """Reject a request with a note; nothing changes."""
    await run_use_case(ctx, partial(service.reject, ctx, key, body.note, user))
    return _one(ctx, user, key)


@router.get("/api/v1/audit/overrides", operation_id="audit_overrides",
            response_model=OverridePage)
def audit_overrides(ctx: Ctx, user: Auditor, status: Status | None = None,
                    declaration: Annotated[str | None, Query(max_length=40)] = None,
                    offset: Offset = 0, limit: Limit = 50) -> OverridePage:
    """Every request, whoever asked or decided (auditors and supervisors)."""
    return _page(ctx, user, status, declaration, offset, limit)
