"""`clearway conference`: the regional conferences and the progress reports to them
(docs/progress-report.md) — add a conference, list them with their deadlines, show the due
reminders, write a report's PDF or HTML, export a submitted report, import another
administration's (changes audited as administrator:cli)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError
from clearway.progress import document, messages, regional, service
from clearway.progress.model import DEFAULT_REMINDERS, Conference

conference_app = typer.Typer(help="Regional conferences and the progress reports to them.",
                             no_args_is_help=True)
out = Console()


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x.strip())


@conference_app.command("add")
def add(code: Annotated[str, typer.Argument(help="e.g. SEE-2027")],
        name: Annotated[str, typer.Option(help="The conference's name")],
        held_on: Annotated[str, typer.Option(help="YYYY-MM-DD")],
        administrations: Annotated[str, typer.Option(help="Country codes: RS,MK,AL")],
        lead_months: Annotated[int, typer.Option(help="Reports due months before")] = 1,
        reminders: Annotated[str, typer.Option(help="Days before the deadline")] =
        ",".join(map(str, DEFAULT_REMINDERS)),
        period_start: Annotated[str, typer.Option(help="YYYY-MM-DD (default: the deadline "
                                                  "of the conference before)")] = "") -> None:
    """Add a conference; its reporting deadline and reminders follow from its terms."""
    ctx = bootstrap.context()
    try:
        held = date.fromisoformat(held_on)
        start = (date.fromisoformat(period_start) if period_start
                 else service.default_start(ctx, held, lead_months))
        found = service.create_conference(ctx, CLI_USER, Conference(
            code, name, held, tuple(a.strip().upper() for a in administrations.split(",")
                                    if a.strip()), start, lead_months, _numbers(reminders)))
    except ValueError as exc:
        fail(ClearwayError("CW-PROGRESS-CONFERENCE", str(exc)))
    except ClearwayError as exc:
        fail(exc)
    out.print(f"{found.code}: held on {found.held_on}, reports due {found.deadline}, "
              f"period from {found.period_start}")


@conference_app.command("list")
def list_conferences() -> None:
    """Every conference with its deadline and reminder days."""
    table = Table("code", "name", "held on", "deadline", "period from", "administrations",
                  "reminders")
    for c in service.conferences(bootstrap.context()):
        table.add_row(c.code, c.name, str(c.held_on), str(c.deadline), str(c.period_start),
                      " ".join(c.administrations), " ".join(map(str, c.reminders())))
    out.print(table)


@conference_app.command("reminders")
def reminders() -> None:
    """Reminders that have fallen (or deadlines passed) with no report submitted."""
    found = service.due_reminders(bootstrap.context())
    for r in found:
        state = "LATE" if r["late"] else f"{r['days_left']} days left"
        out.print(f"{r['conference']}: deadline {r['deadline']} ({state}); report "
                  f"{r['report'] or 'not started'} {r['status'] or ''}; waiting on "
                  f"{', '.join(r['waiting_on'])}")
    if not found:
        out.print("no reminder due")


@conference_app.command("document")
def write_document(report: Annotated[int, typer.Argument(help="The report's id")],
                   target: Annotated[Path, typer.Argument(help="A .pdf or .html file")]) -> None:
    """Write a report as PDF or HTML (by the file's suffix)."""
    try:
        found = service.get_report(bootstrap.context(), report)
    except ClearwayError as exc:
        fail(exc)
    if target.suffix == ".html":
        target.write_text(document.html(found.content, found.status, found.content_hash))
    else:
        target.write_bytes(document.pdf(found.content, found.status, found.content_hash))
    out.print(f"written {target}")


@conference_app.command("export")
def export(report: Annotated[int, typer.Argument(help="A submitted report's id")],
           target: Annotated[Path, typer.Argument(help="The JSON file to write")]) -> None:
    """A submitted report with its SHA-256, for the conference and the region."""
    try:
        found = regional.export(bootstrap.context(), report)
    except ClearwayError as exc:
        fail(exc)
    target.write_text(json.dumps(found, ensure_ascii=False, indent=1))
    out.print(f"written {target} (sha256 {found['sha256']})")


@conference_app.command("import")
def import_file(source: Annotated[Path, typer.Argument(help="An exported report (JSON)")]
                ) -> None:
    """Keep another administration's exported report, checked against its SHA-256."""
    try:
        found = regional.import_report(bootstrap.context(), CLI_USER, source.read_bytes())
    except ClearwayError as exc:
        fail(exc)
    out.print(f"imported {found.administration} {found.conference.code} version "
              f"{found.version} as report {found.id}")


@conference_app.command("send")
def send(report: Annotated[int, typer.Argument(help="A submitted report's id")],
         to: Annotated[str, typer.Argument(help="A participant's country code")]) -> None:
    """Send a submitted report to another participant as a signed exchange message."""
    try:
        message_id = messages.send_report(bootstrap.context(), CLI_USER, report, to.upper())
    except ClearwayError as exc:
        fail(exc)
    out.print(f"report {report} queued for {to.upper()} as message {message_id}")
