"""HTTP routes of integrity indicators and the register of integrity cases (R4): auditors
and administrators read (integrity:read), auditors keep the register (integrity:manage)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import Permission, User
from clearway.integrity import service
from clearway.integrity.schemas import CaseIn, CaseOut, CaseUpdate
from clearway.periods import period

router = APIRouter(prefix="/api/v1/integrity", tags=["integrity"])
Reader = Annotated[User, Depends(require(Permission.READ_INTEGRITY))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_INTEGRITY))]
Year = Annotated[int | None, Query(ge=2000, le=2100)]


@router.get("/indicators", operation_id="integrity_indicators")
def indicators(
    ctx: Ctx, user: Reader,
    first: Annotated[date | None, Query(alias="from", description="First day (default: "
                                        "30 days up to `to`)")] = None,
    last: Annotated[date | None, Query(alias="to", description="Last day (default today)")]
    = None,
    office: Annotated[str | None, Query(max_length=16)] = None,
) -> dict[str, Any]:
    """Per officer and office: controls, hit rate against peers at the same office and
    channel, override rate, median minutes to complete, reassignments away, controls closed
    regular on declarations later found irregular; outliers carry their reasons in `flags`."""
    span = period(ctx.clock.now().date(), first, last)
    return service.indicators(ctx, span, office)


@router.get("/cases", operation_id="list_integrity_cases", response_model=list[CaseOut])
def list_cases(ctx: Ctx, user: Reader,
               status: Annotated[str | None, Query(max_length=20)] = None,
               officer_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
               year: Year = None) -> list[CaseOut]:
    """Cases of the register, oldest first; by status, officer and year opened."""
    found = service.list_cases(ctx, status=status, officer_id=officer_id, year=year)
    return [CaseOut.of(c) for c in found]


@router.post("/cases", operation_id="open_integrity_case", response_model=CaseOut,
             status_code=201)
async def open_case(body: CaseIn, ctx: Ctx, user: Manager) -> CaseOut:
    """Open a case; the reference (IC-YYYY-NNNN) is given by the register."""
    case = await run_use_case(ctx, partial(
        service.open_case, ctx, allegation=body.allegation, description=body.description,
        source=body.source, office=body.office, officer_id=body.officer_id, user=user,
        indicator=body.indicator, opened_on=body.opened_on))
    return CaseOut.of(case)


@router.get("/cases/{key}", operation_id="get_integrity_case", response_model=CaseOut)
def get_case(key: str, ctx: Ctx, user: Reader) -> CaseOut:
    return CaseOut.of(service.get_case(ctx, key))


@router.patch("/cases/{key}", operation_id="update_integrity_case", response_model=CaseOut)
async def update_case(key: str, body: CaseUpdate, ctx: Ctx, user: Manager) -> CaseOut:
    """Move a case on (open -> investigating -> substantiated | unfounded) and record the
    sanction of a substantiated one."""
    case = await run_use_case(ctx, partial(service.update_case, ctx, key, status=body.status,
                                           sanction=body.sanction, note=body.note, user=user))
    return CaseOut.of(case)


@router.get("/report", operation_id="integrity_report")
def report(ctx: Ctx, user: Reader, year: Year = None) -> dict[str, Any]:
    """Cases detected by allegation type and sanctions by type in a year (default: this)."""
    return service.yearly_report(ctx, year or ctx.clock.now().year)
