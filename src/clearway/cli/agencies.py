"""`clearway agencies`: the agencies of the single window and the regulatory matrix. Adding
an agency is the administrator's (audited as the command line); a matrix version is proposed
and approved by named users (`--as NAME`), never the same one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearway import bootstrap
from clearway.cli.support import CLI_USER, fail
from clearway.errors import ClearwayError, Forbidden, NotFound
from clearway.identity import Permission, User

agencies_app = typer.Typer(help="Single window: agencies and the regulatory matrix.",
                           no_args_is_help=True)
matrix_app = typer.Typer(help="The regulatory matrix: show, propose, approve.",
                         no_args_is_help=True)
agencies_app.add_typer(matrix_app, name="matrix")
out = Console()
AsUser = Annotated[str, typer.Option("--as", help="The acting user's name")]


def _acting(name: str, permission: Permission) -> User:
    from clearway.agencies.repository import acting

    with bootstrap.context().uow(read_only=True) as uow:
        user = acting(uow.session, name)
    if user is None:
        fail(NotFound("User", name))
    if not user.may(permission):
        fail(Forbidden(f"{user.role.value} {name} may not {permission.value}"))
    return user


@agencies_app.command("list")
def list_() -> None:
    """The agencies, their kind, decision-time target and random inspection rate."""
    from clearway.agencies.service import list_agencies

    table = Table("code", "name", "kind", "target (min)", "inspection rate")
    for a in list_agencies(bootstrap.context()):
        table.add_row(a.code, a.name, a.kind.value, str(a.target_minutes),
                      f"{a.inspection_rate:.0%}")
    out.print(table)


@agencies_app.command("add")
def add(code: str, name: Annotated[str, typer.Option()],
        kind: Annotated[str, typer.Option(help="plant_health, veterinary, public_health, "
                                          "market_surveillance, dual_use_licensing, other")],
        target_minutes: int = 10, inspection_rate: float = 0.0) -> None:
    """Add an agency (audited)."""
    from clearway.agencies.model import Agency, AgencyKind
    from clearway.agencies.service import add_agency

    try:
        added = add_agency(bootstrap.context(), Agency(
            code, name, AgencyKind(kind), target_minutes, inspection_rate), CLI_USER.actor)
    except ValueError:
        fail(ClearwayError("CW-AGENCY-INVALID", f"unknown kind {kind!r}"))
    except ClearwayError as exc:
        fail(exc)
    out.print(f"agency {added.code} added")


@matrix_app.command("show")
def show(on: Annotated[str | None, typer.Option(help="Day (default today)")] = None) -> None:
    """The rules of the matrix version valid on a day."""
    from clearway.agencies.service import version_on

    ctx = bootstrap.context()
    day = date.fromisoformat(on) if on else ctx.clock.now().date()
    found = version_on(ctx, day)
    if found is None:
        out.print(f"no matrix version valid on {day}")
        return
    table = Table("rule", "HS", "agency", "formality", "types", "documents", "moves first")
    for r in found.rules:
        table.add_row(r.id, r.hs_prefix, r.agency, str(r.formality),
                      "|".join(sorted(r.declaration_types)), "|".join(sorted(r.documents)),
                      "yes" if r.move_before_decision else "")
    out.print(f"version {found.number}, valid from {found.valid_from}")
    out.print(table)


@matrix_app.command("versions")
def versions() -> None:
    """Every version: proposed, approved or rejected, by whom."""
    from clearway.agencies.service import versions as all_versions

    table = Table("id", "status", "valid from", "rules", "proposed by", "decided by")
    for v in all_versions(bootstrap.context()):
        table.add_row(str(v.id), v.status, str(v.valid_from), str(v.rule_count),
                      v.proposed_by, v.decided_by or "")
    out.print(table)


@matrix_app.command("propose")
def propose(path: Path, as_user: AsUser, valid_from: Annotated[str | None, typer.Option(
        help="First day it applies (default today)")] = None,
            note: str | None = None) -> None:
    """Propose a new matrix version from a CSV file; another user must approve it."""
    from clearway.agencies.service import propose as propose_version

    user = _acting(as_user, Permission.PROPOSE_MATRIX)
    try:
        row = propose_version(bootstrap.context(), path.read_text(encoding="utf-8-sig"),
                              valid_from=date.fromisoformat(valid_from) if valid_from else None,
                              note=note, user=user)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"matrix version {row.id} proposed ({row.rule_count} rules)")


@matrix_app.command("approve")
def approve(version: int, as_user: AsUser) -> None:
    """Approve a proposed version (not your own); it applies from its first day."""
    from clearway.agencies.service import approve as approve_version

    user = _acting(as_user, Permission.APPROVE_MATRIX)
    try:
        row = approve_version(bootstrap.context(), version, user)
    except ClearwayError as exc:
        fail(exc)
    out.print(f"matrix version {row.id} approved; applies from {row.valid_from}")
