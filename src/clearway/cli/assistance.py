"""`clearway assistance`: mutual-assistance requests out and in, overdue first, and one
request's conversation."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.assistance import service
from clearway.assistance.repository import RequestFilter
from clearway.assistance.schemas import ConversationOut, RequestOut
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError

assistance_app = typer.Typer(help="Mutual assistance with partner administrations.",
                             no_args_is_help=True)
out = Console()
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON")]


@assistance_app.command("list")
def list_requests(direction: Annotated[str | None, typer.Option(help="out or in")] = None,
                  status: Annotated[str | None, typer.Option()] = None,
                  overdue: Annotated[bool, typer.Option(help="Only overdue ones")] = False,
                  as_json: JsonOpt = False) -> None:
    """Requests, overdue first, then by deadline."""
    ctx = bootstrap.context()
    now = ctx.clock.now()
    rows = [RequestOut.of(r, now) for r in service.list_for(
        ctx, CLI_USER, RequestFilter(direction=direction, status=status, overdue_only=overdue))]
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    table = Table("id", "dir", "partner", "type", "status", "deadline", "overdue", "mrn",
                  title=f"{len(rows)} request(s)")
    for r in rows:
        table.add_row(str(r.id), r.direction, r.partner, r.request_type, r.status,
                      r.deadline.isoformat(timespec="minutes"),
                      "[red]OVERDUE[/red]" if r.overdue else "", r.mrn or "")
    out.print(table)


@assistance_app.command("show")
def show_request(request_id: int, as_json: JsonOpt = False) -> None:
    """One request with its replies and attachments (SHA-256)."""
    ctx = bootstrap.context()
    try:
        found = ConversationOut.of(service.get_for(ctx, CLI_USER, request_id),
                                   ctx.clock.now())
    except ClearwayError as exc:
        fail(exc)
    if as_json:
        print(found.model_dump_json(indent=2))
        return
    r = found.request
    out.print(f"[bold]#{r.id}[/bold] {r.direction} {r.partner} {r.request_type}"
              f"{' / ' + r.subject_kind if r.subject_kind else ''} — {r.status}"
              f"{' [red]OVERDUE[/red]' if r.overdue else ''}")
    out.print(f"deadline {r.deadline.isoformat()} · {r.priority} · {r.confidentiality} · "
              f"basis: {r.legal_basis}")
    out.print(f"question: {r.question}")
    for reply in found.replies:
        out.print(f"reply {reply.at.isoformat()} by {reply.replied_by}: {reply.outcome}"
                  f"{' (' + reply.finding + ')' if reply.finding else ''} "
                  f"{reply.answer or reply.reason or ''}")
    for a in found.attachments:
        out.print(f"attachment {a.id}: {a.filename} {a.size} B sha256 {a.sha256}")
