"""A message put in the outbox, in the caller's transaction.

Any use case that causes a message (an export leaving, a request approved, a correction)
calls `send_in` inside its own unit of work, so the message leaves if and only if the event
that causes it commits. `delivery.py` then carries it to the partner. Kept apart from the
exchange's use cases (`service.py`) because other domains call it inside theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from clearway.config import Settings
from clearway.exchange import policy, signing
from clearway.exchange import repository as repo
from clearway.exchange.model import SERVICE, Envelope, ExchangeRefused, new_message_id

PAYLOAD_VERSION = "1"


def send_in(session: Session, settings: Settings, key: Ed25519PrivateKey, *, to: str,
            action: str, purpose: str, agreement_id: str, payload: dict[str, Any],
            now: datetime, conversation_id: str | None = None, ref_to: str | None = None,
            confidentiality: str = "restricted", caveats: Iterable[str] = ()) -> str:
    """Sign a message to partner `to` and put it in the outbox, in the caller's transaction
    (so it leaves if and only if the event that causes it commits). Refused before the
    outbox when the agreement does not allow it; the payload is stripped to the fields the
    agreement allows for the purpose. Returns the message id."""
    agreement = repo.agreement(session, agreement_id)
    if agreement is None:  # the legal article is the agreement's: without it, no basis
        raise ExchangeRefused("CW-EXCH-AGREEMENT-MISSING",
                              f"No agreement {agreement_id!r} is loaded: nothing was sent")
    message_id = new_message_id()
    envelope = Envelope(
        message_id=message_id, conversation_id=conversation_id or message_id,
        ref_to_message_id=ref_to, from_party=settings.country_code, to_party=to,
        service=SERVICE, action=action, agreement_ref=agreement_id,
        legal_article=agreement.legal_basis, purpose=purpose,
        confidentiality=confidentiality, caveats=tuple(caveats), created_at=now,
        payload_type=action, payload_version=PAYLOAD_VERSION)
    kept = policy.outgoing(envelope, payload, agreement, now.date())
    partner = repo.partner(session, to)
    if partner is None or not partner.active:
        raise ExchangeRefused("CW-EXCH-UNKNOWN-PARTNER",
                              f"{to!r} is not an active partner: nothing was sent")
    repo.add_outbox(session, envelope, signing.sign(envelope, kept, key, sent_at=now), now)
    return message_id


