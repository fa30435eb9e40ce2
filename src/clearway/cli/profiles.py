"""`clearway profiles import|export|list|export-history|backtest`: risk profiles from the
command line.

Registered in `clearway.cli` as the `profiles` group. Changes are audited with the actor `cli`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.support import fail
from clearway.errors import ClearwayError

profiles_app = typer.Typer(help="Risk profiles (common risk criteria): import, export, list.",
                           no_args_is_help=True)
out = Console()
err = Console(stderr=True)
ACTOR = "cli"
STATUSES = ("draft", "active", "retired")
StatusOpt = Annotated[str | None, typer.Option("--status", help="draft, active or retired")]


def _status(value: str | None) -> str | None:
    if value is not None and value not in STATUSES:
        err.print(f"--status must be one of {', '.join(STATUSES)}")
        raise typer.Exit(2)
    return value


@profiles_app.command("import")
def import_profiles(
    file: Annotated[Path, typer.Argument(help="YAML list of profiles", exists=True,
                                         dir_okay=False)],
    activate: Annotated[bool, typer.Option("--activate", help="Activate each profile "
                                           "written (retiring its active version)")] = False,
) -> None:
    """Write the profiles of a YAML file as drafts (all or none), or activate them."""
    from clearway.profiles.service import import_yaml

    ctx = bootstrap.context()
    try:
        saved = import_yaml(ctx, file.read_bytes(), ACTOR, owner=ACTOR, activate_all=activate)
    except ClearwayError as exc:
        fail(exc)
        return
    table = Table("code", "version", "status", "change")
    for s in saved:
        change = s.action.replace("_", " ") + (", activated" if s.activated else "")
        table.add_row(s.profile.code, str(s.profile.version), str(s.profile.status), change)
    out.print(table)


@profiles_app.command("export")
def export_profiles(
    status: StatusOpt = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write; "
                                                "default: standard output")] = None,
) -> None:
    """Write the profiles as YAML (each code's newest version, or its newest in --status)."""
    from clearway.profiles.service import export_yaml

    text = export_yaml(bootstrap.context(), _status(status))
    if output is None:
        print(text, end="")
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")


@profiles_app.command("list")
def list_profiles(status: StatusOpt = None) -> None:
    """List profile versions (newest first per code)."""
    from clearway.profiles.service import list_profiles as listing

    found = listing(bootstrap.context(), status=_status(status))
    table = Table("code", "version", "status", "area", "weight", "channel", "valid", "name")
    for s in found:
        p = s.profile
        valid = f"{p.valid_from or '…'} to {p.valid_to or '…'}"
        table.add_row(p.code, str(p.version), str(p.status), str(p.area), f"{p.weight:g}",
                      str(p.min_channel or "soft"), valid, p.name)
    out.print(table)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date YYYY-MM-DD") from None


FromOpt = Annotated[str, typer.Option("--from", help="First acceptance date, YYYY-MM-DD")]
ToOpt = Annotated[str, typer.Option("--to", help="Last acceptance date (included)")]
FolderArg = Annotated[Path, typer.Argument(help="Folder of Parquet part files",
                                           file_okay=False)]


@profiles_app.command("export-history")
def export_history(folder: FolderArg, start: FromOpt, end: ToOpt) -> None:
    """Write the item frames of the declarations accepted in a period (any length) to
    Parquet part files, for back-tests over years (`profiles backtest --history`)."""
    from clearway.profiles.service import export_history as export

    try:
        rows = export(bootstrap.context(), folder, _day(start), _day(end))
    except ClearwayError as exc:
        fail(exc)
        return
    err.print(f"wrote {rows} item rows to {folder}")


@profiles_app.command("backtest")
def backtest(
    code: Annotated[str, typer.Argument(help="Profile code")],
    history: Annotated[Path, typer.Option("--history", help="Folder written by "
                                          "`profiles export-history`", file_okay=False,
                                          exists=True)],
    start: FromOpt, end: ToOpt,
    version: Annotated[int | None, typer.Option(help="Profile version (default: newest)")]
    = None,
) -> None:
    """What the profile would have hit in an exported history, and what controls found
    on those (the figures of the console's back-test, over any number of years)."""
    from clearway.profiles.service import backtest_history, get

    try:
        found, _ = get(bootstrap.context(), code, version)
        result = backtest_history(found.profile, history, _day(start), _day(end))
    except ClearwayError as exc:
        fail(exc)
        return
    typer.echo(json.dumps({"code": found.code, "version": found.version,
                           **result.as_dict()}, indent=2))
