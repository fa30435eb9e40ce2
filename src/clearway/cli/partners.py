"""`clearway partners`: the register of partner administrations (audited as
administrator:cli)."""

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

partners_app = typer.Typer(help="Partner administrations.", no_args_is_help=True)
out = Console()


@partners_app.command("add")
def add(code: Annotated[str, typer.Argument(help="The partner's country code (MK)")],
        name: Annotated[str, typer.Option(help="The administration's name")],
        url: Annotated[str, typer.Option(help="Its inbox: https://…/api/v1/exchange/inbox")],
        public_key: Annotated[Path, typer.Option(
            "--public-key", help="Its public key, as `clearway exchange public-key` printed it")],
        suspended: Annotated[bool, typer.Option(
            help="Register it suspended (its messages refused)")] = False) -> None:
    """Register a partner, or replace its name, URL, key or status."""
    try:
        pem = public_key.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        fail(ClearwayError(code="CW-EXCH-PARTNER", message=f"Cannot read {public_key}: {exc}"))
    try:
        partner = service.add_partner(bootstrap.context(), code, name, url, pem, CLI_USER.actor,
                                      status="suspended" if suspended else "active")
    except ClearwayError as exc:
        fail(exc)
    out.print(f"partner {partner.code} ({partner.name}) {partner.status} at {partner.inbox_url}")


@partners_app.command("list")
def list_partners() -> None:
    """The partner register."""
    table = Table("code", "name", "status", "inbox")
    for partner in service.list_partners(bootstrap.context()):
        table.add_row(partner.code, partner.name, partner.status, partner.inbox_url)
    out.print(table)
