"""`clearway audit`: verify the chain and its checkpoints, make a checkpoint, print the key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clearway import bootstrap
from clearway.cli_support import fail
from clearway.errors import ClearwayError

audit_app = typer.Typer(help="Audit trail: verify, signed checkpoints, public key.",
                        no_args_is_help=True)
out = Console()
err = Console(stderr=True)


@audit_app.command("verify")
def audit_verify(public_key: Annotated[Path | None, typer.Option(
        "--public-key", help="Trust only the Ed25519 public key(s) in this PEM file")] = None
                 ) -> None:
    """Exit 0 when the chain, its head and every signed checkpoint are intact; exit 1
    naming the first broken entry (2 for an unreadable key file)."""
    from clearway.audit.service import verify_report

    try:
        report = verify_report(bootstrap.context(), str(public_key) if public_key else None)
    except ClearwayError as exc:
        fail(exc)
    if report.broken is None:
        out.print(f"audit chain intact: {report.entries} entries, "
                  f"{report.checkpoints} signed checkpoints")
        return
    broken = report.broken
    err.print(f"[red]audit chain broken at entry {broken.entry_id}[/red]: {broken.reason}")
    raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign the chain's current head now (automatic ones come every
    CLEARWAY_AUDIT_CHECKPOINT_EVERY entries)."""
    from clearway.audit.service import checkpoint

    try:
        made = checkpoint(bootstrap.context())
    except ClearwayError as exc:
        fail(exc)
    if made is None:
        out.print("nothing to checkpoint: the chain is empty or its head is signed already")
        return
    out.print(f"checkpoint {made.id}: entry {made.entry_id} hash {made.entry_hash} "
              f"key {made.key_id}")


@audit_app.command("public-key")
def audit_public_key() -> None:
    """Print the checkpoint signing key's public half (PEM), for outside auditors."""
    from clearway.audit.repository import signer_of
    from clearway.audit.signing import public_pem
    from clearway.config import get_settings

    try:
        key = signer_of(get_settings())
    except ClearwayError as exc:
        fail(exc)
    typer.echo(public_pem(key.public), nl=False)
    err.print(f"key id {key.key_id}")
