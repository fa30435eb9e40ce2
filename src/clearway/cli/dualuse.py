"""`clearway dual-use`: load the control list from CSV, list it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table

from clearway import bootstrap
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError

dualuse_app = typer.Typer(help="Dual-use control list.", no_args_is_help=True)
out = Console()


@dualuse_app.command("load")
def load(path: Annotated[Path | None, typer.Argument(
        help="CSV file; default: the illustrative list shipped with Clearway")] = None) -> None:
    """Replace the whole dual-use list with a CSV file (nothing changes on any error)."""
    from clearway.dualuse.service import load_file

    try:
        loaded = load_file(bootstrap.context(), path, CLI_USER)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"{loaded.entries} entries loaded from {loaded.source} "
              f"(replacing {loaded.replaced})")


@dualuse_app.command("list")
def list_(code: Annotated[str | None, typer.Option(
        help="Only entries correlated with this commodity code")] = None) -> None:
    """The control list entries with their correlated codes."""
    from clearway.dualuse.service import list_entries

    table = Table(Column("control number", no_wrap=True), "description", "codes", "valid")
    for e in list_entries(bootstrap.context(), code):
        valid = f"{e.valid_from or ''} .. {e.valid_to or ''}" if e.valid_from or e.valid_to else ""
        table.add_row(e.control_number, e.description, " ".join(e.codes), valid)
    out.print(table)
