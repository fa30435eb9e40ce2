"""A trader's filing enters the life cycle: lodged, then accepted (with its risk decision in the
same transaction) or rejected with coded errors, stored once either way.

Each use case opens one unit of work and commits it whole: the declaration, its events, its
notification, its audit entry and its risk decision land together or not at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from clearway.clearance.acceptance import decide_on_acceptance
from clearway.clearance.changes import amend, cancel
from clearway.clearance.early import Early, assess_early
from clearway.clearance.filings import Outcome, point
from clearway.clearance.licences import check_in, write_off_in
from clearway.clearance.moves import Batch, Notice, move
from clearway.clearance.summary_changes import amend_summary
from clearway.context import Context
from clearway.declarations import access
from clearway.declarations import repository as repo
from clearway.declarations.canonical import canonical_dict, content_hash, lodgement_office
from clearway.declarations.formats import ParsedDocument
from clearway.declarations.formats.detect import read_document
from clearway.declarations.lifecycle import DeclarationStatus
from clearway.declarations.model import CancellationRequest, Declaration, SummaryDeclaration
from clearway.declarations.mrn import make_mrn
from clearway.declarations.validation import validate
from clearway.errors import Conflict, DocumentInvalid, Issue
from clearway.identity import User
from clearway.risk import trader_summary
from clearway.storage.orm import DeclarationRow

S = DeclarationStatus


@dataclass(frozen=True)
class Checked:
    """What is settled about a filing before its unit of work, from the document, the
    reference data and the committed trader record alone: who lodges it, its validation on
    `day` and, for a valid declaration or ENS, the early risk assessment (`assess_early`)."""

    submitter: str
    day: date
    issues: list[Issue]
    early: Early | None
    # When the filing reached us, before it was read: the lodged event's time, so that the
    # release-time report's validation step measures reading, checking and waiting.
    received_at: datetime | None = None


def prepare(ctx: Context, data: bytes, content_type: str | None,
            user: User) -> tuple[ParsedDocument, Checked | None]:
    """The CPU work of a submission, for a worker thread (`api.declarations`: never on the
    event loop, where SQLite writes run): read the document and check it (None for an
    amendment, which is checked in its own use case)."""
    received_at = ctx.clock.now()
    parsed = read_document(data, content_type)
    doc = parsed.doc
    if isinstance(doc, Declaration | SummaryDeclaration) and doc.amends_mrn:
        return parsed, None
    return parsed, check(ctx, parsed, user, received_at)


def check(ctx: Context, parsed: ParsedDocument, user: User,
          received_at: datetime | None = None) -> Checked:
    received_at = received_at or ctx.clock.now()
    doc = parsed.doc
    if not doc.declarant.id:
        raise DocumentInvalid(point(parsed, [Issue("CW-RULE-REQUIRED", "The declarant's "
                              "EORI is required", "DE 3/18", "/declarant/id")]))
    # Who lodges is settled first, from the document and the reference data alone: a
    # stranger's answer must not depend on the declarant's filings (LRN taken or not).
    ref, day = ctx.refdata.get(), ctx.clock.now().date()
    submitter = access.submitter(doc, user, ref, day)
    if isinstance(doc, CancellationRequest):
        return Checked(submitter, day, [], None, received_at)
    # Validation needs no database; the assessment reads one committed row: both run before
    # the unit of work, which stays short (the assessment is checked again inside it).
    issues = point(parsed, validate(doc, ref, day))
    early = None if issues or not isinstance(doc, Declaration | SummaryDeclaration) \
        else assess_early(ctx, doc, day)
    return Checked(submitter, day, issues, early, received_at)


def submit(ctx: Context, data: bytes, content_type: str | None, user: User,
           parsed: ParsedDocument | None = None, checked: Checked | None = None) -> Outcome:
    """Lodge a filing (or amend or cancel one). `parsed` and `checked`: done already, in a
    worker thread (`prepare`)."""
    received_at = ctx.clock.now()
    parsed = parsed or read_document(data, content_type)
    doc = parsed.doc
    if isinstance(doc, SummaryDeclaration) and doc.amends_mrn:
        return amend_summary(ctx, doc.amends_mrn, parsed, data, user)
    if isinstance(doc, Declaration) and doc.amends_mrn:
        return amend(ctx, doc.amends_mrn, parsed, data, user)
    checked = checked or check(ctx, parsed, user, received_at)
    if isinstance(doc, CancellationRequest):
        return cancel(ctx, doc.mrn, doc.reason, user)
    # Concurrent lodgings of one LRN are settled by the INSERT ... ON CONFLICT in _lodge.
    return _lodge(ctx, parsed, data, checked, user)


def _retry_or_conflict(existing: DeclarationRow, digest: str, lrn: str) -> Outcome:
    if existing.content_hash == digest:
        return Outcome(existing)
    raise Conflict("CW-LRN-CONFLICT", f"LRN {lrn!r} is already used by this declarant for a "
                   "different document; use a new LRN or amend the declaration")


def _lodge(ctx: Context, parsed: ParsedDocument, data: bytes, checked: Checked,
           user: User) -> Outcome:
    doc = parsed.doc
    assert doc.declarant.id is not None
    digest = content_hash(doc)
    now = ctx.clock.now()
    if checked.day != now.date():  # checked just before midnight: check on today's data
        checked = check(ctx, parsed, user, checked.received_at)
    issues, early, submitter = checked.issues, checked.early, checked.submitter
    lodged_at = min(checked.received_at or now, now)
    with ctx.uow() as uow:
        session = uow.session
        # The licence register answers under its lines' locks (clearance/licences.py).
        draws, refused = ([], []) if issues else check_in(ctx, session, doc, now.date())
        issues = issues or point(parsed, refused)
        if issues:  # an identical rejection answers as stored, even under concurrency
            repo.lock_rejected_lrn(session, doc.declarant.id, doc.lrn)
            existing = repo.find_active_by_lrn(session, doc.declarant.id, doc.lrn)
            if existing is not None:
                return _retry_or_conflict(existing, digest, doc.lrn)
            prior = repo.find_rejected_by_hash(session, doc.declarant.id, doc.lrn, digest)
            if prior is not None:
                return Outcome(prior, errors=[Issue(**e) for e in prior.errors])
        row = repo.add(session, dict(
            mrn=None, lrn=doc.lrn, declarant_id=doc.declarant.id, submitted_by=submitter,
            declaration_type=doc.declaration_type,
            additional_type=getattr(doc, "additional_type", None),
            status=S.REJECTED if issues else S.ACCEPTED, version=1, format=parsed.format,
            content_hash=digest, office=lodgement_office(doc),
            item_count=len(getattr(doc, "items", [])), document=canonical_dict(doc),
            envelope=parsed.envelope, errors=[i.as_dict() for i in issues], created_at=now,
            updated_at=now), doc)
        if row is None:  # the LRN is taken: an identical retry, or a conflict
            existing = repo.find_active_by_lrn(session, doc.declarant.id, doc.lrn)
            assert existing is not None
            return _retry_or_conflict(existing, digest, doc.lrn)
        if issues:
            _reject(session, row, issues, user, now=now, digest=digest, lodged_at=lodged_at)
        else:
            _accept(ctx, session, row, parsed, data, user, now=now, digest=digest, early=early,
                    lodged_at=lodged_at)
            write_off_in(session, row, draws, now=now)
        uow.commit()
        return Outcome(row, created=not issues, errors=issues)


def _lodged_event(row: DeclarationRow, user: User, now: datetime) -> dict[str, object]:
    return repo.event(row, at=now, kind="lodged", from_status=None, to_status=S.LODGED,
                      actor=user.actor)


def _reject(session: Session, row: DeclarationRow, issues: list[Issue], user: User, *,
            now: datetime, digest: str, lodged_at: datetime) -> None:
    batch = Batch(events=[_lodged_event(row, user, lodged_at)])
    move(session, row, S.REJECTED, now=now, actor=user.actor, event_actor="system",
         lodged=True, batch=batch, detail={"errors": len(issues)},
         notice=Notice(errors=issues),
         audit_detail={"lrn": row.lrn, "errors": [i.code for i in issues], "hash": digest})
    batch.write(session, row)


def _accept(ctx: Context, session: Session, row: DeclarationRow, parsed: ParsedDocument,
            data: bytes, user: User, *, now: datetime, digest: str,
            early: Early | None = None, lodged_at: datetime | None = None) -> None:
    doc = parsed.doc
    # The MRN and every status of this use case reach the row in one update (`Batch.write`).
    row.mrn = make_mrn(year=now.year, country=ctx.settings.country_code, serial=row.id,
                       kind=doc.declaration_type)
    repo.add_version(session, row, data, now)
    batch = Batch(state=True, events=[_lodged_event(row, user, lodged_at or now)])
    move(session, row, S.ACCEPTED, now=now, actor=user.actor, event_actor="system",
         lodged=True, batch=batch, detail={"mrn": row.mrn},
         audit_detail={"lrn": row.lrn, "hash": digest, "format": row.format,
                       "raw_sha256": hashlib.sha256(data).hexdigest()})
    # The risk decision belongs to the acceptance: same transaction, or neither.
    if isinstance(doc, Declaration | SummaryDeclaration):
        decide_on_acceptance(ctx, session, row, doc, now=now, early=early, batch=batch)
    batch.write(session, row)
    trader_summary.add_declaration(session, row)  # after the decision read the record
