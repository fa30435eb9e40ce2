"""Mirror analysis for analysts: the gaps between a partner's exports to us and our imports
from it (READ_MIRROR), and promoting a gap's unit value to a valuation reference
(MANAGE_RISK_LISTS: a valuation reference is confidential risk information)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.mirror import service

router = APIRouter(prefix="/api/v1/mirror", tags=["mirror"])
Reader = Annotated[User, Depends(require(Permission.READ_MIRROR))]
Promoter = Annotated[User, Depends(require(Permission.MANAGE_RISK_LISTS))]


class Gap(BaseModel):
    """One HS6 with both sides' figures: theirs (the partner's exports to us) and ours (our
    imports from the partner); ratios are theirs / ours."""

    rank: int
    hs6: str
    missing: str | None  # "our_imports" | "their_exports": the side with no figures
    their_value_eur: float | None
    our_value_eur: float | None
    value_gap_eur: float  # theirs - ours
    value_ratio: float | None
    their_mass_kg: float | None
    our_mass_kg: float | None
    their_unit_value: float | None  # EUR/kg
    our_unit_value: float | None
    unit_value_ratio: float | None
    their_count: int | None  # goods items
    our_count: int | None


class Received(BaseModel):
    message_id: str
    received_at: str
    rows: int


class GapList(BaseModel):
    partner: str
    period: str
    order: str
    received: Received | None  # null: the partner sent no aggregates for the month
    gaps: list[Gap]


class Promotion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    partner: str = Field(max_length=2)
    period: str = Field(max_length=7, description="YYYY-MM")
    hs6: str = Field(max_length=6)
    reason: str = Field(max_length=1000)


class Promoted(BaseModel):
    hs6: str
    origin_country: str
    centre: float  # the partner's export unit value, EUR/kg: the new reference
    source: str  # "mirror:MK:2026-11"
    reason: str
    figures: dict[str, Any]  # both sides' figures of the gap


@router.get("/gaps", operation_id="list_mirror_gaps", response_model=GapList)
def list_gaps(
    ctx: Ctx, user: Reader,
    partner: Annotated[str, Query(max_length=2, description="The partner's country code")],
    period: Annotated[str | None, Query(max_length=7,
                                        description="YYYY-MM (default: last month)")] = None,
    order: Annotated[Literal["value", "unit_value"], Query()] = "value",
    top: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> GapList:
    found = service.gap_list(ctx, partner, period, order=order, top=top)
    got = found.received
    return GapList(
        partner=found.partner, period=found.period, order=found.order,
        received=None if got is None else Received(
            message_id=got["message_id"], received_at=got["received_at"].isoformat(),
            rows=got["rows"]),
        gaps=[Gap(**r) for r in found.gaps.iter_rows(named=True)])


@router.post("/gaps/promote", operation_id="promote_mirror_gap", response_model=Promoted)
async def promote(ctx: Ctx, user: Promoter, body: Promotion) -> Promoted:
    done = await run_use_case(ctx, service.promote_gap, ctx, user, body.partner, body.period,
                              body.hs6, body.reason)
    return Promoted(**done)
