"""`clearway mirror send|gaps`: monthly export aggregates to a partner, and the gaps between
the partner's exports and our imports (docs/exchange.md, "Mirror analysis")."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError
from clearway.mirror import service

mirror_app = typer.Typer(help="Mirror analysis: monthly aggregates exchanged with partners.",
                         no_args_is_help=True)
out = Console()
Month = Annotated[str | None, typer.Option("--month", help="YYYY-MM (default: last month)")]


@mirror_app.command("send")
def send(partner: Annotated[str, typer.Argument(help="The partner's country code")],
         month: Month = None) -> None:
    """Put this administration's exports to PARTNER for the month in the outbox (no trader
    data: HS6, value, mass, count); `clearway exchange deliver` carries it."""
    try:
        sent = service.send_aggregates(bootstrap.context(), partner, month,
                                       actor=CLI_USER.actor)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"{sent.period} to {sent.partner}: {sent.rows} HS6 rows, "
              f"{sent.value_eur:,.2f} EUR, message {sent.message_id}")


def _number(value: float | int | None, places: int = 2) -> str:
    return "-" if value is None else f"{value:,.{places}f}"


@mirror_app.command("gaps")
def gaps(partner: Annotated[str, typer.Argument(help="The partner's country code")],
         month: Month = None,
         top: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
         order: Annotated[str, typer.Option(help="value or unit_value")] = "value") -> None:
    """The largest gaps between PARTNER's exports to us and our imports from it."""
    try:
        found = service.gap_list(bootstrap.context(), partner, month, order=order, top=top)
    except ClearwayError as exc:
        fail(exc)
    if found.received is None:
        out.print(f"[yellow]{found.partner} sent no aggregates for {found.period}[/yellow]")
    table = Table("#", "HS6", "their value", "our value", "gap EUR", "their EUR/kg",
                  "our EUR/kg", "unit-value ratio", "their n", "our n", "missing",
                  title=f"{found.partner} -> us, {found.period}, by {found.order}")
    for r in found.gaps.iter_rows(named=True):
        table.add_row(str(r["rank"]), r["hs6"], _number(r["their_value_eur"]),
                      _number(r["our_value_eur"]), _number(r["value_gap_eur"]),
                      _number(r["their_unit_value"]), _number(r["our_unit_value"]),
                      _number(r["unit_value_ratio"], 3), _number(r["their_count"], 0),
                      _number(r["our_count"], 0), r["missing"] or "")
    out.print(table)
