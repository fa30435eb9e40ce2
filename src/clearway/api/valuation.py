"""Read API for valuation references (confidential risk information: staff only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from clearway.api.deps import Ctx, require
from clearway.identity import Permission, User
from clearway.valuation.service import references_for

router = APIRouter(prefix="/api/v1/valuation", tags=["valuation"])
Reader = Annotated[User, Depends(require(Permission.READ_RISK_LISTS))]


class Reference(BaseModel):
    hs6: str
    origin_country: str | None  # null: all origins of the HS6
    period_from: str
    period_to: str
    centre: float  # median unit value, EUR/kg
    spread: float  # robust spread of the log unit values
    observations: int
    computed_at: str
    source: str  # "controls", or the mirror gap an analyst promoted ("mirror:MK:2026-11")


class ReferencePage(BaseModel):
    total: int
    references: list[Reference]


@router.get("/references", operation_id="list_valuation_references",
            response_model=ReferencePage)
def list_references(
    ctx: Ctx, user: Reader,
    hs6: Annotated[str | None, Query(pattern=r"^[0-9]{2,6}$",
                                     description="HS code or prefix (2 to 6 digits)")] = None,
    origin: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$",
                                        description="Origin: its own and the all-origins "
                                        "references")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ReferencePage:
    total, found = references_for(ctx, hs6, origin.upper() if origin else None,
                                  limit=limit, offset=offset)
    return ReferencePage(total=total, references=[
        Reference(hs6=r["hs6"], origin_country=r["origin_country"],
                  period_from=r["period_from"].isoformat(),
                  period_to=r["period_to"].isoformat(), centre=r["centre"],
                  spread=r["spread"], observations=r["observations"],
                  computed_at=r["computed_at"].isoformat(), source=r["source"])
        for r in found.iter_rows(named=True)])
