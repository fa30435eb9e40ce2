"""`clearway exchange`, `clearway partners`, `clearway agreements`: connecting this
administration with its partners (docs/exchange.md). Changes from the command line are
audited as administrator:cli."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.support import fail
from clearway.errors import ClearwayError
from clearway.exchange import service, signing
from clearway.exchange.delivery import run_delivery

exchange_app = typer.Typer(help="Signed messages with partner administrations.",
                           no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@exchange_app.command("public-key")
def public_key() -> None:
    """Print this administration's public signing key (PEM), for partners to register."""
    settings = bootstrap.context().settings
    try:
        print(signing.public_pem(signing.exchange_key(settings)), end="")
    except ClearwayError as exc:
        fail(exc)


@exchange_app.command("deliver")
def deliver(once: Annotated[bool, typer.Option("--once", help="One round, then stop")] = False,
            interval: Annotated[float, typer.Option(help="Seconds between idle rounds")] = 2.0
            ) -> None:
    """Deliver the outbox to partners' inboxes (once, or until interrupted); only to public
    addresses and those in CLEARWAY_WEBHOOK_ALLOWED_NETWORKS / _HOSTS."""
    try:
        run_delivery(bootstrap.context(), once=once, interval=interval, say=out.print)
    except ValueError as exc:  # a malformed allow-list: nothing was sent
        err.print(f"[red]error[/red]: {exc}")
        raise typer.Exit(2) from None


@exchange_app.command("status")
def status() -> None:
    """Messages in the outbox per status, and the latest ones waiting."""
    ctx = bootstrap.context()
    counts = service.outbox_counts(ctx)
    out.print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "outbox empty")
    table = Table("message", "to", "type", "attempts", "next attempt", "last error")
    for row in service.list_outbox(ctx, status="pending", limit=20):
        table.add_row(row["message_id"], row["to_party"], row["action"], str(row["attempts"]),
                      str(row["next_attempt_at"]), row["last_error"] or "")
    out.print(table)
