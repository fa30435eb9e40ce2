"""`clearway border points`: the border crossing points, listed, loaded from the packaged
list when none is stored, and added or changed (audited as administrator:cli)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.border import service
from clearway.border.model import CrossingPoint
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError

border_app = typer.Typer(help="Integrated border management: crossing points.",
                         no_args_is_help=True)
points_app = typer.Typer(help="Border crossing points.", no_args_is_help=True)
border_app.add_typer(points_app, name="points")
out = Console()


@points_app.command("list")
def list_points() -> None:
    """Every crossing point: its office, neighbouring country, modes and agencies."""
    table = Table("code", "name", "office", "neighbour", "modes", "agencies", "active")
    for p in service.crossing_points(bootstrap.context()):
        table.add_row(p.code, p.name, p.office, p.neighbour, " ".join(p.modes),
                      " ".join(p.agencies), "yes" if p.active else "no")
    out.print(table)


@points_app.command("load")
def load_points() -> None:
    """Store this administration's points of the packaged list, if none is stored yet."""
    out.print(f"points loaded: {service.load_packaged_points(bootstrap.context())}")


@points_app.command("set")
def set_point(
        code: Annotated[str, typer.Argument(help="The point's code, e.g. RS-HORGOS")],
        name: Annotated[str, typer.Option(help="Its name")],
        office: Annotated[str, typer.Option(help="The customs office it belongs to")],
        neighbour: Annotated[str, typer.Option(help="The neighbouring country (two letters)")],
        modes: Annotated[str, typer.Option(help="Modes, separated by commas: road,rail")],
        agencies: Annotated[str, typer.Option(help="Agency codes present: PH,VET,BP")] = "",
        inactive: Annotated[bool, typer.Option(help="Closed: no booth records there")] = False,
) -> None:
    """Add or change a crossing point (audited with what it was before)."""
    given = CrossingPoint(code=code, name=name, office=office, neighbour=neighbour,
                          modes=tuple(m for m in modes.split(",") if m),
                          agencies=tuple(a for a in agencies.split(",") if a),
                          active=not inactive)
    try:
        saved = service.save_point(bootstrap.context(), CLI_USER, given)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"{saved.code}: {saved.name} at {saved.office} ({saved.neighbour}), "
              f"{' '.join(saved.modes)}; agencies {' '.join(saved.agencies) or 'none'}")
