"""`clearway feedback`: trader records, profile effectiveness, the non-compliance estimate
and KPI figures, as JSON or tables."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.support import fail
from clearway.errors import ClearwayError
from clearway.feedback.kpis import kpis
from clearway.feedback.service import compliance_estimate, profile_effectiveness, trader_record
from clearway.periods import Period, period

feedback_app = typer.Typer(help="What controls found: trader records, profile "
                           "effectiveness, non-compliance estimate, KPIs.",
                           no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON")]
FromOpt = Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")]
ToOpt = Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")]
out = Console()


def _span(today: date, start: str | None, end: str | None) -> Period:
    try:
        first = date.fromisoformat(start) if start else None
        last = date.fromisoformat(end) if end else None
        return period(today, first, last)
    except ValueError as exc:
        fail(ClearwayError(code="CW-REQUEST-INVALID", message=str(exc)))
    except ClearwayError as exc:
        fail(exc)


def _echo(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2))


@feedback_app.command("trader")
def trader(trader_id: str, as_json: JsonOpt = False) -> None:
    """A trader's compliance record."""
    ctx = bootstrap.context()
    try:
        record = trader_record(ctx, trader_id, None)
    except ClearwayError as exc:
        fail(exc)
    if as_json:
        return _echo(record)
    ci = record["compliance_ci"]
    last = record["last_irregularity"]
    for key, value in (
            ("declarations", record["declarations"]), ("controls", record["controls"]),
            ("irregular", record["irregular"]), ("revenue assessed",
                                                 record["revenue_assessed"]),
            ("compliance rate", "-" if record["compliance_rate"] is None
             else f"{record['compliance_rate']:.1%}" + (
                 f" (95% CI {ci['low']:.1%}-{ci['high']:.1%})" if ci else "")),
            ("last irregularity", "-" if last is None
             else f"{last['at']} {', '.join(last['types'])}")):
        out.print(f"{key:>18}: {value}")
    return None


@feedback_app.command("profiles")
def profiles(as_json: JsonOpt = False) -> None:
    """Effectiveness of every risk profile that has had a control."""
    rows = profile_effectiveness(bootstrap.context())
    if as_json:
        return _echo(rows)
    table = Table("code", "controls", "hits", "hit rate", "revenue/control", "last hit")
    for r in rows:
        table.add_row(r["code"], str(r["controls"]), str(r["hits"]),
                      "-" if r["hit_rate"] is None else f"{r['hit_rate']:.1%}",
                      "-" if r["revenue_per_control"] is None
                      else f"{r['revenue_per_control']:.2f}", r["last_hit_at"] or "-")
    out.print(table)
    return None


@feedback_app.command("estimate")
def estimate(start: FromOpt = None, end: ToOpt = None) -> None:
    """Non-compliance rate and revenue gap from random selections (JSON)."""
    ctx = bootstrap.context()
    _echo(compliance_estimate(ctx, _span(ctx.clock.now().date(), start, end)))


@feedback_app.command("kpis")
def kpi(start: FromOpt = None, end: ToOpt = None) -> None:
    """The KPI page's figures per day and in total (JSON)."""
    ctx = bootstrap.context()
    _echo(kpis(ctx, _span(ctx.clock.now().date(), start, end)))
