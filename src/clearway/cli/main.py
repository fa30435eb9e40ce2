"""The `clearway` command line."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway.cli.group import EXIT_UNREACHABLE, LazyGroup
from clearway.cli.progress import phase
from clearway.cli.support import fail

if TYPE_CHECKING:
    from clearway.context import Context

# The other command groups load lazily (clearway.cli.group): `clearway --help` stays fast.
app = typer.Typer(help="Clearway customs clearance and risk management.", no_args_is_help=True,
                  cls=LazyGroup)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
refdata_app = typer.Typer(help="Reference data.", no_args_is_help=True)
users_app = typer.Typer(help="Users and tokens.", no_args_is_help=True)
decl_app = typer.Typer(help="Declaration tools.", no_args_is_help=True)
notes_app = typer.Typer(help="Notifications.", no_args_is_help=True)
for sub, name in ((db_app, "db"), (refdata_app, "refdata"), (users_app, "users"),
                  (decl_app, "declarations"), (notes_app, "notifications")):
    app.add_typer(sub, name=name)

out = Console()
err = Console(stderr=True)


def _context() -> Context:
    from clearway import bootstrap

    return bootstrap.context()


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

    ctx = _context()
    with phase("refdata load", f"lists in {directory or 'the packaged folder'}"), \
            ctx.uow() as uow:
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
    from clearway.agencies.service import require_agency
    from clearway.errors import ClearwayError
    from clearway.identity import AGENCIES
    from clearway.users.service import register

    ctx = _context()
    try:
        if role in AGENCIES:   # an agency user carries an existing agency's code
            require_agency(ctx, trader)
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

    ctx = _context()
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

    ctx = _context()
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
    from clearway.errors import ClearwayError

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
           url: Annotated[str | None, typer.Option(
        envvar="CLEARWAY_PUBLIC_URL", help="Server URL; default: CLEARWAY_PUBLIC_URL (`make "
        "demo` sets it in var/clearway.env), else in-process")] = None
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
        try:
            response = httpx.post(f"{url.rstrip('/')}/api/v1/declarations", content=data,
                                  headers=headers, timeout=60)
        except httpx.TransportError as exc:
            typer.echo(f"CW-UNREACHABLE: cannot reach {url} ({exc}); is the server "
                       "(`make demo`) running?", err=True)
            raise typer.Exit(EXIT_UNREACHABLE) from None
    else:
        from fastapi.testclient import TestClient

        from clearway.app import create_app

        with TestClient(create_app(_context())) as client:
            response = client.post("/api/v1/declarations", content=data, headers=headers)
    print(json.dumps(response.json(), indent=2, ensure_ascii=False))
    if response.status_code >= 300:
        raise typer.Exit(1)


@notes_app.command("deliver")
def deliver(once: bool = True, interval: float = 2.0) -> None:
    """Push due notifications to trader webhooks (once, or in a loop); only to public
    addresses and those in CLEARWAY_WEBHOOK_ALLOWED_NETWORKS / _HOSTS."""
    from clearway.cli.failures import require_ready
    from clearway.notifications.dispatcher import run_dispatcher

    ctx = _context()
    require_ready(ctx.engine)  # else each round would log the same traceback
    try:
        run_dispatcher(ctx, once=once, interval=interval, log=out.print)
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
    from clearway import bootstrap

    bootstrap.prepare(_context())
    # Each worker applies the same logging; uvicorn's access log gives way to ours.
    uvicorn.run("clearway.asgi:app", host=host, port=port, workers=workers,
                log_level=settings.log_level.lower(), access_log=False,
                log_config=log_config(settings))


@app.command("demo")
def demo(host: str = "127.0.0.1", port: int = 8000, rate: float = 2.0) -> None:
    """Fresh demo: migrate, load reference data, create users, feed declarations, serve."""
    from clearway.demo import ports

    try:  # before loading the application: a port in use stops it at once, nothing wiped
        ports.check_free(host, ports.demo_ports(port, ports.partner_wanted()))
        from clearway.config import get_settings
        from clearway.demo.run import run_demo
        from clearway.ops.logs import configure_logging

        # The demo prints its own progress: per-request lines would drown it.
        configure_logging(get_settings(), access_log=False)
        for chatty in ("alembic", "httpx"):  # migrations, the feed's requests: progress shows
            logging.getLogger(chatty).setLevel(logging.WARNING)
        run_demo(host=host, port=port, rate=rate)
    except ports.PortTaken as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(ports.EXIT_PORT_TAKEN) from None


def main() -> None:  # pragma: no cover
    sys.exit(app())
