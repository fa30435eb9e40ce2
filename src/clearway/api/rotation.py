"""HTTP routes of rotation: sensitive posts, the rotation plan and its warnings, tenure
exceptions (one supervisor asks, another decides) and the yearly share rotated."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.rotation import service
from clearway.rotation.schemas import (
    DecisionIn,
    ExceptionIn,
    ExceptionOut,
    PlanEntryOut,
    PostIn,
    PostOut,
    ShareOut,
)

router = APIRouter(prefix="/api/v1/rotation", tags=["rotation"])
Reader = Annotated[User, Depends(require(Permission.READ_ROTATION))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_ROTATION))]
Approver = Annotated[User, Depends(require(Permission.APPROVE_ROTATION))]
Office = Annotated[str | None, Query(max_length=16, description="One office only")]


@router.get("/posts", operation_id="list_sensitive_posts", response_model=list[PostOut])
def posts(ctx: Ctx, user: Reader, office: Office = None) -> list[PostOut]:
    return [PostOut.of(p) for p in service.posts(ctx, office)]


@router.put("/posts", operation_id="set_sensitive_post", response_model=PostOut)
async def set_post(body: PostIn, ctx: Ctx, user: Manager) -> PostOut:
    """Mark a post (office x function) sensitive, or change its limits."""
    row = await run_use_case(ctx, partial(
        service.set_post, ctx, office=body.office, function=body.function,
        max_tenure_days=body.max_tenure_days, warn_days=body.warn_days, user=user))
    return PostOut(office=row.office, function=row.function,
                   max_tenure_days=row.max_tenure_days, warn_days=row.warn_days)


@router.get("/plan", operation_id="rotation_plan", response_model=list[PlanEntryOut])
def plan(ctx: Ctx, user: Reader, office: Office = None,
         warnings: Annotated[bool, Query(description="Only officers near or past their "
                                         "maximum tenure")] = False) -> list[PlanEntryOut]:
    """Who must rotate off which sensitive post by when, the soonest first."""
    entries = service.warnings(ctx, office) if warnings else service.plan(ctx, office)
    return [PlanEntryOut.of(e) for e in entries]


@router.get("/share", operation_id="rotation_share", response_model=ShareOut)
def share(ctx: Ctx, user: Reader, year: Annotated[int, Query(ge=1900, le=9998)]) -> ShareOut:
    """The share of officers on sensitive posts who rotated in the year."""
    return ShareOut(**service.share(ctx, year))


@router.get("/exceptions", operation_id="list_tenure_exceptions",
            response_model=list[ExceptionOut])
def exceptions(ctx: Ctx, user: Reader,
               status: Annotated[str | None, Query(max_length=12)] = None
               ) -> list[ExceptionOut]:
    rows, _ = service.exceptions(ctx, status=status)
    return [ExceptionOut.of(r) for r in rows]


@router.post("/exceptions", operation_id="request_tenure_exception",
             response_model=ExceptionOut, status_code=201)
async def request_exception(body: ExceptionIn, ctx: Ctx, user: Manager) -> ExceptionOut:
    """Ask that an officer stay on a sensitive post past its maximum tenure."""
    row = await run_use_case(ctx, partial(
        service.request_exception, ctx, officer_id=body.officer_id, office=body.office,
        function=body.function, until=body.until, reason=body.reason, user=user))
    return ExceptionOut.of(row)


@router.post("/exceptions/{key}/decide", operation_id="decide_tenure_exception",
             response_model=ExceptionOut)
async def decide(key: Annotated[int, Path(ge=1, le=2**62)], body: DecisionIn, ctx: Ctx,
                 user: Approver) -> ExceptionOut:
    """Approve or reject another supervisor's request (never one's own)."""
    row = await run_use_case(ctx, partial(service.decide_exception, ctx, key,
                                          approve=body.approve, note=body.note, user=user))
    return ExceptionOut.of(row)
