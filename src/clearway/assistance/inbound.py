"""What a received mutual-assistance message becomes, inside the receiving transaction
(registered by `composition.message_handlers`): a request is stored for the partner's
officers; a reply moves the request it refers to and is kept in its conversation. A message
that cannot be read, refers to no request of ours, or discloses an identity nobody asked for
is refused with nothing stored."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from clearway.assistance import repository as repo
from clearway.assistance.messages import attachments_in, read_reply, read_request
from clearway.assistance.model import (
    FINDING_IRREGULARITY,
    IN,
    OUT,
    Status,
    check_reply,
    next_status,
)
from clearway.audit import repository as audit
from clearway.config import Settings
from clearway.errors import ClearwayError
from clearway.exchange.inbound import Incoming
from clearway.exchange.model import ExchangeRefused


@dataclass(frozen=True)
class Finding:
    """An irregularity a partner's verification found about one of our declarations: the
    composition root turns it into a label (as a control result would be)."""

    request_id: int
    mrn: str
    irregularity: str
    officer_id: int | None  # the drafter: who asked
    answer: str
    partner: str


def receive_request(session: Session, settings: Settings, message: Incoming) -> None:
    envelope, now = message.envelope, message.received_at
    fields = read_request(message.payload)
    files = attachments_in(message.payload)
    row = repo.add_request(
        session, direction=IN, partner=envelope.from_party, agreement_id=envelope.agreement_ref,
        purpose=envelope.purpose, confidentiality=envelope.confidentiality,
        status=Status.RECEIVED, drafted_by_id=None, drafted_by=f"partner:{envelope.from_party}",
        message_id=envelope.message_id, conversation_id=envelope.conversation_id,
        created_at=now, sent_at=envelope.created_at, **fields)
    repo.add_attachments(session, row.id, None, files, now)
    audit.append(session, at=now, actor=f"partner:{envelope.from_party}",
                 action="assistance.received", object_type="assistance",
                 object_id=str(row.id), detail={"direction": IN, "partner": row.partner,
                                                "status": row.status,
                                                "message_id": envelope.message_id,
                                                "attachments": len(files)})


def receive_reply(session: Session, settings: Settings, message: Incoming) -> Finding | None:
    """Record a partner's reply; returns the irregularity it finds, if it finds one about a
    declaration of ours."""
    envelope, now = message.envelope, message.received_at
    reply = read_reply(message.payload)
    row = repo.by_message(session, OUT, envelope.from_party, envelope.ref_to_message_id or "")
    if row is None:
        raise ExchangeRefused("CW-EXCH-PAYLOAD", "The reply refers to no request sent to "
                              f"{envelope.from_party}")
    try:
        status = next_status(row.direction, row.status, reply.outcome)
        check_reply(reply, request_type=row.request_type,
                    disclose_requested=row.disclose_requested)
    except ClearwayError as exc:  # the partner's message, refused whole and coded
        raise ExchangeRefused(exc.code, f"{exc.message}; nothing was stored") from None
    files = attachments_in(message.payload)
    stored = repo.add_reply(session, request_id=row.id, message_id=envelope.message_id,
                            outcome=reply.outcome, answer=reply.answer, reason=reply.reason,
                            finding=reply.finding, disclosed=reply.disclosed,
                            replied_by=f"partner:{envelope.from_party}", at=now)
    repo.add_attachments(session, row.id, stored.id, files, now)
    row.status, row.outcome, row.finding, row.replied_at = (
        status, reply.outcome, reply.finding, now)
    audit.append(session, at=now, actor=f"partner:{envelope.from_party}",
                 action="assistance.reply_received", object_type="assistance",
                 object_id=str(row.id), detail={"direction": OUT, "partner": row.partner,
                                                "status": row.status,
                                                "message_id": envelope.message_id,
                                                "outcome": reply.outcome,
                                                "finding": reply.finding,
                                                "disclosed": reply.disclosed is not None})
    if reply.finding != "irregular" or not row.mrn:
        return None
    return Finding(row.id, row.mrn, FINDING_IRREGULARITY.get(row.subject_kind or "", "other"),
                   row.drafted_by_id, reply.answer, envelope.from_party)
