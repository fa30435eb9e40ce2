"""HTTP routes of selectivity: offices' daily capacity, and the selectivity report."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from clearway.api.deps import Ctx, require
from clearway.audit import repository as audit
from clearway.errors import ClearwayError
from clearway.risk import repository
from clearway.risk.decision import Channel
from clearway.risk.report import summarize
from clearway.users.model import Permission, User

router = APIRouter(prefix="/api/v1/selectivity", tags=["risk"])
Reader = Annotated[User, Depends(require(Permission.READ_RISK_REPORTS))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_CAPACITY))]
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
OfficeCode = Annotated[str, Path(pattern=r"^[A-Z]{2}[A-Z0-9]{6}$")]


class Budget(BaseModel):
    office: str
    channel: Channel
    per_day: int


class BudgetIn(BaseModel):
    per_day: int | None = Field(description="Controls per day in this channel; null removes "
                                "the limit", ge=0, le=1_000_000)


@router.get("/budgets", operation_id="list_capacity_budgets", response_model=list[Budget])
def list_budgets(ctx: Ctx, user: Reader) -> list[Budget]:
    with ctx.uow(read_only=True) as uow:
        return [Budget(office=b.office, channel=Channel(b.channel), per_day=b.per_day)
                for b in repository.budgets(uow.session)]


@router.put("/budgets/{office}/{channel}", operation_id="set_capacity_budget")
def set_budget(office: OfficeCode, channel: Channel, body: BudgetIn, ctx: Ctx,
               user: Manager) -> dict[str, Any]:
    """Set (or with `per_day: null` remove) an office's daily capacity in a channel."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        repository.set_budget(uow.session, office, channel, body.per_day)
        audit.append(uow.session, at=now, actor=user.actor, action="capacity.set",
                     object_type="office", object_id=office,
                     detail={"channel": str(channel), "per_day": body.per_day})
        uow.commit()
    return {"office": office, "channel": str(channel), "per_day": body.per_day}


@router.get("/report", operation_id="selectivity_report")
def report(ctx: Ctx, user: Reader,
           start: Annotated[date | None, Query(alias="from")] = None,
           end: Annotated[date | None, Query(alias="to")] = None) -> dict[str, Any]:
    """Channel shares overall and by office, AEO against non-AEO (the AEO benefit: the
    difference in the share released at once), and the number of random selections, for
    decisions made from `from` to `to` inclusive (default: the last 30 days)."""
    today = ctx.clock.now().date()
    for given in (start, end):
        if given is not None and not EARLIEST <= given <= LATEST:
            raise ClearwayError(code="CW-REQUEST-INVALID", status=422,
                                message=f"Dates must lie between {EARLIEST} and {LATEST}")
    end = end or today
    start = start or end - timedelta(days=29)
    lo = datetime.combine(start, time.min, UTC)
    hi = datetime.combine(end + timedelta(days=1), time.min, UTC)
    with ctx.uow(read_only=True) as uow:
        records = repository.decision_records(uow.session, lo, hi)
    return {"from": start.isoformat(), "to": end.isoformat(), **summarize(records)}
