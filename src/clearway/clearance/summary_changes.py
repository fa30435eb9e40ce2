"""An amended summary declaration (ENS, EXS): a new version, assessed again, that answers the
open request for information, if any. One unit of work.

Unlike a full declaration's amendment (`changes.amend`, which never lowers a channel), the
amendment of a summary may lower a request for information: asking for data and getting it is
the loop the RFI exists for (ICS2). A held result (do not load, high-risk screening) is never
lowered this way: only a security risk officer clears it (`summary_security`); a stricter
outcome raises the selection as at acceptance.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.clearance.acceptance import (
    ENGINE,
    assess_and_select,
    decide_on_acceptance,
    decision_summary,
    open_control,
)
from clearway.clearance.amending import (
    check_amendable,
    filing_to_amend,
    new_version_row,
    record_amendment,
)
from clearway.clearance.filings import Outcome
from clearway.clearance.moves import move
from clearway.clearance.summary_outcomes import outcome_notice
from clearway.context import Context
from clearway.controls.tasks import close_open_tasks
from clearway.declarations import repository as repo
from clearway.declarations.amendments import check_identity
from clearway.declarations.canonical import content_hash, lodgement_office
from clearway.declarations.formats import ParsedDocument
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.model import SummaryDeclaration
from clearway.identity import User
from clearway.notifications.service import notify
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Channel, Decision, EnsOutcome
from clearway.storage.orm import DeclarationRow
from clearway.summaries import repository as rfis
from clearway.summaries.model import HELD, AnsweredBy, carrier_outcome


def amend_summary(ctx: Context, mrn: str, parsed: ParsedDocument, data: bytes,
                  user: User) -> Outcome:
    """The carrier's amended ENS/EXS (function code 13, `amends_mrn`): stored as a new
    version, validated, assessed again (`reassess_summary`)."""
    doc = parsed.doc
    assert isinstance(doc, SummaryDeclaration)
    now = ctx.clock.now()
    ref = ctx.refdata.get()
    with ctx.uow() as uow:
        session = uow.session
        row = filing_to_amend(session, mrn, user, ref, now.date())
        check_identity(row, doc, parsed)
        digest = content_hash(doc)
        if row.content_hash == digest:
            return Outcome(row)
        check_amendable(row, parsed, doc, ref, now.date())
        new_version_row(row, parsed, doc, digest, now)
        row.office = lodgement_office(doc)
        repo.replace_items_and_parties(session, row, doc)
        record_amendment(session, row, data, doc.amendment_reason, digest, user, now)
        reassess_summary(ctx, session, row, doc, now=now, actor=user.actor)
        uow.commit()
        return Outcome(row)


def reassess_summary(ctx: Context, session: Session, row: DeclarationRow,
                     doc: SummaryDeclaration, *, now: datetime, actor: str) -> EnsOutcome:
    """Assess the amended summary, close its open RFI as answered, and tell the carrier the
    outcome that now holds (see the module's rule). Returns that outcome."""
    current = risk_repo.get_decision(session, row.id)
    if current is None:  # never decided: decide as at acceptance
        decided = decide_on_acceptance(ctx, session, row, doc, now=now)
        return carrier_outcome(decided.ens_outcome, decided.channel)
    day = now.date()
    fresh, office, cap = assess_and_select(ctx, session, row, doc, day)
    before = Channel(current.channel)
    held = carrier_outcome(current.ens_outcome, before)
    new = carrier_outcome(fresh.ens_outcome, fresh.channel)
    stored, outcome = fresh, new
    if held in HELD and new.rank < held.rank:  # only a security officer lowers it
        stored, outcome = replace(fresh, channel=before, ens_outcome=held), held
    risk_repo.save_decision(session, row.id, stored, at=now, office=office, day=day)
    audit.append(session, at=now, actor=ENGINE, action="declaration.risk_reassessed",
                 object_type="declaration", object_id=row.mrn or str(row.id),
                 detail={**decision_summary(stored), "version": row.version,
                         "engine_outcome": str(new), "previous_outcome": str(held),
                         "outcome": str(outcome)})
    rfi = rfis.open_of(session, row.id, lock=True)
    if rfi is not None:
        rfis.answer(rfi, by=AnsweredBy.AMENDMENT, at=now, actor=actor, version=row.version,
                    outcome_after=str(outcome))
        audit.append(session, at=now, actor=actor, action="summary.rfi_answered",
                     object_type="declaration", object_id=row.mrn or str(row.id),
                     detail={"rfi": rfi.id, "by": "amendment", "version": row.version,
                             "outcome": str(outcome)})
    if stored.channel.rank > before.rank:
        risk_repo.record_use(session, office, day, stored.channel, cap)
    _carry_out(ctx, session, row, doc, stored, before, outcome, now=now)
    return outcome


def _carry_out(ctx: Context, session: Session, row: DeclarationRow, doc: SummaryDeclaration,
               stored: Decision, before: Channel, outcome: EnsOutcome, *,
               now: datetime) -> None:
    """The controls and the carrier's notice of the outcome that now holds."""
    notice = outcome_notice(session, row, doc, outcome, now=now, decision=stored)
    channel = stored.channel
    if channel.rank < before.rank:  # the RFI answered: its documentary check is moot
        close_open_tasks(session, declaration_id=row.id, status="cancelled", now=now,
                         actor=ENGINE, reason="request for information answered by an "
                         f"amendment (version {row.version})")
    elif channel.rank > before.rank:
        if before != Channel.GREEN:
            close_open_tasks(session, declaration_id=row.id, status="cancelled", now=now,
                             actor=ENGINE, reason="superseded by the decision on amendment "
                             f"(version {row.version})")
        open_control(ctx, session, row, stored, now=now)
    repo.add_event(session, row, at=now, kind="outcome", from_status=row.status, actor=ENGINE,
                   detail={"outcome": str(outcome), "version": row.version})
    releasing = (channel in (Channel.GREEN, Channel.BLUE) and ctx.settings.auto_release
                 and row.status in (S.RISK_ASSESSED, S.UNDER_CONTROL))
    if releasing:
        move(session, row, S.RELEASED, now=now, actor=ENGINE, detail={"outcome": str(outcome)},
             notice=notice)
    else:
        notify(session, row, kind=notice.kind or "outcome", at=now, message=notice.message,
               extra=notice.extra)
