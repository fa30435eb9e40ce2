"""`clearway arrivals sweep`: the pre-arrival flow's scheduled work (docs/exchange.md,
"Pre-arrival"): run it every few minutes from cron or a timer. `clearway arrivals
tolerances`: how far arrivals may differ from announcements (audited as administrator:cli)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.progress import Phases
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError
from clearway.prearrival import exits, service

arrivals_app = typer.Typer(help="Pre-arrival exchange with partner administrations.",
                           no_args_is_help=True)
tolerances_app = typer.Typer(help="How far arrivals may differ, per HS chapter.",
                             no_args_is_help=True)
arrivals_app.add_typer(tolerances_app, name="tolerances")
out = Console()


@arrivals_app.command("sweep")
def sweep() -> None:
    """Raise the alarms whose deadline passed: our exports the partner never confirmed
    (exit-unconfirmed), and arrivals partners announced that never came (no-arrival)."""
    ctx = bootstrap.context()
    try:
        with Phases("arrivals sweep") as progress:
            progress("exports never confirmed")
            unconfirmed = exits.sweep_unconfirmed(ctx)
            progress("announced arrivals overdue")
            overdue = service.sweep_overdue(ctx)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"exports never confirmed: {unconfirmed}")
    out.print(f"announced arrivals overdue: {overdue}")


@tolerances_app.command("set")
def set_tolerance(
        chapter: Annotated[str, typer.Argument(help="HS chapter (two digits), or * for all")],
        mass_pct: Annotated[str, typer.Option(help="Gross mass: percent of the announced")],
        packages: Annotated[int, typer.Option(help="Packages: how many more or fewer")],
        value_pct: Annotated[str, typer.Option(help="Value in EUR: percent of the announced")],
) -> None:
    """Set how far arrivals of an HS chapter may differ from the announcement (audited)."""
    try:
        found = service.set_tolerance(bootstrap.context(), chapter, mass_pct=mass_pct,
                                      packages=packages, value_pct=value_pct, user=CLI_USER)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"chapter {found.hs_chapter}: mass {found.mass_pct} %, packages "
              f"{found.packages_abs}, value {found.value_pct} %")


@tolerances_app.command("list")
def list_tolerances() -> None:
    """The tolerances set (a chapter without one uses *, else mass 5 %, packages 0,
    value 10 %)."""
    table = Table("chapter", "mass %", "packages", "value %")
    for t in service.tolerances(bootstrap.context()):
        table.add_row(t.hs_chapter, str(t.mass_pct), str(t.packages_abs), str(t.value_pct))
    out.print(table)
