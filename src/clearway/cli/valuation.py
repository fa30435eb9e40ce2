"""`clearway valuation rebuild|import|show`: valuation references from the command line."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway.cli.progress import phase
from clearway.errors import ClearwayError
from clearway.valuation.service import RebuildSummary

valuation_app = typer.Typer(help="Valuation reference unit values (HS6 x origin).",
                            no_args_is_help=True)
out = Console()
err = Console(stderr=True)
ACTOR = "cli"


def _print_summary(summary: RebuildSummary) -> None:
    table = Table("source", "period", "declarations", "observations", "references", "HS6")
    table.add_row(summary.source, f"{summary.period_from} .. {summary.period_to}",
                  str(summary.declarations), str(summary.observations),
                  str(summary.references), str(summary.hs6))
    out.print(table)


def _fail(exc: Exception) -> None:
    code = exc.code if isinstance(exc, ClearwayError) else "CW-VALUATION-INPUT"
    message = exc.message if isinstance(exc, ClearwayError) else str(exc)
    err.print(f"[red]{code}[/red]: {message}")
    raise typer.Exit(2)


@valuation_app.command("rebuild")
def rebuild(
    days: Annotated[int, typer.Option(min=1, max=3660,
                                      help="Controls ended in the last DAYS days")] = 365,
    min_observations: Annotated[int, typer.Option(min=1)] = 5,
) -> None:
    """Recompute the references from the system's own controls found regular."""
    from clearway import bootstrap
    from clearway.valuation.service import rebuild as run_rebuild

    ctx = bootstrap.context()
    end = ctx.clock.now().date()
    try:
        with phase("valuation rebuild", f"controls of the last {days} days"):
            summary = run_rebuild(ctx, start=end - timedelta(days=days), end=end, actor=ACTOR,
                                  min_observations=min_observations)
    except ClearwayError as exc:
        _fail(exc)
        return
    _print_summary(summary)


@valuation_app.command("import")
def import_file(
    data: Annotated[Path, typer.Option("--data", exists=True, dir_okay=False,
                                       help="CSV of past declarations with control outcomes")],
    mapping: Annotated[Path, typer.Option("--mapping", exists=True, dir_okay=False,
                                          help="TOML mapping of its columns")],
    value_factor: Annotated[float, typer.Option(
        help="Multiply values by this to get EUR (e.g. the rate of their currency)")] = 1.0,
    min_observations: Annotated[int, typer.Option(min=1)] = 5,
) -> None:
    """Replace the references with ones computed from a history file (regular rows)."""
    from clearway import bootstrap
    from clearway.risk.learning.mapping import MappingError, load_mapping, read_source
    from clearway.valuation.service import import_observations

    try:
        frame = read_source(data, load_mapping(mapping))
    except MappingError as exc:
        _fail(exc)
        return
    ctx = bootstrap.context()
    try:
        summary = import_observations(ctx, frame, actor=ACTOR, source=data.name,
                                      value_factor=value_factor,
                                      min_observations=min_observations)
    except ClearwayError as exc:
        _fail(exc)
        return
    _print_summary(summary)


@valuation_app.command("show")
def show(hs6: Annotated[str, typer.Argument(help="HS6 code (or a prefix of it)")],
         origin: Annotated[str | None, typer.Option(help="Country of origin (ISO 3166)")] = None,
         ) -> None:
    """The references of an HS6 (an origin's own and the all-origins one)."""
    from clearway import bootstrap
    from clearway.valuation.service import references_for

    if not re.fullmatch(r"[0-9]{2,6}", hs6):
        _fail(ValueError(f"{hs6!r} is not an HS code of 2 to 6 digits"))
    total, found = references_for(bootstrap.context(), hs6,
                                  origin.upper() if origin else None, limit=1000)
    if not total:
        err.print(f"no reference for HS {hs6}" + (f" from {origin}" if origin else ""))
        raise typer.Exit(1)
    table = Table("HS6", "origin", "centre EUR/kg", "spread (log)", "n", "period", "computed")
    for r in found.iter_rows(named=True):
        table.add_row(r["hs6"], r["origin_country"] or "all", f"{r['centre']:.4f}",
                      f"{r['spread']:.3f}", str(r["observations"]),
                      f"{r['period_from']} .. {r['period_to']}",
                      r["computed_at"].isoformat(timespec="seconds"))
    out.print(table)
