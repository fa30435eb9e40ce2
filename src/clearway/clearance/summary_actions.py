"""What is done to a summary declaration (ENS, EXS) after its outcome: the carrier answers a
request for information in words, and a security risk officer clears a do-not-load or
high-risk-screening result. One unit of work each, audited, the carrier notified."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.clearance.filings import target
from clearway.clearance.moves import move
from clearway.clearance.summary_outcomes import outcome_notice
from clearway.context import Context
from clearway.controls.tasks import close_open_tasks
from clearway.declarations import repository as decl_repo
from clearway.declarations.formats.json_reader import to_document
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.model import SUMMARY_TYPES, SummaryDeclaration
from clearway.errors import ClearwayError, Conflict, Forbidden, NotFound
from clearway.identity import Permission, User, refusal
from clearway.notifications.service import notify
from clearway.overrides.model import MAX_REASON_LENGTH, MIN_REASON_LENGTH
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Channel, EnsOutcome
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_summaries import RfiRow
from clearway.summaries import repository as rfis
from clearway.summaries.model import (
    HELD,
    AnsweredBy,
    answer_text,
    carrier_outcome,
    check_clearance,
)

RFI_ANSWERED = ("Your answer to the request for information is received. Customs complete "
                "the assessment: do not load until you are told the outcome.")
# A result left this way is final for the goods waiting: nothing to clear once they moved on.
CLEARABLE_STATUSES = frozenset({S.RISK_ASSESSED, S.UNDER_CONTROL})


def summary_doc(row: DeclarationRow) -> SummaryDeclaration:
    """The stored ENS/EXS (NotFound for any other filing)."""
    doc = to_document(row.document)
    if not isinstance(doc, SummaryDeclaration):
        raise NotFound("Summary declaration", row.mrn or str(row.id))
    return doc


def answer_rfi(ctx: Context, key: str, text: str | None, user: User) -> RfiRow:
    """The carrier answers the open request for information in words: the answer is stored,
    the request closed; the officer completes the assessment (the control stays open)."""
    answer = answer_text(text)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        session = uow.session
        row = target(ctx, session, key, user, act=True)
        rfi = rfis.open_of(session, row.id, lock=True)
        if rfi is None:
            raise Conflict("CW-RFI-NOT-OPEN", f"{row.declaration_type} {row.mrn} has no "
                           "open request for information")
        rfis.answer(rfi, by=AnsweredBy.TEXT, at=now, actor=user.actor, text=answer)
        decl_repo.add_event(session, row, at=now, kind="rfi_answered", from_status=row.status,
                            actor=user.actor, detail={"rfi": rfi.id, "by": "text"})
        notify(session, row, kind="rfi_answered", at=now, message=RFI_ANSWERED)
        audit.append(session, at=now, actor=user.actor, action="summary.rfi_answered",
                     object_type="declaration", object_id=row.mrn or str(row.id),
                     detail={"rfi": rfi.id, "by": "text", "chars": len(answer)})
        uow.commit()
        return rfi


def _reason(text: str | None) -> str:
    stripped = (text or "").strip()
    if not MIN_REASON_LENGTH <= len(stripped) <= MAX_REASON_LENGTH:
        raise ClearwayError(code="CW-SECURITY-REASON", message="A security clearance needs a "
                            f"reason of {MIN_REASON_LENGTH} to {MAX_REASON_LENGTH} characters")
    return stripped


def clear_security_result(ctx: Context, key: str, to: EnsOutcome | str, reason: str | None,
                          user: User) -> EnsOutcome:
    """A security risk officer lowers a held result (do not load, high-risk screening) to
    `to` with a reason: the decision keeps who, when and why; the carrier is told the new
    outcome (never the reason); cleared to no risk, the open controls end and the goods are
    released. Returns the outcome the carrier now holds."""
    if not user.may(Permission.CLEAR_SECURITY_RESULT):
        raise Forbidden(refusal(user.role, Permission.CLEAR_SECURITY_RESULT))
    text = _reason(reason)
    wanted = EnsOutcome(to)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        session = uow.session
        row = target(ctx, session, key, user)
        decision = risk_repo.get_decision(session, row.id)
        held = None if decision is None or row.declaration_type not in SUMMARY_TYPES \
            else carrier_outcome(decision.ens_outcome, decision.channel)
        if decision is None or held not in HELD or row.status not in CLEARABLE_STATUSES:
            raise Conflict("CW-SECURITY-CLEAR", f"{row.mrn or key} holds no do-not-load or "
                           "high-risk-screening result that waits to be cleared")
        assert held is not None
        check_clearance(held, wanted)
        channel = Channel.GREEN if wanted == EnsOutcome.NO_RISK else Channel(decision.channel)
        record = {"from": str(held), "to": str(wanted), "reason": text, "by": user.name,
                  "by_id": user.id, "at": now.isoformat()}
        decision.channel, decision.ens_outcome = str(channel), str(wanted)
        decision.decision = {**decision.decision, "channel": str(channel),
                             "ens_outcome": str(wanted), "security_clearance": record}
        audit.append(session, at=now, actor=user.actor, action="summary.security_cleared",
                     object_type="declaration", object_id=row.mrn or str(row.id),
                     detail={k: v for k, v in record.items() if k != "at"})
        _tell(ctx, session, row, wanted, user, now)
        uow.commit()
        return wanted


def _tell(ctx: Context, session: Session, row: DeclarationRow, outcome: EnsOutcome,
          user: User, now: datetime) -> None:
    notice = outcome_notice(session, row, summary_doc(row), outcome, now=now)
    decl_repo.add_event(session, row, at=now, kind="outcome", from_status=row.status,
                        actor=user.actor, detail={"outcome": str(outcome), "cleared": True})
    if outcome == EnsOutcome.NO_RISK:
        close_open_tasks(session, declaration_id=row.id, status="waived", now=now,
                         actor=user.actor, reason="security result cleared by a security "
                         "risk officer")
        move(session, row, S.RELEASED, now=now, actor=user.actor,
             detail={"outcome": str(outcome)}, notice=notice)
    else:
        notify(session, row, kind=notice.kind or "outcome", at=now, message=notice.message,
               extra=notice.extra)
