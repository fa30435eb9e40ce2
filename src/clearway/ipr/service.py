"""Use cases for applications for action: create, update (renew), withdraw, list, import YAML.

Every change is audited in the same unit of work, and tells the engine's knowledge cache to
rebuild the register. A withdrawn application stays stored (the decisions that cited it keep
their reference) and can no longer change; the right holder files a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import Conflict, DocumentInvalid, Issue, NotFound
from clearway.identity import User
from clearway.ipr import repository as repo
from clearway.ipr.matcher import IprRegister
from clearway.ipr.model import IprApplication, parse_application
from clearway.ipr.repository import IprRecord

OBJECT = "ipr_application"


@dataclass
class Imported:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _changed(old: IprApplication, new: IprApplication) -> list[str]:
    before, after = old.model_dump(), new.model_dump()
    return sorted(k for k in after if before.get(k) != after[k])


def _create(session: Session, app: IprApplication, ctx: Context, user: User) -> IprRecord:
    if repo.row(session, app.reference) is not None:
        raise Conflict("CW-IPR-EXISTS", f"IPR application {app.reference!r} already exists")
    try:
        record = repo.add(session, app, ctx.clock.now())
    except IntegrityError:  # created meanwhile by a concurrent request
        raise Conflict("CW-IPR-EXISTS",
                       f"IPR application {app.reference!r} already exists") from None
    audit.append(session, at=ctx.clock.now(), actor=user.actor, action="ipr_application.created",
                 object_type=OBJECT, object_id=app.reference,
                 detail={"right_holder": app.right_holder, "status": app.status,
                         "valid_from": app.valid_from.isoformat(),
                         "valid_to": app.valid_to.isoformat()})
    return record


def _replace(session: Session, app: IprApplication, ctx: Context, user: User,
             detail: Mapping[str, Any] | None = None) -> IprRecord:
    stored = repo.row(session, app.reference, for_update=True)
    if stored is None:
        raise NotFound("IPR application", app.reference)
    current = repo.record_of(stored)
    if current.application.status == "withdrawn":
        raise Conflict("CW-IPR-WITHDRAWN", f"IPR application {app.reference!r} is withdrawn")
    changed = _changed(current.application, app)
    if not changed:
        return current
    record = repo.save(session, stored, app, ctx.clock.now())
    action = "withdrawn" if app.status == "withdrawn" else "updated"
    audit.append(session, at=ctx.clock.now(), actor=user.actor,
                 action=f"ipr_application.{action}", object_type=OBJECT,
                 object_id=app.reference,
                 detail={"changed": changed, "valid_from": app.valid_from.isoformat(),
                         "valid_to": app.valid_to.isoformat(), **(detail or {})})
    return record


def create(ctx: Context, data: Mapping[str, Any], user: User) -> IprRecord:
    app = parse_application({**data, "status": "active"})
    with ctx.uow() as uow:
        record = _create(uow.session, app, ctx, user)
        uow.commit()
    ctx.risk.invalidate()
    return record


def update(ctx: Context, reference: str, terms: Mapping[str, Any], user: User) -> IprRecord:
    """Replace what an active application says (e.g. renew it with a new period)."""
    app = parse_application({**terms, "reference": reference, "status": "active"})
    with ctx.uow() as uow:
        record = _replace(uow.session, app, ctx, user)
        uow.commit()
    ctx.risk.invalidate()
    return record


def withdraw(ctx: Context, reference: str, user: User, reason: str | None = None) -> IprRecord:
    with ctx.uow() as uow:
        current = repo.get(uow.session, reference)
        if current is None:
            raise NotFound("IPR application", reference)
        app = current.application.model_copy(update={"status": "withdrawn"})
        record = _replace(uow.session, app, ctx, user, {"reason": reason} if reason else None)
        uow.commit()
    ctx.risk.invalidate()
    return record


def get(ctx: Context, reference: str) -> IprRecord:
    with ctx.uow(read_only=True) as uow:
        found = repo.get(uow.session, reference)
    if found is None:
        raise NotFound("IPR application", reference)
    return found


def list_records(ctx: Context, *, status: str | None = None,
                 on: date | None = None) -> list[IprRecord]:
    with ctx.uow(read_only=True) as uow:
        return repo.records(uow.session, status=status, on=on)


def parse_yaml(text: str) -> list[IprApplication]:
    """Applications from YAML (a list, or a mapping with `applications`), all checked first."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DocumentInvalid([Issue("CW-IPR-FILE", f"not readable as YAML: {exc}")]) from None
    if isinstance(data, Mapping) and set(data) == {"applications"}:
        data = data["applications"]
    if not isinstance(data, list) or not data:
        raise DocumentInvalid([Issue("CW-IPR-FILE", "expected a non-empty list of "
                                     "applications, or a mapping with `applications`")])
    issues: list[Issue] = []
    apps: list[IprApplication] = []
    for n, item in enumerate(data):
        try:
            apps.append(parse_application(item, pointer=f"/applications/{n}"))
        except DocumentInvalid as exc:
            issues += exc.errors
    seen: set[str] = set()
    for n, app in enumerate(apps):
        if app.reference in seen:
            issues.append(Issue("CW-IPR-FILE", f"reference {app.reference!r} appears twice",
                                pointer=f"/applications/{n}/reference"))
        seen.add(app.reference)
    if issues:
        raise DocumentInvalid(issues, message="The IPR applications file has errors")
    return apps


def import_yaml(ctx: Context, text: str, user: User) -> Imported:
    """Create new applications and update changed ones, by reference, in one transaction."""
    apps = parse_yaml(text)
    result = Imported()
    with ctx.uow() as uow:
        for app in apps:
            current = repo.get(uow.session, app.reference)
            if current is None:
                _create(uow.session, app, ctx, user)
                result.created.append(app.reference)
            elif current.application == app:
                result.unchanged.append(app.reference)
            else:
                _replace(uow.session, app, ctx, user)
                (result.withdrawn if app.status == "withdrawn" else result.updated).append(
                    app.reference)
        uow.commit()
    ctx.risk.invalidate()
    return result


def import_file(ctx: Context, path: Path, user: User) -> Imported:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentInvalid([Issue("CW-IPR-FILE", f"cannot read {path}: {exc}")]) from None
    return import_yaml(ctx, text, user)


def register(session: Session) -> IprRegister | None:
    """The engine's register of active applications (None: there is none)."""
    applications = repo.active(session)
    return IprRegister(applications) if applications else None
