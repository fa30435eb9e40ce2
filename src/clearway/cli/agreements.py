"""`clearway agreements`: agreements with partner administrations, loaded from YAML
(audited as administrator:cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError
from clearway.exchange import service

agreements_app = typer.Typer(help="Agreements with partner administrations.",
                             no_args_is_help=True)
out = Console()


@agreements_app.command("import")
def import_file(file: Annotated[Path, typer.Argument(help="A YAML file of agreements")]) -> None:
    """Load every agreement of the file, all or none; one that exists is replaced."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(ClearwayError(code="CW-DOC-MISSING", message=f"Cannot read {file}: {exc}"))
    try:
        loaded = service.import_agreements(bootstrap.context(), data, CLI_USER.actor)
    except ClearwayError as exc:
        fail(exc)
    for agreement in loaded:
        out.print(f"agreement {agreement.id} between {', '.join(sorted(agreement.parties))} "
                  f"loaded")


@agreements_app.command("list")
def list_agreements() -> None:
    """The agreements loaded."""
    table = Table("id", "parties", "valid", "message types", "purposes")
    for a in service.list_agreements(bootstrap.context()):
        table.add_row(a.id, ", ".join(sorted(a.parties)),
                      f"{a.valid_from} to {a.valid_to or 'open'}",
                      ", ".join(sorted(a.message_types)), ", ".join(sorted(a.purposes)))
    out.print(table)
