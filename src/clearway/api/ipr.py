"""HTTP routes for applications for action: staff read them, risk analysts manage them."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.ipr import service
from clearway.ipr.schemas import (
    IprApplicationIn,
    IprApplicationOut,
    IprApplicationUpdate,
    WithdrawIn,
)

router = APIRouter(prefix="/api/v1/ipr-applications", tags=["IPR applications"])
Reader = Annotated[User, Depends(require(Permission.READ_RISK_LISTS))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_RISK_LISTS))]
Reference = Annotated[str, Path(max_length=40, description="Application reference")]


@router.get("", operation_id="list_ipr_applications", response_model=list[IprApplicationOut])
def list_applications(
    ctx: Ctx, user: Reader,
    status: Annotated[Literal["active", "withdrawn"] | None, Query()] = None,
    on: Annotated[date | None, Query(description="Only those valid on this date")] = None,
) -> list[IprApplicationOut]:
    return [IprApplicationOut.of(r) for r in service.list_records(ctx, status=status, on=on)]


@router.get("/{key}", operation_id="get_ipr_application", response_model=IprApplicationOut)
def get_application(key: Reference, ctx: Ctx, user: Reader) -> IprApplicationOut:
    return IprApplicationOut.of(service.get(ctx, key))


@router.post("", operation_id="create_ipr_application", response_model=IprApplicationOut,
             status_code=201)
async def create_application(body: IprApplicationIn, ctx: Ctx,
                             user: Manager) -> IprApplicationOut:
    """Record a granted application; it takes effect in the engine at once."""
    record = await run_use_case(ctx, partial(service.create, ctx, body.model_dump(), user))
    return IprApplicationOut.of(record)


@router.put("/{key}", operation_id="update_ipr_application", response_model=IprApplicationOut)
async def update_application(key: Reference, body: IprApplicationUpdate, ctx: Ctx,
                             user: Manager) -> IprApplicationOut:
    """Replace what an active application says, e.g. renew it for a new period."""
    record = await run_use_case(ctx, partial(service.update, ctx, key, body.model_dump(), user))
    return IprApplicationOut.of(record)


@router.post("/{key}/withdraw", operation_id="withdraw_ipr_application",
             response_model=IprApplicationOut)
async def withdraw_application(key: Reference, body: WithdrawIn, ctx: Ctx,
                               user: Manager) -> IprApplicationOut:
    """Stop acting on an application (kept for the record; it can no longer change)."""
    record = await run_use_case(ctx, partial(service.withdraw, ctx, key, user, body.reason))
    return IprApplicationOut.of(record)
