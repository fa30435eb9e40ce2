"""HTTP routes of selectivity: offices' daily capacity, and the selectivity report."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from clearway.api.deps import Ctx, require
from clearway.identity import Permission, User
from clearway.periods import period
from clearway.risk import repository, service
from clearway.risk.engine.decision import Channel

router = APIRouter(prefix="/api/v1/selectivity", tags=["risk"])
Reader = Annotated[User, Depends(require(Permission.READ_RISK_REPORTS))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_CAPACITY))]
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
    service.set_capacity_budget(ctx, office, channel, body.per_day, user.actor)
    return {"office": office, "channel": str(channel), "per_day": body.per_day}


@router.get("/report", operation_id="selectivity_report")
def report(ctx: Ctx, user: Reader,
           start: Annotated[date | None, Query(alias="from")] = None,
           end: Annotated[date | None, Query(alias="to")] = None) -> dict[str, Any]:
    """Channel shares overall and by office, AEO against non-AEO (the AEO benefit: the
    difference in the share released at once), and the number of random selections, for
    decisions made from `from` to `to` inclusive (default: the last 30 days)."""
    return service.selectivity_report(ctx, period(ctx.clock.now().date(), start, end))
