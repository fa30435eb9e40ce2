"""HTTP route of the release-time report (WCO Time Release Study style)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from clearway.api.deps import Ctx, require
from clearway.errors import ClearwayError
from clearway.reports.release_time import GROUPINGS, summarize
from clearway.reports.repository import timelines
from clearway.users.model import Permission, User

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Reader = Annotated[User, Depends(require(Permission.READ_RISK_REPORTS))]
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def period(today: date, start: date | None, end: date | None) -> tuple[datetime, datetime,
                                                                      date, date]:
    """[start, end] in days (default: the last 30 days) as UTC instants [lo, hi)."""
    for given in (start, end):
        if given is not None and not EARLIEST <= given <= LATEST:
            raise ClearwayError(code="CW-REQUEST-INVALID", status=422,
                                message=f"Dates must lie between {EARLIEST} and {LATEST}")
    end = end or today
    start = start or end - timedelta(days=29)
    return (datetime.combine(start, time.min, UTC),
            datetime.combine(end + timedelta(days=1), time.min, UTC), start, end)


@router.get("/release-times", operation_id="release_time_report")
def release_times(ctx: Ctx, user: Reader,
                  start: Annotated[date | None, Query(alias="from")] = None,
                  end: Annotated[date | None, Query(alias="to")] = None) -> dict[str, Any]:
    """Minutes spent in each step (validation, risk decision, waiting for control, control,
    total) by declarations released from `from` to `to` (default: the last 30 days): count,
    mean, p50, p90, p99, overall and by channel, office, AEO status and declaration type."""
    lo, hi, first, last = period(ctx.clock.now().date(), start, end)
    with ctx.uow(read_only=True) as uow:
        found = timelines(uow.session, lo, hi)
    return {"from": first.isoformat(), "to": last.isoformat(),
            **summarize(found, GROUPINGS)}
