"""The report's steps after drafting: review, sending back, approval (which freezes the
document under its SHA-256, recorded in the audit chain in the same unit of work),
submission, and revision as a new version. Four eyes: nobody reviews a report with a section
they completed; the head of administration approves only what another reviewed and others
wrote."""

from __future__ import annotations

from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import User
from clearway.progress import content as documents
from clearway.progress import repository as repo
from clearway.progress.model import (
    Status,
    check_approver,
    check_reviewer,
    content_hash,
    require_status,
    reviewable,
)
from clearway.progress.service import ReportView, audited, find_conference, find_report, view_of
from clearway.storage.orm_progress import ProgressReportRow


def review(ctx: Context, user: User, report_id: int) -> ReportView:
    with ctx.uow() as uow:
        row = find_report(uow.session, report_id, lock=True)
        require_status(Status(row.status), Status.DRAFT)
        sections = repo.states(repo.section_rows(uow.session, report_id))
        reviewable(sections)
        check_reviewer(user.name, sections)
        row.status, row.reviewed_by, row.reviewed_at = Status.REVIEWED, user.name, ctx.clock.now()
        audited(ctx, uow.session, user, "reviewed", report_id, {})
        uow.commit()
        return view_of(ctx, uow.session, row)


def send_back(ctx: Context, user: User, report_id: int, reason: str) -> ReportView:
    """A reviewer or the head sends a reviewed report back to its owners, with a reason."""
    if not reason.strip():
        raise ClearwayError("CW-REASON-REQUIRED", "Say why the report goes back")
    with ctx.uow() as uow:
        row = find_report(uow.session, report_id, lock=True)
        require_status(Status(row.status), Status.REVIEWED)
        row.status, row.reviewed_by, row.reviewed_at = Status.DRAFT, None, None
        audited(ctx, uow.session, user, "sent_back", report_id, {"reason": reason})
        uow.commit()
        return view_of(ctx, uow.session, row)


def approve(ctx: Context, user: User, report_id: int) -> ReportView:
    """Freeze the document as it reads now; its hash goes into the audit chain."""
    with ctx.uow() as uow:
        row = find_report(uow.session, report_id, lock=True)
        require_status(Status(row.status), Status.REVIEWED)
        sections = repo.section_rows(uow.session, report_id)
        check_approver(user.name, row.reviewed_by, repo.states(sections))
        now = ctx.clock.now()
        row.status, row.approved_by, row.approved_at = Status.APPROVED, user.name, now
        conf = find_conference(uow.session, row.conference)
        frozen = documents.build(uow.session, conf, row, sections, approved_at=now)
        row.content, row.content_hash = frozen, content_hash(frozen)
        audited(ctx, uow.session, user, "approved", report_id,
               {"sha256": row.content_hash, "conference": row.conference,
                "administration": row.administration, "version": row.version})
        uow.commit()
        return view_of(ctx, uow.session, row)


def submit(ctx: Context, user: User, report_id: int) -> ReportView:
    with ctx.uow() as uow:
        row = find_report(uow.session, report_id, lock=True)
        require_status(Status(row.status), Status.APPROVED)
        row.status, row.submitted_at = Status.SUBMITTED, ctx.clock.now()
        late = row.submitted_at.date() > find_conference(uow.session, row.conference).deadline
        audited(ctx, uow.session, user, "submitted", report_id,
               {"sha256": row.content_hash, "late": late})
        uow.commit()
        return view_of(ctx, uow.session, row)


def revise(ctx: Context, user: User, report_id: int) -> ReportView:
    """A new draft version of an approved or submitted report: the same owners and
    narratives, to be completed, reviewed and approved again. The old version stays."""
    with ctx.uow() as uow:
        row = find_report(uow.session, report_id, lock=True)
        require_status(Status(row.status), Status.APPROVED, Status.SUBMITTED)
        latest = repo.latest_version(uow.session, row.conference, row.administration)
        if latest is not None and latest.id != row.id:
            raise ClearwayError("CW-PROGRESS-EXISTS",
                                f"Version {latest.version} revises it already")
        sections = repo.section_rows(uow.session, report_id)
        version = row.version + 1
        new = repo.add_report(uow.session, ProgressReportRow(
            conference=row.conference, administration=row.administration, version=version,
            status=Status.DRAFT, created_at=ctx.clock.now(), created_by=user.name),
            {k: s.owner for k, s in sections.items()},
            {k: s.narrative for k, s in sections.items()}, ctx.clock.now())
        audited(ctx, uow.session, user, "revised", new.id,
               {"revises": report_id, "version": version, "sha256_before": row.content_hash})
        uow.commit()
        return view_of(ctx, uow.session, new)
