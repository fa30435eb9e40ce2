"""`clearway selectivity`: offices' daily control capacity and the selectivity report."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.periods import period
from clearway.risk import repository, service
from clearway.risk.engine.decision import Channel

selectivity_app = typer.Typer(help="Control capacity per office and day; selectivity report.",
                              no_args_is_help=True)
out = Console()


@selectivity_app.command("budget")
def budget(office: str, channel: Channel, per_day: Annotated[int | None, typer.Argument(
        help="Controls per day; omit to remove the limit")] = None) -> None:
    """Set an office's daily capacity in a channel (yellow, red, blue)."""
    service.set_capacity_budget(bootstrap.context(), office, channel, per_day, "cli")
    out.print(f"{office} {channel}: {per_day if per_day is not None else 'unlimited'} per day")


@selectivity_app.command("budgets")
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


@selectivity_app.command("report")
def report(start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
           end: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None) -> None:
    """Channel shares, AEO against non-AEO, random selections (JSON)."""
    ctx = bootstrap.context()
    span = period(ctx.clock.now().date(), date.fromisoformat(start) if start else None,
                  date.fromisoformat(end) if end else None)
    typer.echo(json.dumps(service.selectivity_report(ctx, span), indent=2))
