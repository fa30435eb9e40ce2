"""`clearway selectivity`: offices' daily control capacity and the selectivity report."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.audit import repository as audit
from clearway.risk import repository
from clearway.risk.decision import Channel
from clearway.risk.report import summarize

selectivity_app = typer.Typer(help="Control capacity per office and day; selectivity report.",
                              no_args_is_help=True)
out = Console()


@selectivity_app.command("budget")
def budget(office: str, channel: Channel, per_day: Annotated[int | None, typer.Argument(
        help="Controls per day; omit to remove the limit")] = None) -> None:
    """Set an office's daily capacity in a channel (yellow, red, blue)."""
    ctx = bootstrap.context()
    with ctx.uow() as uow:
        repository.set_budget(uow.session, office, channel, per_day)
        audit.append(uow.session, at=ctx.clock.now(), actor="cli", action="capacity.set",
                     object_type="office", object_id=office,
                     detail={"channel": str(channel), "per_day": per_day})
        uow.commit()
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
    last = date.fromisoformat(end) if end else ctx.clock.now().date()
    first = date.fromisoformat(start) if start else last - timedelta(days=29)
    with ctx.uow(read_only=True) as uow:
        records = repository.decision_records(
            uow.session, datetime.combine(first, time.min, UTC),
            datetime.combine(last + timedelta(days=1), time.min, UTC))
    typer.echo(json.dumps({"from": first.isoformat(), "to": last.isoformat(),
                           **summarize(records)}, indent=2))
