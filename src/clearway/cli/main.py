"""The `clearway` command line."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.agreements import agreements_app
from clearway.cli.arrivals import arrivals_app
from clearway.cli.assistance import assistance_app
from clearway.cli.audit import audit_app
from clearway.cli.controls import controls_app
from clearway.cli.dualuse import dualuse_app
from clearway.cli.exchange import exchange_app
from clearway.cli.feedback import feedback_app
from clearway.cli.integrity import integrity_app
from clearway.cli.ipr import ipr_app
from clearway.cli.mirror import mirror_app
from clearway.cli.model import model_app
from clearway.cli.overrides import overrides_app
from clearway.cli.partners import partners_app
from clearway.cli.privacy import privacy_app
from clearway.cli.profiles import profiles_app
from clearway.cli.reports import reports_app
from clearway.cli.risk import risk_app
from clearway.cli.screening import screening_app
from clearway.cli.support import fail
from clearway.cli.valuation import valuation_app
from clearway.errors import ClearwayError

app = typer.Typer(help="Clearway customs clearance and risk management.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
refdata_app = typer.Typer(help="Reference data.", no_args_is_help=True)
users_app = typer.Typer(help="Users and tokens.", no_args_is_help=True)
decl_app = typer.Typer(help="Declaration tools.", no_args_is_help=True)
notes_app = typer.Typer(help="Notifications.", no_args_is_help=True)
for sub, name in ((db_app, "db"), (refdata_app, "refdata"), (users_app, "users"),
                  (decl_app, "declarations"), (notes_app, "notifications"),
                  (audit_app, "audit"), (model_app, "model"),
                  (screening_app, "screening"),
                  (reports_app, "reports"),
                  (valuation_app, "valuation"),
                  (ipr_app, "ipr"), (dualuse_app, "dual-use"),
                  (profiles_app, "profiles"), (integrity_app, "integrity"),
                  (feedback_app, "feedback"), (overrides_app, "overrides"),
                  (controls_app, "controls"), (risk_app, "risk"),
                  (exchange_app, "exchange"), (partners_app, "partners"),
                  (agreements_app, "agreements"), (assistance_app, "assistance"),
                  (privacy_app, "privacy"),
                  (arrivals_app, "arrivals"),
                  (mirror_app, "mirror")):
    app.add_typer(sub, name=name)

out = Console()
err = Console(stderr=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply database migrations (creates the schema on a fresh database)."""
    from clearway.config import get_settings
    from clearway.storage.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    out.print(f"database at revision {revision}")


@refdata_app.command("load")
def refdata_load(directory: Annotated[Path | None, typer.Argument(
        help="Folder of CSV lists; default: the lists shipped with Clearway")] = None) -> None:
    """Load reference data lists (all or some) as new versions."""
    from clearway.refdata.errors import RefDataError
    from clearway.refdata.service import load_directory

    ctx = bootstrap.context()
    with ctx.uow() as uow:
        try:
            loaded = load_directory(uow.session, directory, now=ctx.clock.now(), actor="cli")
        except RefDataError as exc:
            err.print(f"[red]CW-REFDATA[/red]: {exc}")
            raise typer.Exit(2) from None
        uow.commit()
    table = Table("list", "version", "rows", "changed")
    for item in loaded:
        table.add_row(item.list_name, item.version, str(item.rows), "yes" if item.changed else "")
    out.print(table)


@users_app.command("create")
def users_create(name: str, role: Annotated[str, typer.Option(help="trader, officer, "
                 "risk_analyst, supervisor, auditor, administrator")],
                 trader: Annotated[str | None, typer.Option(help="Trader ID (EORI)")] = None
                 ) -> None:
    """Create a user (audited); its bearer token is printed alone on the last line."""
    from clearway.errors import ClearwayError
    from clearway.users.service import register

    ctx = bootstrap.context()
    try:
        user, token = register(ctx, name=name, role=role, trader_id=trader, actor="cli")
    except ClearwayError as exc:
        err.print(f"[red]error[/red]: {exc.message}")
        raise typer.Exit(2) from None
    out.print(f"created {user.role.value} {user.name}" + (f" for {trader}" if trader else ""))
    print(token)


@users_app.command("revoke")
def users_revoke(name: str, reason: Annotated[str | None, typer.Option(
        help="Why (kept in the audit trail)")] = None) -> None:
    """Revoke a user's token at once (audited)."""
    from clearway.errors import NotFound
    from clearway.users.service import revoke_user

    ctx = bootstrap.context()
    try:
        revoke_user(ctx, name, actor="cli", reason=reason)
    except NotFound:
        err.print(f"no user {name!r}")
        raise typer.Exit(2) from None
    out.print(f"revoked {name}")


@users_app.command("token")
def users_token(name: str) -> None:
    """Issue a new token for a user (audited): the old one stops working, a revoked user is
    active again. The token is printed alone on the last line."""
    from clearway.errors import NotFound
    from clearway.users.service import issue_token

    ctx = bootstrap.context()
    try:
        user, token = issue_token(ctx, name, actor="cli")
    except NotFound:
        err.print(f"no user {name!r}")
        raise typer.Exit(2) from None
    out.print(f"new token for {user.role.value} {user.name}")
    print(token)


@decl_app.command("convert")
def convert(file: Path, to: Annotated[str, typer.Option(help="Output format")] = "json") -> None:
    """Print the canonical JSON of a JSON, WCO DM XML or EDIFACT CUSDEC file."""
    from clearway.declarations.canonical import canonical_dict
    from clearway.declarations.formats.detect import read_document, sniff

    if to != "json":
        err.print("only --to json is supported")
        raise typer.Exit(2)
    data = file.read_bytes()
    try:
        parsed = read_document(data, sniff(data))
    except ClearwayError as exc:
        fail(exc)
        return
    print(json.dumps(canonical_dict(parsed.doc), indent=2, ensure_ascii=False))


@app.command("submit")
def submit(file: Path, token: Annotated[str | None, typer.Option(
        envvar="CLEARWAY_TOKEN", help="Bearer token of the trader")] = None,
           url: Annotated[str | None, typer.Option(help="Server URL; default: in-process")] = None
           ) -> None:
    """Lodge a declaration file (JSON, XML or EDIFACT) and print the answer."""
    import httpx

    from clearway.declarations.formats.detect import sniff

    if not token:
        err.print("give --token or set CLEARWAY_TOKEN")
        raise typer.Exit(2)
    data = file.read_bytes()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": sniff(data)}
    if url:
        response = httpx.post(f"{url.rstrip('/')}/api/v1/declarations", content=data,
                              headers=headers, timeout=60)
    else:
        from fastapi.testclient import TestClient

        from clearway.app import create_app

        with TestClient(create_app(bootstrap.context())) as client:
            response = client.post("/api/v1/declarations", content=data, headers=headers)
    print(json.dumps(response.json(), indent=2, ensure_ascii=False))
    if response.status_code >= 300:
        raise typer.Exit(1)


@notes_app.command("deliver")
def deliver(once: bool = True, interval: float = 2.0) -> None:
    """Push due notifications to trader webhooks (once, or in a loop); only to public
    addresses and those in CLEARWAY_WEBHOOK_ALLOWED_NETWORKS / _HOSTS."""
    from clearway.notifications.dispatcher import run_dispatcher

    try:
        run_dispatcher(bootstrap.context(), once=once, interval=interval, log=out.print)
    except ValueError as exc:  # a malformed allow-list: nothing was sent
        err.print(f"[red]error[/red]: {exc}")
        raise typer.Exit(2) from None


@app.command("serve")
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the API and console (migrates first; loads packaged reference data if empty)."""
    import uvicorn

    from clearway.config import get_settings
    from clearway.ops.logs import configure_logging, log_config

    settings = get_settings()
    configure_logging(settings)  # JSON or text, redacted (docs/operations.md)
    bootstrap.prepare(bootstrap.context())
    # Each worker applies the same logging; uvicorn's access log gives way to ours.
    uvicorn.run("clearway.asgi:app", host=host, port=port, workers=workers,
                log_level=settings.log_level.lower(), access_log=False,
                log_config=log_config(settings))


@app.command("demo")
def demo(host: str = "127.0.0.1", port: int = 8000, rate: float = 2.0) -> None:
    """Fresh demo: migrate, load reference data, create users, feed declarations, serve."""
    from clearway.config import get_settings
    from clearway.demo.run import run_demo
    from clearway.ops.logs import configure_logging

    # The demo prints its own progress: per-request lines would drown it.
    configure_logging(get_settings(), access_log=False)
    for chatty in ("alembic", "httpx"):  # migrations and the feed's requests: progress shows
        logging.getLogger(chatty).setLevel(logging.WARNING)
    run_demo(host=host, port=port, rate=rate)


def main() -> None:  # pragma: no cover
    sys.exit(app())
