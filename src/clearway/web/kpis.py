"""The KPI page, for all staff: channel shares, hit rate, revenue assessed and release
times per day over a chosen period, drawn as inline SVG charts (`web.charts`) with the same
numbers in a table beneath (the charts are never the only way to read them). Those who may
read risk profiles also see each profile's hit rate to date."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.feedback import service as feedback
from clearway.feedback.kpis import kpis
from clearway.identity import Permission, User
from clearway.periods import period
from clearway.web.charts import (
    Series,
    axis_number,
    bar_chart,
    duration,
    hbar_chart,
    line_chart,
    percent,
)
from clearway.web.integrity import day
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/kpis", route_class=ConsoleRoute, include_in_schema=False)

Reader = Annotated[User, Depends(require(Permission.READ_KPIS))]
MAX_DAYS = 366  # a year of days still draws; longer periods belong to the reports
CHANNEL_COLORS = {"green": "#1d6b2c", "blue": "#1f4f8f", "yellow": "#d6a700", "red": "#c43c3c"}
# Revenue is assessed and summed in euro, like every amount the risk engine weighs (no
# national currency is configured: docs/risk-engine.md, "Expected value").
CURRENCY = "EUR"
HOURS_FROM = 120  # release times above two hours are drawn in hours


def money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f} {CURRENCY}"


def minutes(value: float | None) -> str:
    return "—" if value is None else duration(value)


def release_chart(labels: list[str], p50: list[float | None],
                  p90: list[float | None]) -> Any:
    """Median and p90 release time; the axis in hours and minutes, on round hours once the
    times run past two hours."""
    found = [v for v in (*p50, *p90) if v is not None]
    per = 60.0 if found and max(found) > HOURS_FROM else 1.0

    def scaled(values: list[float | None]) -> list[float | None]:
        return [None if v is None else v / per for v in values]

    return line_chart("Release time per day (hours and minutes)", labels,
                      [Series("median", scaled(p50), "#1f4f8f"),
                       Series("p90", scaled(p90), "#c43c3c")],
                      fmt=lambda v: duration(v * per))


def profile_chart(rows: list[dict[str, Any]]) -> Any:
    """Hit rate per risk profile, all control results to date, best first."""
    shown = [r for r in rows if r["controls"]]
    return hbar_chart("Hit rate per profile", [r["code"] for r in shown],
                      [r["hit_rate"] for r in shown], fixed_max=1.0, fmt=percent,
                      tip=lambda v: f"{v * 100:.1f}%")


def charts(figures: dict[str, Any]) -> dict[str, Any]:
    """The page's four charts from the KPI figures."""
    days = figures["days"]
    labels = [d["day"] for d in days]
    shares = [Series(c, [d["channel_shares"][c] for d in days], CHANNEL_COLORS.get(c, "#555"))
              for c in figures["channels"]]
    return {
        "shares": line_chart("Channel shares per day", labels, shares, fixed_max=1.0,
                             fmt=percent),
        "hit_rate": bar_chart("Hit rate per day", labels, [d["hit_rate"] for d in days],
                              color="#c43c3c", fmt=percent, tip=lambda v: f"{v * 100:.1f}%"),
        "revenue": bar_chart(f"Revenue assessed per day ({CURRENCY})", labels,
                             [d["revenue_assessed"] for d in days], color="#1d6b2c",
                             fmt=axis_number, tip=money),
        "release": release_chart(labels, [d["release_minutes_p50"] for d in days],
                                 [d["release_minutes_p90"] for d in days]),
    }


def _figures(ctx: Context, start: str, end: str, profiles: bool) -> dict[str, Any]:
    span = period(ctx.clock.now().date(), day(start, "From"), day(end, "To"))
    if span.last < span.first or (span.last - span.first).days >= MAX_DAYS:
        raise ClearwayError(code="CW-REQUEST-INVALID",
                            message=f"The period runs forward and lasts at most {MAX_DAYS} "
                            "days")
    figures = kpis(ctx, span)
    drawn = charts(figures)
    if profiles:
        drawn["profiles"] = profile_chart(feedback.profile_effectiveness(ctx))
    return {"k": figures, "charts": drawn, "start": span.first.isoformat(),
            "end": span.last.isoformat(), "currency": CURRENCY, "money": money,
            "minutes": minutes, "active": "kpis"}


@router.get("")
async def kpi_page(request: Request, ctx: Ctx, user: Reader) -> Response:
    start = request.query_params.get("from", "").strip()[:10]
    end = request.query_params.get("to", "").strip()[:10]
    context = await run_in_threadpool(_figures, ctx, start, end,
                                      user.may(Permission.READ_PROFILES))
    return page(request, "kpis/page.html", context)
