"""A trader changes a lodged filing: a new version (amendment, with a new risk decision that
never lowers the channel) or a cancellation before control. One unit of work each."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clearway.clearance.amending import (
    check_amendable,
    filing_to_amend,
    new_version_row,
    record_amendment,
)
from clearway.clearance.filings import Outcome, target
from clearway.clearance.licences import recheck_in, write_off_in
from clearway.clearance.moves import TELL, Notice, move
from clearway.clearance.reassessment import decide_on_amendment
from clearway.clearance.summary_changes import amend_summary
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.declarations import access
from clearway.declarations import repository as repo
from clearway.declarations.amendments import check_identity, new_version
from clearway.declarations.canonical import content_hash, lodgement_office
from clearway.declarations.formats import ParsedDocument
from clearway.declarations.formats.detect import read_document
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.model import Declaration, SummaryDeclaration
from clearway.errors import ClearwayError, DocumentInvalid, Issue, reason_required
from clearway.identity import User
from clearway.risk import repository as risk_repo
from clearway.risk import trader_summary
from clearway.risk.engine.decision import Channel


def amend(ctx: Context, mrn: str, parsed: ParsedDocument, data: bytes, user: User) -> Outcome:
    assert isinstance(parsed.doc, Declaration)
    now = ctx.clock.now()
    ref = ctx.refdata.get()
    with ctx.uow() as uow:
        session = uow.session
        row = filing_to_amend(session, mrn, user, ref, now.date())
        doc = new_version(row.document, parsed)
        check_identity(row, doc, parsed)
        access.check_amended_status(row, doc.representative_status, user, ref, now.date())
        digest = content_hash(doc)
        if row.content_hash == digest:
            return Outcome(row)
        check_amendable(row, parsed, doc, ref, now.date())
        draws = recheck_in(ctx, session, row, doc, parsed, now=now, actor=user.actor)
        trader = trader_summary.trader_of_row(row)
        new_version_row(row, parsed, doc, digest, now)
        row.additional_type, row.office = doc.additional_type, lodgement_office(doc)
        repo.replace_items_and_parties(session, row, doc)
        if trader_summary.trader_of_row(row) != trader:  # e.g. the importer was corrected
            trader_summary.refresh(session, [trader, trader_summary.trader_of_row(row)])
        write_off_in(session, row, draws, now=now)
        record_amendment(session, row, data, doc.amendment_reason, digest, user, now)
        decide_on_amendment(ctx, session, row, doc, now=now)  # never lowers the channel
        uow.commit()
        return Outcome(row)


def amend_by_key(ctx: Context, key: str, data: bytes, content_type: str | None,
                 user: User, parsed: ParsedDocument | None = None) -> Outcome:
    """PUT form of an amendment: the URL names the declaration, the body is the new version."""
    parsed = parsed or read_document(data, content_type)
    if not isinstance(parsed.doc, Declaration | SummaryDeclaration):
        raise DocumentInvalid([Issue("CW-SYN-SCHEMA", "An amendment must be a full declaration",
                                     pointer="/declaration_type")])
    with ctx.uow() as uow:
        row = target(ctx, uow.session, key, user, act=True)
        mrn = row.mrn
    if mrn is None:
        raise ClearwayError(code="CW-STATE",
                            message="A rejected filing cannot be amended; lodge it again")
    if isinstance(parsed.doc, SummaryDeclaration):
        return amend_summary(ctx, mrn, parsed, data, user)
    return amend(ctx, mrn, parsed, data, user)


def cancel(ctx: Context, key: str, reason: str | None, user: User) -> Outcome:
    if not reason or not reason.strip():
        raise reason_required("A cancellation needs a reason")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = target(ctx, uow.session, key, user, act=True)
        if row.status == S.CANCELLED:
            return Outcome(row)
        if row.status not in (S.ACCEPTED, S.RISK_ASSESSED):
            raise ClearwayError(code="CW-STATE",
                                message=f"A {row.status} declaration cannot be cancelled by the "
                                "trader")
        if row.status == S.RISK_ASSESSED and _selected_for_control(uow.session, row.id):
            # Cancelling would let selected goods escape their control: customs decide
            # (a four-eyes cancellation override, docs/four-eyes.md).
            raise ClearwayError(code="CW-CANCEL-SELECTED",
                                message="Cancellation after selection needs customs' approval; "
                                "ask the office")
        # A trader reads its own words back; customs' typed reasons may name an officer.
        told = Notice(f"{S.CANCELLED}: {reason}") if user.is_trader else TELL
        move(uow.session, row, S.CANCELLED, now=now, actor=user.actor,
             detail={"reason": reason}, notice=told)
        uow.commit()
        return Outcome(row)


def _selected_for_control(session: Session, declaration_id: int) -> bool:
    """Selected yellow or red, or holding an open control of the goods (not an audit)."""
    decision = risk_repo.get_decision(session, declaration_id)
    if decision is not None and decision.channel in (Channel.YELLOW, Channel.RED):
        return True
    return any(t.kind != "audit" for t in controls_repo.open_tasks_of(session, declaration_id))
