"""Use cases of the feedback room (read only): trader compliance records, profile
effectiveness, the non-compliance estimate from random selections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import polars as pl

from clearway.context import Context
from clearway.errors import NotFound
from clearway.feedback import repository as repo
from clearway.feedback.model import ComplianceRecord, estimate, rate, wilson
from clearway.identity import Permission, User
from clearway.periods import Period


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def trader_record(ctx: Context, trader_id: str, user: User | None) -> dict[str, Any]:
    """A trader's compliance record. Staff with READ_RISK_REPORTS read any trader's; a
    trader reads only its own (another id answers 404, as if it did not exist). `user` None:
    the command line, run by an operator."""
    own = user is not None and user.is_trader and user.trader_id == trader_id
    if user is not None and not own and not (not user.is_trader
                                             and user.may(Permission.READ_RISK_REPORTS)):
        raise NotFound("Trader", trader_id)
    with ctx.uow(read_only=True) as uow:
        found = repo.trader_figures(uow.session, trader_id)
    if found.declarations == 0 and not own:
        raise NotFound("Trader", trader_id)
    record = ComplianceRecord(found.declarations, found.controls, found.irregular,
                              found.revenue)
    ci = record.compliance_ci
    return {"trader_id": trader_id, "declarations": found.declarations,
            "first_seen": _iso(found.first_seen), "controls": found.controls,
            "irregular": found.irregular, "revenue_assessed": round(found.revenue, 2),
            "last_irregularity": None if found.last_irregular_at is None else {
                "at": _iso(found.last_irregular_at), "types": found.last_irregularities},
            "compliance_rate": record.compliance_rate,
            "compliance_ci": ci and ci.as_dict()}


def profile_effectiveness(ctx: Context) -> list[dict[str, Any]]:
    """Per profile code: controls, hits, hit rate (Wilson 95 % CI), revenue, revenue per
    control, last control and last hit; best hit rate first."""
    with ctx.uow(read_only=True) as uow:
        rows = repo.profile_rows(uow.session)
    out = []
    for r in rows:
        revenue = float(r.revenue or 0)
        ci = wilson(r.hits, r.controls)
        out.append({"code": r.code, "controls": r.controls, "hits": r.hits,
                    "hit_rate": rate(r.hits, r.controls), "hit_rate_ci": ci and ci.as_dict(),
                    "revenue": round(revenue, 2),
                    "revenue_per_control": None if not r.controls
                    else round(revenue / r.controls, 2),
                    "last_control_at": _iso(r.last_control_at),
                    "last_hit_at": _iso(r.last_hit_at)})
    return sorted(out, key=lambda p: (-(p["hit_rate"] or 0.0), p["code"]))


def compliance_estimate(ctx: Context, span: Period) -> dict[str, Any]:
    """Estimated non-compliance rate and revenue gap of the declarations decided in the
    period, from the randomly selected ones that were controlled: in total, per month, per
    office, and per month and office (see feedback.model for the formulas)."""
    with ctx.uow(read_only=True) as uow:
        sample = repo.random_controls(uow.session, span.first, span.last)
        population = repo.decisions_per_day(uow.session, span.first, span.last)
    month = pl.col("day").dt.strftime("%Y-%m").alias("period")
    sample = sample.with_columns(month, pl.col("office").fill_null(""))
    population = population.with_columns(month, pl.col("office").fill_null(""))
    return {**span.as_dict(), "method": "wilson 95% (rate); normal approximation of the mean "
                                        "95% (revenue)",
            "total": _groups(sample, population, [])[0],
            "by_period": _groups(sample, population, ["period"]),
            "by_office": _groups(sample, population, ["office"]),
            "by_period_office": _groups(sample, population, ["period", "office"])}


def _groups(sample: pl.DataFrame, population: pl.DataFrame,
            by: list[str]) -> list[dict[str, Any]]:
    """One estimate per group of `by` (no columns: one for everything)."""
    names = by or ["_all"]
    if not by:
        sample, population = (f.with_columns(pl.lit(0).alias("_all"))
                              for f in (sample, population))
    counts = population.group_by(names).agg(pl.col("declarations").sum())
    found = sample.group_by(names).agg(pl.col("irregular").sum(), pl.col("revenue"))
    joined = counts.join(found, on=names, how="full", coalesce=True).sort(names)
    out = []
    for row in joined.iter_rows(named=True):  # one row per group, not per declaration
        revenues = row["revenue"] or []
        group = {k: row[k] for k in by}
        out.append({**group, **estimate(int(row["irregular"] or 0), revenues,
                                        int(row["declarations"] or 0)).as_dict()})
    return out or [estimate(0, [], 0).as_dict()]
