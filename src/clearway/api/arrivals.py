"""HTTP routes of the entry side of pre-arrival: officers record what crosses at the booth
and read the arrivals partners announced (with what arrived and the alarms); analysts set
the tolerances per HS chapter. Thin: the use cases are `prearrival.service`."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.border import service as border
from clearway.declarations.schemas import ErrorBody
from clearway.identity import Permission, User
from clearway.prearrival import service
from clearway.prearrival.schemas import (
    ArrivalDetailOut,
    ArrivalOut,
    CrossingIn,
    CrossingOut,
    ToleranceIn,
    ToleranceOut,
)

router = APIRouter(prefix="/api/v1/arrivals", tags=["pre-arrival"])
Reader = Annotated[User, Depends(require(Permission.READ_ARRIVALS))]
Booth = Annotated[User, Depends(require(Permission.RECORD_CROSSING))]
Analyst = Annotated[User, Depends(require(Permission.MANAGE_ARRIVAL_TOLERANCES))]
ArrivalId = Annotated[int, Path(ge=1, le=2**62, description="The anticipated arrival's id")]
Chapter = Annotated[str, Path(max_length=2, description="Two digits, or * for the default")]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No valid token"},
    403: {"model": ErrorBody, "description": "Role not allowed"},
    422: {"model": ErrorBody, "description": "Coded errors"},
}


@router.post("/crossings", operation_id="record_border_crossing", response_model=CrossingOut,
             responses=_ERRORS)
async def record_crossing(body: CrossingIn, ctx: Ctx, user: Booth) -> CrossingOut:
    """A vehicle crossing at one of our offices or crossing points: an entry matched with the
    arrivals announced, every crossing checked against the shared watch lists; the alarms
    it raised (no exit record, seals, transit time) and the watch-list alerts the officer may
    see come back."""
    done = await run_use_case(ctx, partial(
        service.record_crossing, ctx, user, body.office, body.vehicle, body.containers,
        body.seals, body.from_country, border=body.border()))
    return CrossingOut.of(done, border.alerts_shown(ctx, user, done.alerts))


@router.get("/tolerances", operation_id="list_arrival_tolerances",
            response_model=list[ToleranceOut], responses=_ERRORS)
def list_tolerances(ctx: Ctx, user: Reader) -> list[ToleranceOut]:
    """The tolerances set per HS chapter (none set: mass 5 %, packages 0, value 10 %)."""
    return [ToleranceOut.of(t) for t in service.tolerances(ctx)]


@router.put("/tolerances/{chapter}", operation_id="set_arrival_tolerance",
            response_model=ToleranceOut, responses=_ERRORS)
async def set_tolerance(chapter: Chapter, body: ToleranceIn, ctx: Ctx,
                        user: Analyst) -> ToleranceOut:
    """Set how far arrivals of an HS chapter may differ from the announcement (audited)."""
    return ToleranceOut.of(await run_use_case(ctx, partial(
        service.set_tolerance, ctx, chapter, mass_pct=body.mass_pct, packages=body.packages,
        value_pct=body.value_pct, user=user)))


@router.get("", operation_id="list_anticipated_arrivals", response_model=list[ArrivalOut],
            responses=_ERRORS)
def list_arrivals(ctx: Ctx, user: Reader,
                  status: Literal["expected", "arrived", "overdue"] | None = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                  offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> list[ArrivalOut]:
    """Arrivals partners announced, newest first."""
    return [ArrivalOut(**a) for a in service.list_arrivals(ctx, status=status, limit=limit,
                                                           offset=offset)]


@router.get("/{arrival_id}", operation_id="get_anticipated_arrival",
            response_model=ArrivalDetailOut, responses=_ERRORS)
def get_arrival(arrival_id: ArrivalId, ctx: Ctx, user: Reader) -> ArrivalDetailOut:
    """One announcement, what arrived (booth records, what matched first) and its alarms
    with both sides' figures."""
    return ArrivalDetailOut(**service.arrival_detail(ctx, arrival_id, user))
