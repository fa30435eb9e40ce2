"""`clearway integrity`: officers' integrity indicators and the register of cases."""

from __future__ import annotations

import typer

integrity_app = typer.Typer(help="Integrity indicators and cases (R4).", no_args_is_help=True)
