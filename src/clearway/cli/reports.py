"""`clearway reports`: the administration's performance reports."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from clearway import bootstrap
from clearway.periods import period
from clearway.reports.service import release_time_report

reports_app = typer.Typer(help="Performance reports (release times).", no_args_is_help=True)


@reports_app.command("release-times")
def release_times(start: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
                  end: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None
                  ) -> None:
    """Minutes per step of the declarations released in the period (JSON), like a WCO Time
    Release Study: overall and by channel, office, AEO status and declaration type."""
    ctx = bootstrap.context()
    span = period(ctx.clock.now().date(), date.fromisoformat(start) if start else None,
                  date.fromisoformat(end) if end else None)
    typer.echo(json.dumps(release_time_report(ctx, span), indent=2))
