"""Use cases of the exchange: the partner register and agreements (each change audited), a
message put in the outbox in the caller's transaction, and a message received into the
inbox with its signed receipt. Delivering the outbox is `delivery.py`'s.

Receiving is one unit of work: the partner's signature, then the agreement's rules
(`policy.incoming`), then the inbox row, this side's signed receipt and the audit entry
together; a refusal stores nothing. The inbox holds a message id once: the sender's retry of
the same token gets the same receipt again, a different token under a used id is a replay.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.exchange import policy, signing
from clearway.exchange import repository as repo
from clearway.exchange.agreements import parse_agreements
from clearway.exchange.inbound import Handlers, Incoming
from clearway.exchange.model import (
    PARTNER_STATUSES,
    Agreement,
    Envelope,
    ExchangeRefused,
    Partner,
    Receipt,
)
from clearway.notifications.guard import WebhookUrlRefused, parse

_COUNTRY = re.compile(r"[A-Z]{2}")

# Column widths of what is stored from a partner's envelope (storage/orm_exchange.py).
_WIDTHS = {"message_id": 64, "from_party": 8, "action": 60, "purpose": 60,
           "agreement_ref": 100}


def _partner_refused(message: str) -> ClearwayError:
    return ClearwayError(code="CW-EXCH-PARTNER", message=message)


def _checked_partner(code: str, name: str, url: str, public_key_pem: str,
                     status: str) -> Partner:
    if not _COUNTRY.fullmatch(code):
        raise _partner_refused(f"The partner code {code!r} is not a two-letter country code")
    if not name.strip() or len(name) > 200:
        raise _partner_refused("The partner's name is empty or longer than 200 characters")
    if status not in PARTNER_STATUSES:
        raise _partner_refused(f"The status {status!r} is not one of {PARTNER_STATUSES}")
    try:
        parse(url)  # its shape now; where it resolves is checked at every delivery
    except WebhookUrlRefused as exc:
        raise _partner_refused(exc.message.replace("webhook", "partner's inbox")) from None
    try:
        key = load_pem_public_key(public_key_pem.encode())
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise _partner_refused("The partner's public key is not an Ed25519 key in PEM")
    return Partner(code=code, name=name.strip(), inbox_url=url,
                   public_key_pem=public_key_pem.strip() + "\n", status=status)


def add_partner(ctx: Context, code: str, name: str, url: str, public_key_pem: str,
                actor: str, *, status: str = "active") -> Partner:
    """Register a partner administration, or replace its name, URL, key or status."""
    partner = _checked_partner(code, name, url, public_key_pem, status)
    if code == ctx.settings.country_code:
        raise _partner_refused(f"{code} is this administration (CLEARWAY_COUNTRY_CODE): an "
                               "administration is not its own partner")
    if partner.public_key_pem == signing.public_pem(signing.exchange_key(ctx.settings)):
        # Two installations left on the same secret derive the same key: neither could prove
        # which of them signed a message.
        raise _partner_refused("The partner's public key is this administration's own: each "
                               "installation needs its own CLEARWAY_SECRET_KEY (or key file)")
    with ctx.uow() as uow:
        created = repo.save_partner(uow.session, partner, ctx.clock.now())
        audit.append(uow.session, at=ctx.clock.now(), actor=actor,
                     action=f"partner.{'added' if created else 'updated'}",
                     object_type="partner", object_id=code,
                     detail={"name": partner.name, "inbox_url": partner.inbox_url,
                             "status": partner.status,
                             "key_sha256": hashlib.sha256(
                                 partner.public_key_pem.encode()).hexdigest()})
        uow.commit()
    return partner


def import_agreements(ctx: Context, text: str | bytes, actor: str) -> list[Agreement]:
    """Load the agreements of a YAML document (all or none); one that exists is replaced."""
    found = parse_agreements(text)
    with ctx.uow() as uow:
        for agreement in found:
            created = repo.save_agreement(uow.session, agreement, ctx.clock.now())
            audit.append(uow.session, at=ctx.clock.now(), actor=actor,
                         action="agreement.loaded", object_type="agreement",
                         object_id=agreement.id,
                         detail={"replaced": not created,
                                 **repo.agreement_document(agreement)})
        uow.commit()
    return found


def list_partners(ctx: Context) -> list[Partner]:
    with ctx.uow(read_only=True) as uow:
        return repo.partners(uow.session)


def list_agreements(ctx: Context) -> list[Agreement]:
    with ctx.uow(read_only=True) as uow:
        return repo.agreements(uow.session)


def list_outbox(ctx: Context, *, status: str | None = None,
                limit: int = 100) -> list[dict[str, Any]]:
    with ctx.uow(read_only=True) as uow:
        return repo.outbox(uow.session, status=status, limit=limit)


def outbox_counts(ctx: Context) -> dict[str, int]:
    with ctx.uow(read_only=True) as uow:
        return repo.outbox_counts(uow.session)


def list_inbox(ctx: Context, *, from_party: str | None = None,
               limit: int = 100) -> list[dict[str, Any]]:
    with ctx.uow(read_only=True) as uow:
        return repo.inbox(uow.session, from_party=from_party, limit=limit)


def receive(ctx: Context, token: str, handlers: Handlers | None = None) -> str:
    """Take a partner's message into the inbox; this side's signed receipt is the answer.
    `handlers` (by message type) turn the message into business records in the same unit of
    work (see `inbound.py`)."""
    settings, now = ctx.settings, ctx.clock.now()
    sender, _ = signing.peek(token)
    _check_widths(sender)
    with ctx.uow() as uow:
        session = uow.session
        partner = repo.partner(session, sender.from_party)
        if partner is None or not partner.active:
            raise ExchangeRefused("CW-EXCH-UNKNOWN-PARTNER",
                                  f"{sender.from_party!r} is not an active partner")
        envelope, payload = signing.verify(token, partner.public_key_pem)
        _check_widths(envelope)
        digest = signing.message_digest(envelope, payload)
        again = _stored_receipt(session, envelope.message_id, digest)
        if again is not None:
            return again
        policy.incoming(envelope, payload, partner=partner,
                        agreement=repo.agreement(session, envelope.agreement_ref),
                        own_code=settings.country_code, now=now,
                        window=timedelta(seconds=settings.exchange_window_seconds),
                        sent_at=signing.sent_at(token))
        if not repo.insert_inbox(session, envelope, payload, token, now, digest):
            # The same message arrived twice at once; the other copy committed first.
            again = _stored_receipt(session, envelope.message_id, digest)
            if again is None:
                raise ExchangeRefused("CW-EXCH-REPLAY", "The message is being received")
            return again
        handler = (handlers or {}).get(envelope.action)
        if handler is not None:
            handler(session, settings, Incoming(envelope, payload, now))
        receipt = signing.sign_receipt(Receipt(
            message_id=envelope.message_id, received_at=now, receiver=settings.country_code,
            digest=digest), signing.exchange_key(settings))
        repo.add_receipt(session, envelope.message_id, repo.IN, receipt, now)
        audit.append(session, at=now, actor=f"partner:{envelope.from_party}",
                     action="exchange.received", object_type="exchange_message",
                     object_id=envelope.message_id,
                     detail={"from": envelope.from_party, "action": envelope.action,
                             "purpose": envelope.purpose, "agreement": envelope.agreement_ref,
                             "digest": digest})
        uow.commit()
    return receipt


def _stored_receipt(session: Session, message_id: str, digest: str) -> str | None:
    """The receipt already given for this message (any signed copy of the same envelope and
    payload: the sender signs anew at each attempt); CW-EXCH-REPLAY when other content came
    under the same message id; None when the message id is new."""
    stored = repo.inbox_digest(session, message_id)
    if stored is None:
        return None
    if stored != digest:
        raise ExchangeRefused("CW-EXCH-REPLAY",
                              f"Message {message_id!r} already arrived with other content")
    return repo.receipt(session, message_id, repo.IN)


def _check_widths(envelope: Envelope) -> None:
    for name, width in _WIDTHS.items():
        if len(getattr(envelope, name)) > width:
            raise ExchangeRefused("CW-EXCH-ENVELOPE",
                                  f"The message cannot be read: {name} is longer than "
                                  f"{width} characters")
