"""Use cases of the progress report: conferences, a report per administration and
conference, its sections written by their owners, review, approval by the head of
administration (four eyes), freezing under a SHA-256 recorded in the audit chain, submission,
and revision as a new version. Every change is audited in the same unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import PERMISSIONS, Permission, Role, User
from clearway.progress import content as documents
from clearway.progress import repository as repo
from clearway.progress.model import (
    BY_KEY,
    Conference,
    Status,
    Timing,
    check_conference,
    require_status,
    timing,
)
from clearway.storage.orm_progress import ProgressReportRow


@dataclass(frozen=True)
class ReportView:
    id: int
    conference: Conference
    administration: str
    version: int
    status: str
    created_by: str
    timing: Timing
    content: dict[str, Any]
    content_hash: str | None
    submitted_at: str | None


def audited(ctx: Context, session: Session, user: User, action: str, report_id: int | str,
           detail: dict[str, Any]) -> None:
    audit.append(session, at=ctx.clock.now(), actor=user.actor, action=f"progress.{action}",
                 object_type="progress_report", object_id=str(report_id), detail=detail)


def create_conference(ctx: Context, user: User, found: Conference) -> Conference:
    check_conference(found)
    with ctx.uow() as uow:
        if repo.conference(uow.session, found.code) is not None:
            raise ClearwayError("CW-PROGRESS-EXISTS", f"Conference {found.code} exists already")
        repo.add_conference(uow.session, found, ctx.clock.now(), user.actor)
        audit.append(uow.session, at=ctx.clock.now(), actor=user.actor,
                     action="progress.conference_created", object_type="conference",
                     object_id=found.code, detail={
                         "held_on": found.held_on.isoformat(),
                         "deadline": found.deadline.isoformat(),
                         "administrations": list(found.administrations)})
        uow.commit()
    return found


def default_start(ctx: Context, held_on: date, lead_months: int) -> date:
    """A new conference's period starts at the deadline of the conference before it."""
    with ctx.uow(read_only=True) as uow:
        earlier = [c for c in repo.conferences(uow.session) if c.held_on < held_on]
    if earlier:
        return earlier[-1].deadline
    probe = Conference("", "", held_on, (), held_on, lead_months)
    return date(probe.deadline.year - 1, probe.deadline.month, 1)


def conferences(ctx: Context) -> list[Conference]:
    with ctx.uow(read_only=True) as uow:
        return repo.conferences(uow.session)


def find_conference(session: Session, code: str) -> Conference:
    found = repo.conference(session, code)
    if found is None:
        raise NotFound("Conference", code)
    return found


def find_report(session: Session, report_id: int, *, lock: bool = False) -> ProgressReportRow:
    row = repo.report_row(session, report_id, lock=lock)
    if row is None:
        raise NotFound("Progress report", str(report_id))
    return row


def view_of(ctx: Context, session: Session, row: ProgressReportRow) -> ReportView:
    conf = find_conference(session, row.conference)
    submitted = row.submitted_at.date() if row.submitted_at else None
    return ReportView(row.id, conf, row.administration, row.version, row.status,
                      row.created_by, timing(conf, ctx.clock.now().date(), submitted),
                      documents.document(session, conf, row), row.content_hash,
                      row.submitted_at.isoformat() if row.submitted_at else None)


def create_report(ctx: Context, user: User, conference: str,
                  owners: dict[str, str] | None = None) -> ReportView:
    """This administration's report for `conference` (version 1), every section owned by
    the one named in `owners` or else by its author."""
    code = ctx.settings.country_code
    with ctx.uow() as uow:
        conf = find_conference(uow.session, conference)
        if code not in conf.administrations:
            raise ClearwayError("CW-PROGRESS-CONFERENCE",
                                f"{code} does not take part in {conf.code}")
        if repo.latest_version(uow.session, conf.code, code) is not None:
            raise ClearwayError("CW-PROGRESS-EXISTS", f"{code} has a report for {conf.code}: "
                                "open it, or revise it as a new version")
        for owner in set((owners or {}).values()):
            _check_owner(uow.session, owner)
        named = {k: (owners or {}).get(k) or user.name for k in BY_KEY}
        row = repo.add_report(uow.session, ProgressReportRow(
            conference=conf.code, administration=code, version=1, status=Status.DRAFT,
            created_at=ctx.clock.now(), created_by=user.name), named, {}, ctx.clock.now())
        audited(ctx, uow.session, user, "created", row.id,
               {"conference": conf.code, "version": 1, "owners": named})
        uow.commit()
        return view_of(ctx, uow.session, row)


def _check_owner(session: Session, owner: str) -> None:
    role = repo.user_role(session, owner)
    if role is None or Role(role) not in PERMISSIONS[Permission.WRITE_PROGRESS]:
        raise ClearwayError("CW-PROGRESS-OWNER", f"{owner} is no manager who may write a "
                            "section")


def get_report(ctx: Context, report_id: int) -> ReportView:
    with ctx.uow(read_only=True) as uow:
        return view_of(ctx, uow.session, find_report(uow.session, report_id))


def list_reports(ctx: Context, conference: str | None = None) -> list[ReportView]:
    with ctx.uow(read_only=True) as uow:
        rows = repo.reports(uow.session, conference=conference,
                            administration=ctx.settings.country_code)
        return [view_of(ctx, uow.session, r) for r in rows]


def _section_key(section: str) -> str:
    if section not in BY_KEY:
        raise NotFound("Report section", section)
    return section


def set_owner(ctx: Context, user: User, report_id: int, section: str, owner: str) -> None:
    """The report's author or the head of administration names a section's owner."""
    key = _section_key(section)
    with ctx.uow() as uow:
        row = find_report(uow.session, report_id, lock=True)
        require_status(Status(row.status), Status.DRAFT)
        if user.name != row.created_by and user.role != Role.HEAD_OF_ADMINISTRATION:
            raise ClearwayError("CW-PROGRESS-OWNER", "Only the report's author or the head "
                                "of administration names the sections' owners")
        _check_owner(uow.session, owner)
        sec = repo.section_rows(uow.session, report_id, lock=True)[key]
        sec.owner, sec.completed_by, sec.completed_at = owner, None, None
        sec.updated_at = ctx.clock.now()
        audited(ctx, uow.session, user, "owner_named", report_id, {"section": key,
                                                                  "owner": owner})
        uow.commit()


def write_section(ctx: Context, user: User, report_id: int, section: str, narrative: str,
                  complete: bool) -> ReportView:
    """The owner writes the narrative; `complete` marks it done (writing reopens it)."""
    key = _section_key(section)
    with ctx.uow() as uow:
        row = find_report(uow.session, report_id, lock=True)
        require_status(Status(row.status), Status.DRAFT)
        sec = repo.section_rows(uow.session, report_id, lock=True)[key]
        if sec.owner != user.name:
            raise ClearwayError("CW-PROGRESS-OWNER",
                                f"The section is {sec.owner or 'nobody'}'s to write")
        if complete and not narrative.strip():
            raise ClearwayError("CW-PROGRESS-INCOMPLETE", "Write the narrative first")
        sec.narrative, sec.updated_at = narrative, ctx.clock.now()
        sec.completed_by = user.name if complete else None
        sec.completed_at = ctx.clock.now() if complete else None
        audited(ctx, uow.session, user, "section_written", report_id,
               {"section": key, "complete": complete, "chars": len(narrative)})
        uow.commit()
        return view_of(ctx, uow.session, row)


def _waiting_on(session: Session, row: ProgressReportRow | None) -> list[str]:
    """Whom a reminder goes to: the owners of unfinished sections, else the reviewer's or
    the head's step."""
    if row is None:
        return ["head of administration (no report yet)"]
    if row.status == Status.DRAFT:
        return sorted({s.owner or "unassigned" for s in repo.states(
            repo.section_rows(session, row.id)) if not s.completed_by})
    return {Status.REVIEWED: ["head of administration (approval)"],
            Status.APPROVED: ["head of administration (submission)"]}.get(Status(row.status), [])


def due_reminders(ctx: Context) -> list[dict[str, Any]]:
    """This administration's conferences whose reminder has fallen or whose deadline has
    passed, and whose report is not submitted yet (computed from the clock, on each read)."""
    today, code = ctx.clock.now().date(), ctx.settings.country_code
    out = []
    with ctx.uow(read_only=True) as uow:
        for conf in repo.conferences(uow.session):
            if code not in conf.administrations or conf.held_on < today:
                continue
            row = repo.latest_version(uow.session, conf.code, code)
            sent = row.submitted_at.date() if row and row.submitted_at else None
            t = timing(conf, today, sent)
            if sent is None and (t.due or t.late):
                out.append({"conference": conf.code, "deadline": t.deadline.isoformat(),
                            "days_left": t.days_left, "late": t.late,
                            "reminder": t.due.on.isoformat() if t.due else None,
                            "report": row.id if row else None,
                            "status": row.status if row else None,
                            "waiting_on": _waiting_on(uow.session, row)})
    return out
