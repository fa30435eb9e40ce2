"""`clearway screening`: load restricted-party lists, screen a name."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.progress import phase
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError

screening_app = typer.Typer(help="Restricted-party lists and screening.", no_args_is_help=True)
out = Console()


@screening_app.command("load")
def load(path: Path, list_id: Annotated[str, typer.Option(
             "--list-id", help="Identifier of the list (replaces its previous entries)")],
         fmt: Annotated[str, typer.Option("--format", help="generic (CSV with list_id, "
                        "entry_id, name, aliases, kind, countries, programs) or ofac "
                        "(OFAC SDN sdn.csv)")] = "generic") -> None:
    """Load a restricted-party list from a CSV file, replacing the list's previous version."""
    from clearway.screening.service import load_file

    ctx = bootstrap.context()
    try:
        with phase("screening load", f"loading {path.name}"):
            loaded = load_file(ctx, path, fmt=fmt, list_id=list_id, user=CLI_USER)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"{loaded.list_id}: {loaded.entries} entries loaded")


@screening_app.command("lists")
def lists() -> None:
    """The restricted-party lists loaded, with their entry counts."""
    from clearway.screening.repository import list_counts

    ctx = bootstrap.context()
    table = Table("list", "entries", "loaded at")
    with ctx.uow(read_only=True) as uow:
        for list_id, count, at in list_counts(uow.session):
            table.add_row(list_id, str(count), at.isoformat())
    out.print(table)


@screening_app.command("check")
def check(name: str, country: Annotated[str | None, typer.Option(
              help="Country of the party (ISO 3166 alpha-2)")] = None) -> None:
    """Screen one name against every loaded list and explain each hit."""
    from clearway.screening.service import check as screen

    ctx = bootstrap.context()
    hits = screen(ctx, name, country)
    if not hits:
        out.print("no hit")
        return
    for hit in hits:
        out.print(f"{hit.score:.2f}  {hit.explanation}")
