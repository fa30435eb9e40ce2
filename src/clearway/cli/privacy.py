"""`clearway privacy`: pseudonym keys shared per agreement (a new key entry for both sides'
keys file; a check of the file that never prints a secret) and the retention sweep (run it
daily from the scheduler)."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.progress import phase
from clearway.cli.support import fail
from clearway.config import get_settings
from clearway.errors import ClearwayError
from clearway.privacy import pseudonyms, service

privacy_app = typer.Typer(help="Data protection of exchanged personal data.",
                          no_args_is_help=True)
keys_app = typer.Typer(help="Pseudonym keys shared per agreement.", no_args_is_help=True)
privacy_app.add_typer(keys_app, name="keys")
out = Console()


@keys_app.command("new")
def new_key(agreement: Annotated[str, typer.Option(help="The agreement id")],
            key_id: Annotated[str, typer.Option("--id", help="The new key's id")],
            valid_from: Annotated[datetime, typer.Option(
                "--from", formats=["%Y-%m-%d"], help="First day of use (YYYY-MM-DD)")]) -> None:
    """Print a new key (32 random bytes) as a keys-file entry: add it to BOTH sides' keys
    file, and end the old key's validity (valid_to) after the overlap."""
    try:
        typer.echo(pseudonyms.new_key_entry(agreement, key_id, valid_from.date(),
                                            secrets.token_bytes(32)), nl=False)
    except ClearwayError as exc:
        fail(exc)


@keys_app.command("check")
def check_keys() -> None:
    """Read the keys file of CLEARWAY_PSEUDONYM_KEYS_FILE and list its keys (never the
    secret): agreement, id, validity and whether each is in use today."""
    path = get_settings().pseudonym_keys_file
    if path is None:
        out.print("No pseudonym keys file is set: no natural person is sent in any form.")
        return
    try:
        ring = pseudonyms.load(path)
    except ClearwayError as exc:
        fail(exc)
    today = date.today()
    table = Table("agreement", "id", "valid from", "valid to", "today")
    for agreement, keys in sorted(ring.keys.items()):
        current = ring.current(agreement, today)
        for key in keys:
            state = ("current" if key == current else "valid (overlap)"
                     if key.valid_on(today) else "not valid")
            table.add_row(agreement, key.id, str(key.valid_from), str(key.valid_to or "open"),
                          state)
    out.print(table)


@privacy_app.command("sweep")
def sweep() -> None:
    """Erase received data past its agreement's retention period (audited, counted)."""
    with phase("privacy sweep", "received data past retention"):
        counts = service.sweep_retention(bootstrap.context())
    for agreement, count in sorted(counts.items()):
        out.print(f"agreement {agreement}: {count} received message(s) erased")
    if not counts:
        out.print("no agreement loaded: nothing to sweep")
