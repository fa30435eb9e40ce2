"""HTTP routes of integrated border management: crossing points (read by everyone at the
border, kept by administrators), the crossings of a declaration or ENS, the shared watch lists
and the alerts in each service's room. Thin: the use cases are `border.service`."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.border import service
from clearway.border.model import CrossingPoint
from clearway.border.people import Person
from clearway.border.schemas import (
    AlertOut,
    CrossingSeen,
    PointIn,
    PointOut,
    ReasonIn,
    WatchEntryIn,
    WatchEntryOut,
)
from clearway.declarations.schemas import ErrorBody
from clearway.identity import Permission, User

router = APIRouter(prefix="/api/v1/border", tags=["border"])
Everyone = Annotated[User, Depends(require(Permission.READ_REFDATA))]
Admin = Annotated[User, Depends(require(Permission.MANAGE_CROSSING_POINTS))]
Crossings = Annotated[User, Depends(require(Permission.READ_CROSSINGS))]
Reader = Annotated[User, Depends(require(Permission.READ_WATCH_LIST))]
Keeper = Annotated[User, Depends(require(Permission.MANAGE_WATCH_LIST))]
AlertReader = Annotated[User, Depends(require(Permission.READ_ALERTS))]
Closer = Annotated[User, Depends(require(Permission.CLOSE_ALERTS))]
Code = Annotated[str, Path(min_length=2, max_length=20, description="Crossing point code")]
Id = Annotated[int, Path(ge=1, le=2**62)]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No valid token"},
    403: {"model": ErrorBody, "description": "Role not allowed"},
    404: {"model": ErrorBody, "description": "Not found (or not your service's)"},
    409: {"model": ErrorBody, "description": "Already ended or closed"},
    422: {"model": ErrorBody, "description": "Coded errors"},
}


@router.get("/crossing-points", operation_id="list_crossing_points",
            response_model=list[PointOut], responses=_ERRORS)
def list_points(ctx: Ctx, user: Everyone) -> list[PointOut]:
    """The border crossing points: office, neighbouring country, modes, agencies present."""
    return [PointOut.of(p) for p in service.crossing_points(ctx)]


@router.put("/crossing-points/{code}", operation_id="save_crossing_point",
            response_model=PointOut, responses=_ERRORS)
async def save_point(code: Code, body: PointIn, ctx: Ctx, user: Admin) -> PointOut:
    """Add or change a crossing point (audited with what it was before)."""
    given = CrossingPoint(code=code, name=body.name, office=body.office,
                          neighbour=body.neighbour, modes=tuple(body.modes),
                          agencies=tuple(body.agencies), active=body.active)
    return PointOut.of(await run_use_case(ctx, partial(service.save_point, ctx, user, given)))


@router.get("/crossings", operation_id="crossings_of_document",
            response_model=list[CrossingSeen], responses=_ERRORS)
def crossings(ctx: Ctx, user: Crossings,
              mrn: Annotated[str, Query(min_length=1, max_length=35)]) -> list[CrossingSeen]:
    """The booth records a declaration or ENS (by MRN) was presented at, oldest first."""
    return [CrossingSeen(**c) for c in service.crossings_of(ctx, mrn)]


@router.get("/watch-list", operation_id="list_watch_entries",
            response_model=list[WatchEntryOut], responses=_ERRORS)
def list_entries(ctx: Ctx, user: Reader, ended: bool = False) -> list[WatchEntryOut]:
    """Your service's entries and those shared with it (persons only for customs and the
    border police); the read is logged."""
    return [WatchEntryOut.of(e) for e in service.list_entries(ctx, user, live_only=not ended)]


@router.post("/watch-list", operation_id="add_watch_entry", response_model=WatchEntryOut,
             status_code=201, responses=_ERRORS)
async def add_entry(body: WatchEntryIn, ctx: Ctx, user: Keeper) -> WatchEntryOut:
    """A new entry owned by your service, shared with the services named (audited)."""
    given = service.NewEntry(
        kind=body.kind, value=body.value, reason=body.reason,
        shared_with=tuple(body.shared_with), valid_from=body.valid_from,
        valid_to=body.valid_to,
        person=Person(body.person.name, body.person.document, body.person.country)
        if body.person else None)
    return WatchEntryOut.of(await run_use_case(ctx, partial(service.add_entry, ctx, user,
                                                            given)))


@router.post("/watch-list/{entry_id}/end", operation_id="end_watch_entry",
             response_model=WatchEntryOut, responses=_ERRORS)
async def end_entry(entry_id: Id, body: ReasonIn, ctx: Ctx, user: Keeper) -> WatchEntryOut:
    """End an entry of your own service, with a reason (audited)."""
    return WatchEntryOut.of(await run_use_case(ctx, partial(service.end_entry, ctx, user,
                                                            entry_id, body.reason)))


@router.get("/alerts", operation_id="list_watch_alerts", response_model=list[AlertOut],
            responses=_ERRORS)
def list_alerts(ctx: Ctx, user: AlertReader,
                status: Literal["open", "closed", "all"] = "open") -> list[AlertOut]:
    """The alerts in your service's room, newest first; the read is logged."""
    return [AlertOut.of(a) for a in service.list_alerts(
        ctx, user, status=None if status == "all" else status)]


@router.get("/alerts/{alert_id}", operation_id="get_watch_alert", response_model=AlertOut,
            responses=_ERRORS)
def get_alert(alert_id: Id, ctx: Ctx, user: AlertReader) -> AlertOut:
    """One alert: what matched, where, and the entry's reason; the read is logged."""
    return AlertOut.of(service.get_alert(ctx, user, alert_id))


@router.post("/alerts/{alert_id}/close", operation_id="close_watch_alert",
             response_model=AlertOut, responses=_ERRORS)
async def close_alert(alert_id: Id, body: ReasonIn, ctx: Ctx, user: Closer) -> AlertOut:
    """Close an alert of your service with a reason (audited)."""
    return AlertOut.of(await run_use_case(ctx, partial(service.close_alert, ctx, user,
                                                       alert_id, body.reason)))
