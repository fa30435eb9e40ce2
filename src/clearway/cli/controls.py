"""`clearway controls`: the duty roster, task lists and assignment of waiting tasks, for
operators. Roster changes are audited as the command-line user."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.support import CLI_USER, fail
from clearway.controls import service
from clearway.errors import ClearwayError
from clearway.users import service as users

controls_app = typer.Typer(help="Control tasks: duty roster, tasks, assignment.",
                           no_args_is_help=True)
roster_app = typer.Typer(help="Officers on duty at offices.", no_args_is_help=True)
controls_app.add_typer(roster_app, name="roster")
out = Console()


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise typer.BadParameter("give a time zone, e.g. 2026-11-20T08:00+01:00")
    return value


@roster_app.command("add")
def roster_add(officer: Annotated[str, typer.Argument(help="The officer's user name or id")],
               office: str, starts: Annotated[datetime, typer.Option(
        "--from", formats=["%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M:%S%z"],
        help="Start, with time zone")], until: Annotated[datetime, typer.Option(
        "--until", formats=["%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M:%S%z"],
        help="End, with time zone")],
               function: Annotated[str, typer.Option(
                   help="The post's function at the office (sensitive posts rotate)")]
               = "control") -> None:
    """Put an officer on duty at an office; waiting tasks are assigned at once."""
    ctx = bootstrap.context()
    try:
        officer_id = users.user_id(ctx, officer)
        added = service.add_shift(ctx, officer_id, office.upper(), _aware(starts),
                                  _aware(until), CLI_USER, function)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"shift {added.shift.id}: officer {officer} at {office.upper()} "
              f"from {starts.isoformat()} until {until.isoformat()}; "
              f"{added.assigned} waiting task(s) assigned")
    if added.warning:
        out.print(f"warning: {added.warning}")


@roster_app.command("list")
def roster_list(office: Annotated[str | None, typer.Option(help="Only this office")] = None
                ) -> None:
    """Shifts, earliest first."""
    ctx = bootstrap.context()
    table = Table("id", "officer", "office", "from", "until", "by")
    for s in service.list_shifts(ctx, office=office and office.upper(), start=None, end=None):
        table.add_row(str(s.id), str(s.officer_id), s.office, s.starts_at.isoformat(),
                      s.ends_at.isoformat(), s.created_by)
    out.print(table)


@controls_app.command("tasks")
def tasks(office: Annotated[str | None, typer.Option(help="Only this office")] = None,
          status: Annotated[str | None, typer.Option(
              help="awaiting_officer, assigned, in_progress, done, waived, cancelled")] = None,
          limit: Annotated[int, typer.Option(min=1, max=500)] = 50) -> None:
    """Control tasks, newest first."""
    ctx = bootstrap.context()
    rows = service.list_tasks(ctx, CLI_USER, office=office and office.upper(), status=status,
                              limit=limit)
    table = Table("id", title=f"{len(rows)} task(s)")
    table.add_column("declaration", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for name in ("office", "channel", "officer", "needs"):
        table.add_column(name)
    for t in rows:
        table.add_row(str(t.id), t.reference, t.status, t.office, t.channel,
                      "" if t.officer_id is None else str(t.officer_id),
                      ", ".join(t.qualifications or []))
    out.print(table)


@controls_app.command("assign-waiting")
def assign_waiting() -> None:
    """Assign the tasks awaiting an officer to eligible officers now on duty."""
    out.print(f"{service.assign_waiting(bootstrap.context())} task(s) assigned")
