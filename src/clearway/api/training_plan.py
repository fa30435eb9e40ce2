"""HTTP routes of the yearly training plan: the needs the data shows, the plan and its
execution, sessions planned and held, and the training figures of a period. Staff read;
supervisors and administrators (the training managers) plan and record."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.training import figures
from clearway.training import plan_service as service
from clearway.training.plan import HeldIn, SessionIn
from clearway.training.plan_schemas import NeedsOut, PlanOut, SessionOut

router = APIRouter(prefix="/api/v1/training", tags=["training"])
Reader = Annotated[User, Depends(require(Permission.READ_TRAINING))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_TRAINING))]


@router.get("/needs", operation_id="training_needs", response_model=NeedsOut)
def training_needs(ctx: Ctx, user: Reader,
                   on: Annotated[date | None, Query(description="Needs on this day "
                                                    "(default today)")] = None) -> NeedsOut:
    """Per office and qualification: officers, valid holders, those expiring within a
    year, tasks that needed it and waited, and the seats to plan."""
    return NeedsOut.of(service.training_needs(ctx, on))


@router.get("/plan", operation_id="training_plan", response_model=PlanOut)
def training_plan(ctx: Ctx, user: Reader,
                  year: Annotated[int, Query(ge=1900, le=9998)]) -> PlanOut:
    """The year's planned sessions and their execution, beside today's needs."""
    return PlanOut.of(service.plan_of(ctx, year))


@router.post("/sessions", operation_id="plan_training_session", response_model=SessionOut,
             status_code=201)
async def plan_session(body: SessionIn, ctx: Ctx, user: Manager) -> SessionOut:
    """Add a course session to the plan: seats, trainer, budget."""
    row = await run_use_case(ctx, partial(service.plan_session, ctx, body, user))
    return SessionOut.of(row)


@router.post("/sessions/{key}/held", operation_id="record_training_session_held",
             response_model=SessionOut)
async def record_held(key: Annotated[int, Path(ge=1, le=2**62)], body: HeldIn, ctx: Ctx,
                      user: Manager) -> SessionOut:
    """Record a planned session as held: each attendee gets a training record."""
    row = await run_use_case(ctx, partial(service.record_held, ctx, key, body, user))
    return SessionOut.of(row)


@router.get("/figures", operation_id="training_figures")
def training_figures(ctx: Ctx, user: Reader, start: date, end: date) -> dict[str, Any]:
    """The training figures of [start, end) that the progress report's training section
    reads (docs/training.md lists them)."""
    if end <= start or (end - start).days > 3660:
        raise ClearwayError(code="CW-REQUEST-INVALID",
                            message="The period ends after it starts and spans at most ten "
                                    "years")
    with ctx.uow(read_only=True) as uow:
        return figures.training_figures(uow.session, start, end)
