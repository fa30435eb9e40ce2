"""The KPI page, for all staff: channel shares, hit rate, revenue assessed and release
times per day over a chosen period, drawn as inline SVG charts (`web.charts`) with the same
numbers in a table beneath (the charts are never the only way to read them)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.feedback.kpis import kpis
from clearway.identity import Permission, User
from clearway.periods import period
from clearway.web.charts import Series, bar_chart, line_chart
from clearway.web.integrity import day
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/kpis", route_class=ConsoleRoute, include_in_schema=False)

Reader = Annotated[User, Depends(require(Permission.READ_KPIS))]
MAX_DAYS = 366  # a year of days still draws; longer periods belong to the reports
CHANNEL_COLORS = {"green": "#1d6b2c", "blue": "#1f4f8f", "yellow": "#d6a700", "red": "#c43c3c"}


def charts(figures: dict[str, Any]) -> dict[str, Any]:
    """The page's four charts from the KPI figures."""
    days = figures["days"]
    labels = [d["day"] for d in days]
    shares = [Series(c, [d["channel_shares"][c] for d in days], CHANNEL_COLORS.get(c, "#555"))
              for c in figures["channels"]]
    release = [Series("median", [d["release_minutes_p50"] for d in days], "#1f4f8f"),
               Series("p90", [d["release_minutes_p90"] for d in days], "#c43c3c")]
    return {
        "shares": line_chart("Channel shares per day", labels, shares, fixed_max=1.0),
        "hit_rate": bar_chart("Hit rate per day", labels, [d["hit_rate"] for d in days],
                              color="#c43c3c"),
        "revenue": bar_chart("Revenue assessed per day", labels,
                             [d["revenue_assessed"] for d in days], color="#1d6b2c"),
        "release": line_chart("Release time per day (minutes)", labels, release),
    }


def _figures(ctx: Context, start: str, end: str) -> dict[str, Any]:
    span = period(ctx.clock.now().date(), day(start, "From"), day(end, "To"))
    if span.last < span.first or (span.last - span.first).days >= MAX_DAYS:
        raise ClearwayError(code="CW-REQUEST-INVALID",
                            message=f"The period runs forward and lasts at most {MAX_DAYS} "
                            "days")
    figures = kpis(ctx, span)
    return {"k": figures, "charts": charts(figures), "start": span.first.isoformat(),
            "end": span.last.isoformat(), "active": "kpis"}


@router.get("")
async def kpi_page(request: Request, ctx: Ctx, user: Reader) -> Response:
    start = request.query_params.get("from", "").strip()[:10]
    end = request.query_params.get("to", "").strip()[:10]
    context = await run_in_threadpool(_figures, ctx, start, end)
    return page(request, "kpis/page.html", context)
