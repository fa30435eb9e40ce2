"""What the carrier of a summary declaration (ENS, EXS) is told of its risk decision, inside
the unit of work that makes the decision: the outcome as its own notification, with what to
do; a request for information is stored as an open request at the same time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.clearance.moves import Notice
from clearway.declarations.model import SUMMARY_TYPES, SummaryDeclaration
from clearway.risk.engine.decision import Decision, EnsOutcome
from clearway.storage.orm import DeclarationRow
from clearway.summaries import repository as rfis
from clearway.summaries.model import carrier_outcome, information_requested, words

ENGINE = "risk-engine"  # the actor of the decision that asks (as `acceptance.ENGINE`)


def office_of(doc: SummaryDeclaration) -> str | None:
    """Where the carrier deals with customs: the office of first entry (ENS) or of exit
    (EXS), else the office of lodgement."""
    offices = doc.offices
    return offices.first_entry or offices.exit or offices.lodgement


def outcome_notice(session: Session, row: DeclarationRow, doc: SummaryDeclaration,
                   outcome: EnsOutcome, *, now: datetime,
                   decision: Decision | None = None) -> Notice:
    """The carrier's notice of `outcome`; for a request for information, the request is
    opened (asking what the decision's hits call for)."""
    asked: list[str] = []
    if outcome == EnsOutcome.RFI:
        asked = information_requested(decision.hits if decision is not None else ())
        rfis.open_rfi(session, row, asked, now)
        audit.append(session, at=now, actor=ENGINE, action="summary.rfi_asked",
                     object_type="declaration", object_id=row.mrn or str(row.id),
                     detail={"version": row.version, "asked": asked})
    told = words(outcome, doc_type=row.declaration_type, mrn=row.mrn, office=office_of(doc),
                 asked=asked)
    return Notice(told.message, told.extra, kind=told.kind)


def cleared_notice(row: DeclarationRow) -> Notice | None:
    """The carrier's "no risk identified" once customs release an ENS/EXS after its control
    (None for any other filing, whose release says so in its own words)."""
    if row.declaration_type not in SUMMARY_TYPES:
        return None
    offices = (row.document or {}).get("offices") or {}
    office = offices.get("first_entry") or offices.get("exit") or offices.get("lodgement")
    told = words(EnsOutcome.NO_RISK, doc_type=row.declaration_type, mrn=row.mrn, office=office)
    return Notice(told.message, told.extra, kind=told.kind)


def decided_notice(session: Session, row: DeclarationRow, doc: SummaryDeclaration,
                   decision: Decision, *, now: datetime) -> Notice:
    """The notice of a fresh risk decision on a summary declaration."""
    return outcome_notice(session, row, doc, carrier_outcome(decision.ens_outcome,
                                                             decision.channel),
                          now=now, decision=decision)
