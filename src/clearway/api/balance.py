"""HTTP route of the live balance report (docs/balance.md, "On the live system")."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from clearway.api.deps import Ctx, require
from clearway.balance.service import balance_report
from clearway.identity import Permission, User
from clearway.periods import period

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Reader = Annotated[User, Depends(require(Permission.READ_RISK_REPORTS))]
DEFAULT_DAYS = 365  # a report by month: a year of months unless asked otherwise


@router.get("/balance", operation_id="balance_report")
def balance(ctx: Ctx, user: Reader,
            start: Annotated[date | None, Query(alias="from")] = None,
            end: Annotated[date | None, Query(alias="to")] = None) -> dict[str, Any]:
    """The selection's balance for the declarations decided from `from` to `to` (default:
    the last 365 days), in total, by month, by office and by month and office: declarations,
    inspected, irregular found, precision of the selection (inspected only, Wilson 95 %),
    random selections, and the random sample's estimate of non-compliance, overall and among
    the declarations not inspected, with 95 % intervals."""
    return balance_report(ctx, period(ctx.clock.now().date(), start, end, days=DEFAULT_DAYS))
