"""HTTP route of the release-time report (WCO Time Release Study style)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from clearway.api.deps import Ctx, require
from clearway.identity import Permission, User
from clearway.periods import period
from clearway.reports.service import release_time_report

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Reader = Annotated[User, Depends(require(Permission.READ_RISK_REPORTS))]


@router.get("/release-times", operation_id="release_time_report")
def release_times(ctx: Ctx, user: Reader,
                  start: Annotated[date | None, Query(alias="from")] = None,
                  end: Annotated[date | None, Query(alias="to")] = None) -> dict[str, Any]:
    """Minutes spent in each step (validation, risk decision, waiting for control, control,
    total) by declarations released from `from` to `to` (default: the last 30 days): count,
    mean, p50, p90, p99, overall and by channel, office, AEO status and declaration type."""
    return release_time_report(ctx, period(ctx.clock.now().date(), start, end))
