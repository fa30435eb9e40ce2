"""`clearway audit`: verify the chain, its checkpoints, its witness and (deep) the stored
records; make a checkpoint; witness the head; print the key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clearway import bootstrap
from clearway.cli.support import fail
from clearway.errors import ClearwayError

audit_app = typer.Typer(help="Audit trail: verify, signed checkpoints, public key.",
                        no_args_is_help=True)
out = Console(soft_wrap=True)  # a reason stays on one line, for grep and logs
err = Console(stderr=True, soft_wrap=True)


# Exit codes of `verify`: also in docs/audit.md.
EXIT_BROKEN, EXIT_UNREADABLE, EXIT_RECORD = 1, 2, 3


@audit_app.command("verify")
def audit_verify(public_key: Annotated[Path | None, typer.Option(
        "--public-key", help="Trust only the Ed25519 public key(s) in this PEM file")] = None,
                 deep: Annotated[bool, typer.Option(
        "--deep", help="Also compare the stored records (declarations, versions, events, "
        "risk decisions, control results, users) with the chain")] = False,
                 witness: Annotated[Path | None, typer.Option(
        "--witness", help="Check against this copy of the witness file (a partner's) "
        "instead of CLEARWAY_AUDIT_WITNESS_FILE")] = None,
                 ) -> None:
    """Exit 0 when the chain, its head, every signed checkpoint and every witness record
    are intact (and with --deep every stored record agrees); 1 naming the first broken
    entry or a missing tail; 3 naming the first record that disagrees (--deep); 2 when a
    key or witness file cannot be read."""
    from clearway.audit.service import verify_report

    try:
        report = verify_report(bootstrap.context(), str(public_key) if public_key else None,
                               witness_file=str(witness) if witness else None, deep=deep)
    except ClearwayError as exc:
        fail(exc)
    for warning in report.warnings:
        err.print(f"[yellow]warning[/yellow]: {warning}")
    broken = report.broken
    if broken is None:
        witnessed = (f", witnessed up to entry {report.witnessed_entry}"
                     if report.witnessed else "")
        records = f", {report.records} stored records agree" if report.deep else ""
        out.print(f"audit chain intact: {report.entries} entries, "
                  f"{report.checkpoints} signed checkpoints{witnessed}{records}")
        return
    if broken.kind == "record":
        err.print(f"[red]stored record disagrees with the audit chain[/red]: {broken.reason}")
        raise typer.Exit(EXIT_RECORD)
    if broken.kind == "tail":
        err.print(f"[red]audit chain tail missing after entry {broken.entry_id - 1}[/red]: "
                  f"{broken.reason}")
    elif broken.kind == "witness" and broken.entry_id == 0:
        err.print(f"[red]audit witness unusable[/red]: {broken.reason}")
    else:
        err.print(f"[red]audit chain broken at entry {broken.entry_id}[/red]: {broken.reason}")
    raise typer.Exit(EXIT_BROKEN)


@audit_app.command("witness")
def audit_witness() -> None:
    """Sign the head if it is not yet and write every checkpoint the witness lacks (file,
    and URL when set). Run it on a timer: a cut tail then shows however short it is."""
    from clearway.audit.service import witness_head

    try:
        latest, written = witness_head(bootstrap.context())
    except ClearwayError as exc:
        fail(exc)
    if latest is None:
        out.print("nothing to witness: the chain is empty")
        return
    out.print(f"witnessed checkpoint {latest.id}: entry {latest.entry_id} hash "
              f"{latest.entry_hash} ({written} record(s) written)")


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
