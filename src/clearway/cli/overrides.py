"""`clearway overrides`: list four-eyes requests, approve or reject them from the command line.

Approving and rejecting act as a named supervisor (`--as NAME`), never as the anonymous
command-line user: four eyes need two known persons, and both are recorded.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.clearance import overrides as clearance
from clearway.cli.support import fail
from clearway.context import Context
from clearway.errors import ClearwayError, Forbidden, NotFound
from clearway.identity import Permission, Role, User
from clearway.overrides import repository as repo
from clearway.overrides import service
from clearway.overrides.model import Status

overrides_app = typer.Typer(help="Four-eyes requests: channel changes, waivers, "
                            "cancellations after selection.", no_args_is_help=True)
out = Console()
AsUser = Annotated[str, typer.Option("--as", help="The approving supervisor's user name")]


def _acting(ctx: Context, name: str) -> User:
    with ctx.uow(read_only=True) as uow:
        row = repo.find_user(uow.session, name)
    if row is None or row.revoked_at is not None:
        raise NotFound("User", name)
    user = User(id=row.id, name=row.name, role=Role(row.role), trader_id=row.trader_id)
    if not user.may(Permission.APPROVE_OVERRIDE):
        raise Forbidden(f"Role {user.role.value} may not {Permission.APPROVE_OVERRIDE.value}")
    return user


@overrides_app.command("list")
def list_overrides(status: Annotated[Status | None, typer.Option(
        help="pending, approved or rejected")] = Status.PENDING,
                   limit: Annotated[int, typer.Option(min=1, max=500)] = 50) -> None:
    """Requests, newest first (default: those waiting for approval)."""
    ctx = bootstrap.context()
    with ctx.uow(read_only=True) as uow:
        rows, total = repo.listed(uow.session, repo.OverrideFilter(status=status), limit=limit)
    table = Table("id", "kind", "change", "status", "asked by", "decided by", "sampled",
                  title=f"{total} request(s)")
    table.add_column("declaration", no_wrap=True)
    for r in rows:
        change = f"{r.row.from_channel or ''} → {r.row.to_channel or r.row.kind}"
        table.add_row(str(r.row.id), r.row.kind, change, r.row.status, r.requested_by,
                      r.decided_by or "", "yes" if r.row.audit_sampled else "", r.reference)
    out.print(table)


@overrides_app.command("approve")
def approve(override_id: int, as_user: AsUser,
            note: Annotated[str | None, typer.Option(help="Optional note")] = None) -> None:
    """Approve a request and apply it (never one you asked for yourself)."""
    ctx = bootstrap.context()
    try:
        done = clearance.approve(ctx, override_id, note, _acting(ctx, as_user))
    except ClearwayError as exc:
        fail(exc)
    sampled = " (sampled for post-clearance audit)" if done.audit_sampled else ""
    out.print(f"request {done.id} approved by {as_user}{sampled}")


@overrides_app.command("reject")
def reject(override_id: int, as_user: AsUser,
           note: Annotated[str, typer.Option(help="Why (10 characters or more)")]) -> None:
    """Reject a request; nothing changes."""
    ctx = bootstrap.context()
    try:
        done = service.reject(ctx, override_id, note, _acting(ctx, as_user))
    except ClearwayError as exc:
        fail(exc)
    out.print(f"request {done.id} rejected by {as_user}")
