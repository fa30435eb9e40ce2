"""The steps every amendment shares, a declaration's (`changes.amend`) and a carrier's ENS or
EXS (`summary_changes.amend_summary`): the filing to amend, found and locked for its filer;
what may still be amended; and the new version stored with its event, notice and audit
entry. What is decided again afterwards is each caller's own."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.clearance.filings import point, visible
from clearway.declarations import access
from clearway.declarations import repository as repo
from clearway.declarations.canonical import canonical_dict
from clearway.declarations.formats import ParsedDocument
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.model import Declaration, SummaryDeclaration
from clearway.declarations.validation import validate
from clearway.errors import ClearwayError, DocumentInvalid
from clearway.identity import User
from clearway.notifications.service import notify
from clearway.refdata.model import RefDataSnapshot
from clearway.storage.orm import DeclarationRow

AMENDABLE = (S.ACCEPTED, S.RISK_ASSESSED, S.UNDER_CONTROL)


def filing_to_amend(session: Session, mrn: str, user: User, ref: RefDataSnapshot,
                    day: date) -> DeclarationRow:
    """The filing `mrn`, locked, if `user` may amend it (else CW-AMEND-NOT-FOUND)."""
    row = repo.get(session, mrn, for_update=True)
    if row is None or not visible(session, row, user):
        raise ClearwayError(code="CW-AMEND-NOT-FOUND",
                            message=f"No declaration {mrn} of yours to amend")
    access.check_actor(row, user, ref, day)
    return row


def check_amendable(row: DeclarationRow, parsed: ParsedDocument,
                    doc: Declaration | SummaryDeclaration, ref: RefDataSnapshot,
                    day: date) -> None:
    """Refused unless the filing is still open to amendment and the new version is valid."""
    if row.status not in AMENDABLE:
        raise ClearwayError(code="CW-STATE",
                            message=f"A {row.status} declaration can no longer be amended")
    issues = point(parsed, validate(doc, ref, day))
    if issues:
        raise DocumentInvalid(issues, "The amendment has errors; the declaration is unchanged")


def new_version_row(row: DeclarationRow, parsed: ParsedDocument,
                    doc: Declaration | SummaryDeclaration, digest: str, now: datetime) -> None:
    """The row takes the amended document as its next version."""
    row.version += 1
    row.document, row.content_hash, row.updated_at = canonical_dict(doc), digest, now
    row.item_count = len(doc.items) or row.item_count
    row.format, row.envelope = parsed.format, parsed.envelope


def record_amendment(session: Session, row: DeclarationRow, data: bytes, reason: str | None,
                     digest: str, user: User, now: datetime) -> None:
    """The stored version, the event, the trader's notice and the audit entry."""
    repo.add_version(session, row, data, now)
    # A new version, not a new status: the event, notice and audit entry of an amendment.
    repo.add_event(session, row, at=now, kind="amended", from_status=row.status,
                   actor=user.actor, detail={"version": row.version, "reason": reason})
    notify(session, row, kind="amended", at=now)
    audit.append(session, at=now, actor=user.actor, action="declaration.amended",
                 object_type="declaration", object_id=str(row.mrn),
                 detail={"version": row.version, "hash": digest,
                         "raw_sha256": hashlib.sha256(data).hexdigest()})
