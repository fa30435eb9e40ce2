"""`clearway risk`: offices' daily control capacity, the selectivity report, and maintenance of
what the live risk decision reads. The learned model has its own group, `clearway model`
(`cli/model.py`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.progress import phase
from clearway.periods import period
from clearway.risk import repository, service
from clearway.risk.engine.decision import Channel
from clearway.risk.trader_summary import rebuild

risk_app = typer.Typer(help="Risk decisions: control capacity per office and day, selectivity "
                            "report, the traders' records.", no_args_is_help=True)
out = Console()


@risk_app.command("budget")
def budget(office: str, channel: Channel, per_day: Annotated[int | None, typer.Argument(
        help="Controls per day; omit to remove the limit")] = None) -> None:
    """Set an office's daily capacity in a channel (yellow, red, blue)."""
    service.set_capacity_budget(bootstrap.context(), office, channel, per_day, "cli")
    out.print(f"{office} {channel}: {per_day if per_day is not None else 'unlimited'} per day")


@risk_app.command("budgets")
def budgets() -> None:
    """The capacity budgets set, with today's use."""
    ctx = bootstrap.context()
    table = Table("office", "channel", "per day", "used today")
    with ctx.uow(read_only=True) as uow:
        used = {(u.office, u.channel): u.used
                for u in repository.usage(uow.session, ctx.clock.now().date())}
        for b in repository.budgets(uow.session):
            table.add_row(b.office, b.channel, str(b.per_day),
                          str(used.get((b.office, b.channel), 0)))
    out.print(table)


@risk_app.command("selectivity-report")
def selectivity_report(
        start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
        end: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None) -> None:
    """Channel shares, AEO against non-AEO, random selections (JSON)."""
    ctx = bootstrap.context()
    span = period(ctx.clock.now().date(), date.fromisoformat(start) if start else None,
                  date.fromisoformat(end) if end else None)
    typer.echo(json.dumps(service.selectivity_report(ctx, span), indent=2))


@risk_app.command("rebuild-trader-records")
def rebuild_trader_records() -> None:
    """Recount every trader's record (filings, controls, irregular ones) from the stored
    declarations and control outcomes. Run after a bulk import that bypassed the use cases;
    on PostgreSQL, acceptances wait for it to finish."""
    ctx = bootstrap.context()
    with phase("risk rebuild-trader-records", "recounting"), ctx.uow() as uow:
        count = rebuild(uow.session)
        uow.commit()
    typer.echo(f"trader records rebuilt: {count} traders")


@risk_app.command("export-history")
def export_history(folder: Annotated[Path, typer.Argument(
        help="Folder for the Parquet part files", file_okay=False)]) -> None:
    """Write the model's history (every accepted goods declaration's item rows with their
    control outcomes, as of now) to Parquet part files, a batch at a time: what
    `clearway model train-store --history` trains on and analysts read."""
    from clearway.risk.learning.training import export_store

    with phase("risk export-history", "writing part files"):
        rows = export_store(bootstrap.context(), folder)
    typer.echo(f"history exported: {rows} item rows in {folder}")
