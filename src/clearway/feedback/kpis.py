"""Figures of the console's KPI page, per day and in total: declarations decided and their
channel shares, controls done, hit rate, revenue assessed, median and p90 release time.

One aggregate query per concern (decisions, control results, release spans); the per-day
grouping runs in Polars, never a Python loop per declaration. Days are UTC days. Release
time is the release-time report's `total` step (lodged -> released, in minutes), with the
same quantile definition (numpy's / Polars' linear interpolation).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from clearway.context import Context
from clearway.feedback import repository as repo
from clearway.periods import Period
from clearway.risk.engine.decision import Channel

CHANNELS = tuple(str(c) for c in Channel)


def kpis(ctx: Context, span: Period) -> dict[str, Any]:
    with ctx.uow(read_only=True) as uow:
        decided = repo.decisions_per_day(uow.session, span.first, span.last)
        results = repo.results_between(uow.session, span.start, span.end)
        spans = repo.release_spans(uow.session, span.start, span.end)
    results = results.with_columns(pl.col("at").dt.date().alias("day"))
    spans = spans.with_columns(
        pl.col("released").dt.date().alias("day"),
        ((pl.col("released") - pl.col("lodged")).dt.total_seconds() / 60).alias("minutes"))
    days = pl.date_range(span.first, span.last, "1d", eager=True).alias("day").to_frame()
    per_day = (days.join(_decisions(decided, ["day"]), on="day", how="left")
               .join(_controls(results, ["day"]), on="day", how="left")
               .join(_release(spans, ["day"]), on="day", how="left"))
    total = pl.concat([_decisions(decided, []), _controls(results, []), _release(spans, [])],
                      how="horizontal")
    return {**span.as_dict(), "channels": list(CHANNELS),
            "days": [_row(r) for r in per_day.iter_rows(named=True)],
            "totals": _row(total.row(0, named=True))}


def _decisions(decided: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    counts = [pl.col("declarations").filter(pl.col("channel") == c).sum().alias(c)
              for c in CHANNELS]
    return _agg(decided, by, [pl.col("declarations").sum(), *counts])


def _controls(results: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    return _agg(results, by, [pl.len().alias("controls"), pl.col("irregular").sum(),
                              pl.col("revenue").sum().alias("revenue_assessed")])


def _release(spans: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    return _agg(spans, by, [pl.len().alias("released"),
                            pl.col("minutes").median().alias("release_minutes_p50"),
                            pl.col("minutes").quantile(0.9, "linear")
                            .alias("release_minutes_p90")])


def _agg(frame: pl.DataFrame, by: list[str], exprs: list[pl.Expr]) -> pl.DataFrame:
    return frame.group_by(by).agg(exprs) if by else frame.select(exprs)


def _row(r: dict[str, Any]) -> dict[str, Any]:
    """A day's (or the totals') figures; shares and rates computed from the counts."""
    n, controls = r.get("declarations") or 0, r.get("controls") or 0
    irregular = r.get("irregular") or 0
    out: dict[str, Any] = {"day": r["day"].isoformat()} if "day" in r else {}

    def minutes(key: str) -> float | None:
        return None if r.get(key) is None else round(r[key], 1)

    return {**out, "declarations": n,
            "channel_shares": {c: None if not n else round((r.get(c) or 0) / n, 4)
                               for c in CHANNELS},
            "channel_counts": {c: r.get(c) or 0 for c in CHANNELS},
            "controls": controls, "irregular": irregular,
            "hit_rate": None if not controls else round(irregular / controls, 4),
            "revenue_assessed": round(r.get("revenue_assessed") or 0.0, 2),
            "released": r.get("released") or 0,
            "release_minutes_p50": minutes("release_minutes_p50"),
            "release_minutes_p90": minutes("release_minutes_p90")}
