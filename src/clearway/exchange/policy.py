"""What may leave and what may enter: the agreement's rules applied to one message.

Going out, a message needs its basis (sender, legal article, purpose) and an agreement in
force between the two administrations that allows its type and purpose; its payload is then
cut to the fields the agreement allows for the purpose (minimisation), so an extra field
never leaves. Coming in, the same agreement must hold, and a payload field it does not allow
is refused rather than dropped: the sender broke the agreement, and the receiver keeps
nothing of it. Signature and replay are the service's checks (they need the key and the
inbox).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from clearway.errors import shown
from clearway.exchange.model import Agreement, Envelope, ExchangeRefused, Partner


def outgoing(envelope: Envelope, payload: dict[str, Any], agreement: Agreement | None,
             today: date) -> dict[str, Any]:
    """`payload` stripped to the fields `agreement` allows for the envelope's purpose, or
    ExchangeRefused when the message may not leave at all."""
    for name in ("from_party", "legal_article", "purpose"):
        if not getattr(envelope, name).strip():
            raise ExchangeRefused("CW-EXCH-BASIS", f"Nothing leaves without a {name}")
    allowed = _covered(envelope, agreement, today)
    return {name: value for name, value in payload.items() if name in allowed}


def incoming(envelope: Envelope, payload: dict[str, Any], *, partner: Partner | None,
             agreement: Agreement | None, own_code: str, now: datetime,
             window: timedelta, sent_at: datetime | None = None) -> None:
    """Refuses (ExchangeRefused) a message this administration may not keep; `partner` is the
    register's entry for the sender, `agreement` the one the envelope names (None: unknown).
    `sent_at` is when this signed copy left (each delivery attempt signs anew): the window
    bounds it, so a copy captured and played back later is stale, while a message held in the
    sender's outbox through a long outage is not."""
    if partner is None or partner.code != envelope.from_party or not partner.active:
        raise ExchangeRefused("CW-EXCH-UNKNOWN-PARTNER", f"{shown(envelope.from_party)} is not "
                              "an active partner")
    if envelope.to_party != own_code:
        raise ExchangeRefused("CW-EXCH-NOT-FOR-US", f"The message is for "
                              f"{shown(envelope.to_party)}, not {own_code}")
    left = sent_at or envelope.created_at
    if abs(left - now) > window:
        raise ExchangeRefused("CW-EXCH-STALE", f"The message was sent at "
                              f"{left.isoformat()}, more than "
                              f"{window.total_seconds():g} s from {now.isoformat()}")
    allowed = _covered(envelope, agreement, now.date())
    extra = sorted(set(payload) - allowed)
    if extra:
        raise ExchangeRefused("CW-EXCH-FIELD", f"The field {shown(extra[0])} is not allowed "
                              f"for the purpose {shown(envelope.purpose)} under agreement "
                              f"{shown(envelope.agreement_ref)}")


def _covered(envelope: Envelope, agreement: Agreement | None, day: date) -> frozenset[str]:
    """The payload fields allowed for the message, once the agreement it names is in force
    between its sender and recipient and allows its type and purpose."""
    if (agreement is None or agreement.id != envelope.agreement_ref
            or not agreement.binds(envelope.from_party, envelope.to_party)):
        raise ExchangeRefused("CW-EXCH-AGREEMENT-MISSING", f"No agreement "
                              f"{shown(envelope.agreement_ref)} between "
                              f"{shown(envelope.from_party)} and {shown(envelope.to_party)}")
    if not agreement.valid_on(day):
        raise ExchangeRefused("CW-EXCH-AGREEMENT-EXPIRED", f"Agreement {shown(agreement.id)} "
                              f"is not in force on {day.isoformat()}")
    if envelope.action not in agreement.message_types:
        raise ExchangeRefused("CW-EXCH-TYPE", f"Agreement {shown(agreement.id)} does not allow "
                              f"the message type {shown(envelope.action)}")
    if envelope.purpose not in agreement.purposes:
        raise ExchangeRefused("CW-EXCH-PURPOSE", f"Agreement {shown(agreement.id)} does not "
                              f"allow the purpose {shown(envelope.purpose)}")
    return agreement.allowed_fields(envelope.purpose)
