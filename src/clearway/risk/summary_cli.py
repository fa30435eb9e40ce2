"""`clearway risk`: maintenance of what the live risk decision reads.

Registered in `clearway.cli` as the `risk` group.
"""

from __future__ import annotations

import typer

from clearway import bootstrap
from clearway.risk.trader_summary import rebuild

risk_app = typer.Typer(help="Risk engine maintenance: the traders' records of live decisions.",
                       no_args_is_help=True)


@risk_app.command("rebuild-trader-records")
def rebuild_trader_records() -> None:
    """Recount every trader's record (filings, controls, irregular ones) from the stored
    declarations and control outcomes. Run after a bulk import that bypassed the use cases;
    on PostgreSQL, acceptances wait for it to finish."""
    ctx = bootstrap.context()
    with ctx.uow() as uow:
        count = rebuild(uow.session)
        uow.commit()
    typer.echo(f"trader records rebuilt: {count} traders")
