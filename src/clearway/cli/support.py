"""What the command groups share: the acting user of command-line changes, coded failures."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

from clearway.errors import ClearwayError
from clearway.identity import Role, User

# Changes made from the command line are audited under this actor ("administrator:cli").
CLI_USER = User(id=0, name="cli", role=Role.ADMINISTRATOR, trader_id=None)
err = Console(stderr=True)


def fail(exc: ClearwayError) -> NoReturn:
    """Print a coded error with each of its issues, and exit with status 2."""
    err.print(f"[red]{exc.code}[/red]: {exc.message}")
    for issue in exc.errors:
        where = " ".join(x for x in (issue.element, issue.pointer and f"at {issue.pointer}") if x)
        err.print(f"  {issue.code} {where}: {issue.message}")
    raise typer.Exit(2)
