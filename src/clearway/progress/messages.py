"""A submitted report sent to a partner administration as a signed exchange message
("progress-report", purpose "progress-report": docs/exchange.md), and one received: the
exchange checks the signature and the agreement, this keeps the report as imported in the
same transaction, after checking that it is the sender's own and hashes to its SHA-256."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.config import Settings
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.exchange import outbox, signing
from clearway.exchange import repository as exchange_repo
from clearway.exchange.inbound import Incoming
from clearway.exchange.model import Agreement, ExchangeRefused
from clearway.identity import User
from clearway.progress import regional
from clearway.progress.service import find_conference

ACTION = PURPOSE = "progress-report"


def _agreement_for(session: Session, me: str, partner: str, ctx: Context) -> Agreement:
    for found in exchange_repo.agreements(session):
        if (found.binds(me, partner) and found.valid_on(ctx.clock.now().date())
                and ACTION in found.message_types and PURPOSE in found.purposes):
            return found
    raise ExchangeRefused("CW-EXCH-AGREEMENT-MISSING", f"No agreement with {partner} "
                          f"allows {ACTION} for {PURPOSE}: nothing was sent")


def send_report(ctx: Context, user: User, report_id: int, to: str) -> str:
    """Put a submitted report in the outbox for `to`, a participant of its conference."""
    exported = regional.export(ctx, report_id)
    me, now = ctx.settings.country_code, ctx.clock.now()
    with ctx.uow() as uow:
        conf = find_conference(uow.session, exported["content"]["conference"]["code"])
        if to == me or to not in conf.administrations:
            raise ClearwayError("CW-PROGRESS-IMPORT", f"{to} is not another participant "
                                f"of {conf.code}")
        agreement = _agreement_for(uow.session, me, to, ctx)
        message_id = outbox.send_in(uow.session, ctx.settings,
                                    signing.exchange_key(ctx.settings), to=to, action=ACTION,
                                    purpose=PURPOSE, agreement_id=agreement.id,
                                    payload=exported, now=now)
        audit.append(uow.session, at=now, actor=user.actor, action="progress.sent",
                     object_type="progress_report", object_id=str(report_id),
                     detail={"to": to, "message_id": message_id,
                             "sha256": exported["sha256"], "agreement": agreement.id})
        uow.commit()
    return message_id


def receive_report(session: Session, settings: Settings, message: Incoming) -> None:
    """A partner's submitted report: kept as imported, or refused (nothing stored)."""
    sender = message.envelope.from_party
    content = message.payload.get("content")
    if not isinstance(content, dict) or content.get("administration") != sender:
        raise ExchangeRefused("CW-EXCH-PAYLOAD", f"The report is not {sender}'s own")
    try:
        regional.keep_in(session, settings.country_code, f"partner:{sender}",
                         message.payload, message.received_at)
    except ClearwayError as exc:
        raise ExchangeRefused("CW-EXCH-PAYLOAD", f"{exc.code}: {exc.message}") from None
