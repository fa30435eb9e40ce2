"""`clearway ipr`: import applications for action from YAML, list them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table

from clearway import bootstrap
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError

ipr_app = typer.Typer(help="IPR applications for action.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@ipr_app.command("import")
def import_(path: Path) -> None:
    """Create or update applications from a YAML file (by reference; nothing on any error)."""
    from clearway.ipr.service import import_file

    try:
        done = import_file(bootstrap.context(), path, CLI_USER)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"created {len(done.created)}, updated {len(done.updated)}, withdrawn "
              f"{len(done.withdrawn)}, unchanged {len(done.unchanged)}")


@ipr_app.command("list")
def list_(status: Annotated[str | None, typer.Option(help="active or withdrawn")] = None,
          on: Annotated[str | None, typer.Option(help="Valid on this date (YYYY-MM-DD)")] = None
          ) -> None:
    """The applications, with their period, brands and keywords."""
    from clearway.ipr.service import list_records

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        err.print(f"--on {on!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from None
    table = Table(Column("reference", no_wrap=True), "right holder", "status", "valid",
                  "terms", "HS")
    for record in list_records(bootstrap.context(), status=status, on=day):
        a = record.application
        table.add_row(a.reference, a.right_holder, a.status,
                      f"{a.valid_from} .. {a.valid_to}", ", ".join([*a.brands, *a.keywords]),
                      " ".join(a.hs_codes) or "all")
    out.print(table)
