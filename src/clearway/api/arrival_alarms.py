"""HTTP routes of pre-arrival alarms: analysts set what each kind weighs in the risk
decision; officers list open alarms, read one with both sides' data, and close it with a
reason. Thin: the use cases are `prearrival.alarm_service`."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.prearrival import alarm_service as service
from clearway.prearrival.alarm_schemas import (
    AlarmDetailOut,
    AlarmOut,
    CloseIn,
    WeightIn,
    WeightOut,
)

router = APIRouter(prefix="/api/v1/arrivals", tags=["pre-arrival alarms"])
Reader = Annotated[User, Depends(require(Permission.READ_ARRIVALS))]
Closer = Annotated[User, Depends(require(Permission.CLOSE_ARRIVAL_ALARMS))]
Analyst = Annotated[User, Depends(require(Permission.MANAGE_ARRIVAL_WEIGHTS))]
AlarmId = Annotated[int, Path(ge=1, le=2**62, description="The alarm's id")]
Kind = Annotated[str, Path(max_length=40, description="An alarm kind, e.g. value-difference")]


@router.get("/alarm-weights", operation_id="list_arrival_alarm_weights",
            response_model=list[WeightOut])
def list_weights(ctx: Ctx, user: Reader) -> list[WeightOut]:
    """What every alarm kind weighs now (the analysts' setting, else the default)."""
    return [WeightOut.of(w) for w in service.weights(ctx)]


@router.get("/alarm-weights/{kind}", operation_id="get_arrival_alarm_weight",
            response_model=WeightOut)
def get_weight(kind: Kind, ctx: Ctx, user: Reader) -> WeightOut:
    found = service.alarm_kind(kind)
    return WeightOut.of(next(w for w in service.weights(ctx) if w.kind == found))


@router.put("/alarm-weights/{kind}", operation_id="set_arrival_alarm_weight",
            response_model=WeightOut)
async def put_weight(kind: Kind, body: WeightIn, ctx: Ctx, user: Analyst) -> WeightOut:
    """Set what an alarm kind weighs (audited); decisions use it within the knowledge
    cache's recheck interval."""
    return WeightOut.of(await run_use_case(ctx, partial(
        service.set_weight, ctx, kind, weight=body.weight, min_channel=body.min_channel,
        hard=body.hard, user=user)))


@router.get("/alarms", operation_id="list_arrival_alarms", response_model=list[AlarmOut])
def list_alarms(ctx: Ctx, user: Reader,
                status: Literal["open", "closed"] | None = "open",
                kind: Annotated[str | None, Query(max_length=40)] = None,
                limit: Annotated[int, Query(ge=1, le=service.MAX_LIST)] = 100
                ) -> list[AlarmOut]:
    """Alarms, newest first (default: the open ones)."""
    return [AlarmOut.of(a) for a in service.list_alarms(ctx, status=status, kind=kind,
                                                        limit=limit)]


@router.get("/alarms/{alarm_id}", operation_id="get_arrival_alarm",
            response_model=AlarmDetailOut)
def get_alarm(alarm_id: AlarmId, ctx: Ctx, user: Reader) -> AlarmDetailOut:
    """One alarm with both sides' figures and the announcement it concerns."""
    return AlarmDetailOut.detail(service.alarm_detail(ctx, alarm_id, user))


@router.post("/alarms/{alarm_id}/close", operation_id="close_arrival_alarm",
             response_model=AlarmOut)
async def close_alarm(alarm_id: AlarmId, body: CloseIn, ctx: Ctx, user: Closer) -> AlarmOut:
    """Close an open alarm with the reason (audited; CW-REASON-REQUIRED without one)."""
    return AlarmOut.of(await run_use_case(ctx, partial(service.close_alarm, ctx, alarm_id,
                                                       body.reason, user)))
