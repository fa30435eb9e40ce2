"""The balance page, for those who read risk reports (analysts): the live selection by month
and office (declarations, inspected, irregular found, precision of the selection) beside the
random sample's estimate of non-compliance, overall and among what was not inspected, with
95 % intervals (`balance.live`). One chart per month, the same numbers in the tables."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from clearway.api.deps import Ctx, require
from clearway.balance.service import balance_report
from clearway.context import Context
from clearway.identity import Permission, User
from clearway.periods import period
from clearway.web.charts import Series, line_chart, percent
from clearway.web.integrity import day
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/balance", route_class=ConsoleRoute,
                   include_in_schema=False)
Reader = Annotated[User, Depends(require(Permission.READ_RISK_REPORTS))]
DEFAULT_DAYS = 365


def chart(months: list[dict[str, Any]]) -> Any:
    """Per month: the selection's precision, the estimated non-compliance and its interval."""
    labels = [m["month"] for m in months]
    return line_chart("Precision of the selection and estimated non-compliance per month",
                      labels, [
                          Series("precision", [m["precision"] for m in months], "#1f4f8f"),
                          Series("estimate", [m["estimate"]["rate"] for m in months],
                                 "#c43c3c"),
                          Series("95% low", [m["estimate"]["low"] for m in months], "#d6a700"),
                          Series("95% high", [m["estimate"]["high"] for m in months],
                                 "#d6a700")],
                      fixed_max=1.0, fmt=percent)


def _figures(ctx: Context, start: str, end: str) -> dict[str, Any]:
    span = period(ctx.clock.now().date(), day(start, "From"), day(end, "To"),
                  days=DEFAULT_DAYS)
    report = balance_report(ctx, span)
    return {"b": report, "chart": chart(report["by_month"]), "start": span.first.isoformat(),
            "end": span.last.isoformat(), "active": "balance"}


@router.get("")
async def balance_page(request: Request, ctx: Ctx, user: Reader) -> Response:
    start = request.query_params.get("from", "").strip()[:10]
    end = request.query_params.get("to", "").strip()[:10]
    context = await run_in_threadpool(_figures, ctx, start, end)
    return page(request, "balance/page.html", context)
