"""HTTP routes of the feedback room: trader records, profile effectiveness, the
non-compliance estimate, and the KPI page's figures."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from clearway.api.deps import Ctx, require
from clearway.feedback.kpis import kpis
from clearway.feedback.service import compliance_estimate, profile_effectiveness, trader_record
from clearway.identity import Permission, User
from clearway.periods import period

router = APIRouter(prefix="/api/v1", tags=["feedback"])
From = Annotated[date | None, Query(alias="from")]
To = Annotated[date | None, Query(alias="to")]


@router.get("/traders/{trader_id}/record", operation_id="trader_record")
def get_trader_record(ctx: Ctx, trader_id: str,
                      user: Annotated[User, Depends(require(Permission.READ_SELF))]
                      ) -> dict[str, Any]:
    """A trader's compliance record: declarations, controls, irregular ones, revenue
    assessed, last irregularity, compliance rate with its Wilson 95 % interval. Staff who
    read risk reports see any trader; a trader sees only its own (another id: 404)."""
    return trader_record(ctx, trader_id, user)


@router.get("/profiles/effectiveness", operation_id="profile_effectiveness")
def get_profile_effectiveness(
        ctx: Ctx, user: Annotated[User, Depends(require(Permission.READ_PROFILES))]
) -> dict[str, Any]:
    """Per profile code: controls, hits, hit rate (Wilson 95 % CI), revenue per control,
    last control and last hit."""
    return {"profiles": profile_effectiveness(ctx)}


@router.get("/feedback/compliance-estimate", operation_id="compliance_estimate")
def get_compliance_estimate(
        ctx: Ctx, user: Annotated[User, Depends(require(Permission.READ_RISK_REPORTS))],
        start: From = None, end: To = None) -> dict[str, Any]:
    """Non-compliance rate and revenue gap estimated from the random selections of the
    declarations decided from `from` to `to` (default: the last 30 days), with 95 % CIs."""
    return compliance_estimate(ctx, period(ctx.clock.now().date(), start, end))


@router.get("/kpis", operation_id="kpis")
def get_kpis(ctx: Ctx, user: Annotated[User, Depends(require(Permission.READ_KPIS))],
             start: From = None, end: To = None) -> dict[str, Any]:
    """Per day and in total: declarations decided, channel shares, controls done, hit rate,
    revenue assessed, median and p90 release time (minutes)."""
    return kpis(ctx, period(ctx.clock.now().date(), start, end))
