"""`clearway integrity`: officers' integrity indicators and the register of cases (R4).
Register changes from the command line are audited as administrator:cli."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from clearway import bootstrap
from clearway.cli.progress import phase
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError
from clearway.integrity import service
from clearway.periods import period

integrity_app = typer.Typer(help="Integrity indicators and cases (R4).", no_args_is_help=True)
case_app = typer.Typer(help="The register of integrity cases.", no_args_is_help=True)
integrity_app.add_typer(case_app, name="case")

Day = Annotated[str | None, typer.Option(help="YYYY-MM-DD")]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        fail(ClearwayError(code="CW-REQUEST-INVALID",
                           message=f"Not a date (YYYY-MM-DD): {value!r}"))


def _print(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@integrity_app.command("indicators")
def indicators(start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
               end: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
               office: Annotated[str | None, typer.Option(help="Office code")] = None,
               flagged: Annotated[bool, typer.Option(help="Only flagged officers")] = False
               ) -> None:
    """Indicators per officer and office over the period (JSON), outliers with reasons."""
    ctx = bootstrap.context()
    try:
        with phase("integrity indicators", "counting per officer"):
            found = service.indicators(ctx, period(ctx.clock.now().date(), _day(start),
                                                   _day(end)), office)
    except ClearwayError as exc:
        fail(exc)
    if flagged:
        found["officers"] = [x for x in found["officers"] if x["flags"]]
    _print(found)


@case_app.command("open")
def case_open(allegation: Annotated[str, typer.Option(help="bribery, collusion, "
              "abuse_of_discretion, leak_of_information, fraud, conflict_of_interest, other")],
              description: Annotated[str, typer.Option(help="What is alleged")],
              source: Annotated[str, typer.Option(help="indicator, complaint, audit, "
                                "whistleblower, other")],
              office: Annotated[str | None, typer.Option()] = None,
              officer_id: Annotated[int | None, typer.Option(help="User id")] = None,
              indicator: Annotated[Path | None, typer.Option(
                  help="JSON file of the indicator row the case comes from")] = None,
              opened_on: Day = None) -> None:
    """Open a case; prints it with its reference."""
    ctx = bootstrap.context()
    try:
        detail = json.loads(indicator.read_text()) if indicator else None
    except (OSError, ValueError) as exc:
        fail(ClearwayError(code="CW-INTEGRITY-VALUE",
                           message=f"Cannot read the indicator file: {exc}"))
    try:
        case = service.open_case(ctx, allegation=allegation, description=description,
                                 source=source, office=office, officer_id=officer_id,
                                 user=CLI_USER, indicator=detail, opened_on=_day(opened_on))
    except ClearwayError as exc:
        fail(exc)
    _print(service.case_dict(case))


@case_app.command("update")
def case_update(reference: str,
                status: Annotated[str | None, typer.Option(help="investigating, "
                                  "substantiated, unfounded")] = None,
                sanction: Annotated[str | None, typer.Option(help="reprimand, fine, "
                                    "suspension, demotion, dismissal, prosecution")] = None,
                note: Annotated[str | None, typer.Option()] = None) -> None:
    """Move a case on and/or record the sanction of a substantiated case."""
    try:
        case = service.update_case(bootstrap.context(), reference, status=status,
                                   sanction=sanction, note=note, user=CLI_USER)
    except ClearwayError as exc:
        fail(exc)
    _print(service.case_dict(case))


@case_app.command("list")
def case_list(status: Annotated[str | None, typer.Option()] = None,
              year: Annotated[int | None, typer.Option(help="Year opened")] = None) -> None:
    """Cases of the register (JSON), oldest first."""
    try:
        found = service.list_cases(bootstrap.context(), status=status, year=year)
    except ClearwayError as exc:
        fail(exc)
    _print([service.case_dict(c) for c in found])


@case_app.command("report")
def case_report(year: Annotated[int, typer.Option(help="Calendar year")]) -> None:
    """Cases detected by allegation type and sanctions by type in the year (R4)."""
    _print(service.yearly_report(bootstrap.context(), year))
