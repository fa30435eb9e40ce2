"""The region's reports: a submitted report exported as JSON with its SHA-256, another
administration's export imported (its content must hash to the recorded value), and the
submitted reports of a conference's administrations side by side, indicator by indicator."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import User
from clearway.progress import repository as repo
from clearway.progress import shape
from clearway.progress.model import SECTIONS, Status, content_hash
from clearway.progress.service import ReportView, find_conference, find_report, view_of
from clearway.storage.orm_progress import ProgressReportRow

SHARED = (Status.SUBMITTED, Status.IMPORTED)
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def export(ctx: Context, report_id: int) -> dict[str, Any]:
    """A submitted report as the conference and the region receive it."""
    with ctx.uow(read_only=True) as uow:
        row = find_report(uow.session, report_id)
        if row.status != Status.SUBMITTED or row.content is None or row.submitted_at is None:
            raise ClearwayError("CW-PROGRESS-STATE", "Only a submitted report is exported")
        return {"content": row.content, "sha256": row.content_hash,
                "submitted_at": row.submitted_at.isoformat()}


def _invalid(message: str) -> ClearwayError:
    return ClearwayError("CW-PROGRESS-IMPORT", message)


def read_export(found: Any) -> tuple[dict[str, Any], str, datetime]:
    """An exported report's content, recorded SHA-256 and submission time; its content must
    hash to the SHA-256."""
    try:
        content, digest = found["content"], found["sha256"]
        submitted = datetime.fromisoformat(found["submitted_at"])
        code = content["conference"]["code"]
        admin, version = content["administration"], content["version"]
    except (ValueError, KeyError, TypeError):
        raise _invalid("Not an exported progress report (JSON with content, sha256 and "
                       "submitted_at)") from None
    if not (isinstance(content, dict) and isinstance(digest, str) and HEX64.match(digest)
            and isinstance(code, str) and isinstance(admin, str) and isinstance(version, int)
            and isinstance(content.get("sections"), list)):
        raise _invalid("The report's content, sha256 or version is of the wrong shape")
    wrong = shape.problem(content)
    if wrong is not None:
        raise _invalid(f"The report's content is not a progress report's: {wrong}")
    if content_hash(content) != digest:
        raise ClearwayError("CW-PROGRESS-HASH", "The report's content does not hash to its "
                            "recorded SHA-256: it was changed after approval")
    return content, digest, submitted


def keep_in(session: Session, own: str, actor: str, found: Any, now: datetime
            ) -> ProgressReportRow:
    """Keep another administration's exported report inside the caller's transaction (the
    same content twice is kept once), audited."""
    content, digest, submitted = read_export(found)
    admin, version = content["administration"], content["version"]
    conf = repo.conference(session, content["conference"]["code"])
    if conf is None or admin not in conf.administrations:
        raise _invalid(f"{admin} takes part in no conference "
                       f"{content['conference']['code']} here")
    if admin == own:
        raise _invalid("This administration's own reports are not imported")
    for row in repo.reports(session, conference=conf.code, administration=admin):
        if row.version == version:
            if row.content_hash == digest:
                return row
            raise ClearwayError("CW-PROGRESS-EXISTS", f"{admin} version {version} is here "
                                "already with another content")
    row = repo.add_report(session, ProgressReportRow(
        conference=conf.code, administration=admin, version=version, status=Status.IMPORTED,
        created_at=now, created_by=actor, submitted_at=submitted, content=content,
        content_hash=digest), {}, {}, now)
    audit.append(session, at=now, actor=actor, action="progress.imported",
                 object_type="progress_report", object_id=str(row.id),
                 detail={"administration": admin, "conference": conf.code,
                         "version": version, "sha256": digest})
    return row


def import_report(ctx: Context, user: User, data: bytes) -> ReportView:
    """Keep another administration's submitted report, read from its exported file."""
    try:
        found = json.loads(data)
    except ValueError:
        raise _invalid("The file is not JSON") from None
    with ctx.uow() as uow:
        row = keep_in(uow.session, ctx.settings.country_code, user.actor, found,
                      ctx.clock.now())
        uow.commit()
        return view_of(ctx, uow.session, row)


def _latest_shared(rows: list[ProgressReportRow]) -> dict[str, ProgressReportRow]:
    latest: dict[str, ProgressReportRow] = {}
    for row in rows:   # ordered by administration and version
        if row.status in SHARED and row.content is not None:
            latest[row.administration] = row
    return latest


def regional(ctx: Context, conference: str) -> dict[str, Any]:
    """The conference's administrations' latest submitted reports, indicator by indicator."""
    with ctx.uow(read_only=True) as uow:
        conf = find_conference(uow.session, conference)
        latest = _latest_shared(repo.reports(uow.session, conference=conf.code))
        views = {a: view_of(ctx, uow.session, r) for a, r in latest.items()}
    admins = list(conf.administrations)
    by_admin = {a: {s["key"]: s for s in v.content["sections"]} for a, v in views.items()}
    sections = []
    for section in SECTIONS:
        rows: dict[str, dict[str, Any]] = {}
        for admin in admins:
            for ind in by_admin.get(admin, {}).get(section.key, {}).get("indicators", []):
                rows.setdefault(ind["key"], {"key": ind["key"], "label": ind["label"],
                                             "unit": ind["unit"], "values": {}})
                rows[ind["key"]]["values"][admin] = ind["value"]
        sections.append({"key": section.key, "title": section.title,
                         "in_use": {a: by_admin[a][section.key]["in_use"]
                                    for a in admins if section.key in by_admin.get(a, {})},
                         "indicators": list(rows.values())})
    return {"conference": conf.code, "name": conf.name, "deadline": conf.deadline.isoformat(),
            "administrations": [{"code": a, "report": _summary(views.get(a))} for a in admins],
            "sections": sections}


def shared_report(ctx: Context, report_id: int) -> ReportView:
    """A submitted or imported report, as the region reads it (no draft of anyone's)."""
    with ctx.uow(read_only=True) as uow:
        row = find_report(uow.session, report_id)
        if row.status not in SHARED:
            raise NotFound("Submitted progress report", str(report_id))
        return view_of(ctx, uow.session, row)


def _summary(view: ReportView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    return {"id": view.id, "version": view.version, "status": view.status,
            "sha256": view.content_hash, "submitted_at": view.submitted_at,
            "late": view.timing.late}
