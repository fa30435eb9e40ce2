"""`clearway licences`: an administrator imports licences from a CSV file for any agency, and
lists the register with what is left of each line (docs/licences.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError
from clearway.licences import service
from clearway.licences.importing import import_text
from clearway.licences.model import LicenceLine
from clearway.licences.schemas import tidy

licences_app = typer.Typer(help="Licence register: import, list.", no_args_is_help=True)
out = Console()


@licences_app.command("import")
def import_(path: Annotated[Path, typer.Argument(help="CSV file, one row per licence line")]
            ) -> None:
    """Import licences for any agency (the whole file or nothing; existing ones are kept)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(ClearwayError(code="CW-DOC-INVALID", message=f"{path}: cannot be read ({exc})"))
    try:
        done = import_text(bootstrap.context(), text, CLI_USER.actor)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"{len(done.created)} licences imported, {len(done.existing)} already in the "
              "register" + (f": {', '.join(done.existing)}" if done.existing else ""))


def _left(line: LicenceLine) -> str:
    parts = [f"{tidy(line.remaining_quantity)} of {tidy(line.quantity)} {line.unit}"
             if line.quantity is not None else "",
             f"{tidy(line.remaining_value)} of {tidy(line.value)} {line.currency}"
             if line.value is not None else ""]
    return "; ".join(p for p in parts if p)


@licences_app.command("list")
def list_(holder: Annotated[str | None, typer.Option(help="Holder's EORI")] = None,
          agency: Annotated[str | None, typer.Option(help="Issuing agency's code")] = None,
          code: Annotated[str | None, typer.Option(help="Document code, e.g. X002")] = None
          ) -> None:
    """Licences with each line's goods and what is left of it."""
    table = Table("licence", "holder", "agency", "status", "valid", "line", "goods", "left")
    for lic in service.listing(bootstrap.context(), CLI_USER, holder=holder, agency=agency,
                               code=code):
        for n, line in enumerate(lic.lines):
            head = (f"{lic.type} {lic.number}", lic.holder, lic.agency, lic.status,
                    f"{lic.valid_from} .. {lic.valid_to}") if n == 0 else ("",) * 5
            table.add_row(*head, str(line.line), f"{line.hs_prefix} {line.description}",
                          _left(line))
    out.print(table)
