"""Data subjects' rights over exchanged data (Convention 108+, Art. 9): what was received
and sent about a person, to whom and on which basis; rectification and erasure, applied here
and sent as a correction to every administration the data went to, in one transaction."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, reason_required
from clearway.exchange import outbox, signing
from clearway.exchange import repository as exchange_repo
from clearway.exchange.model import Envelope
from clearway.identity import User
from clearway.privacy import pseudonyms, subjects
from clearway.privacy import repository as repo
from clearway.privacy.corrections import apply
from clearway.privacy.model import CORRECTION, DATA_PROTECTION, Access, invalid, not_found
from clearway.storage.orm_exchange import InboxRow

_COUNTRY = re.compile(r"[A-Z]{2}")


def subject_access(ctx: Context, user: User, *, name: str, country: str,
                   eori: str | None = None) -> dict[str, Any]:
    """Every message received or sent that names the person (by their pseudonym under any
    key of its agreement) or the company `eori`: with whom, when, on which agreement, legal
    article and purpose, where in the message, and to whom it went on. Logged as an export
    (without the name: the log must not become a list of who asked)."""
    if not name.strip() or not _COUNTRY.fullmatch(country):
        raise invalid("A subject search names the person and their two-letter country")
    ring = pseudonyms.load(ctx.settings.pseudonym_keys_file)
    identity = pseudonyms.normalised(name, country)
    wanted_cache: dict[str, frozenset[str]] = {}

    def wanted(agreement: str) -> frozenset[str]:
        if agreement not in wanted_cache:
            found = pseudonyms.every_pseudonym(ring, agreement, identity)
            wanted_cache[agreement] = found | ({eori.strip()} if eori else frozenset())
        return wanted_cache[agreement]

    now = ctx.clock.now()
    with ctx.uow() as uow:
        found = _received(uow.session, wanted) + _sent(uow.session, wanted)
        repo.log(uow.session, now, Access(
            actor=user.actor, action="export", purpose=DATA_PROTECTION,
            record=f"subject-access:{country}",
            detail={"found": len(found), "message_ids": [f["message_id"] for f in found]}))
        uow.commit()
    return {"country": country, "eori": eori, "at": now, "keys_searched":
            sorted({a for a in ring.keys}), "messages": found}


def _entry(envelope: dict[str, Any], direction: str, partner: str, at: Any,
           where: list[str]) -> dict[str, Any]:
    return {"message_id": envelope["message_id"], "direction": direction, "partner": partner,
            "action": envelope["action"], "agreement": envelope["agreement_ref"],
            "legal_article": envelope["legal_article"], "purpose": envelope["purpose"],
            "at": at, "where": where}


def _received(session: Session, wanted: Any) -> list[dict[str, Any]]:
    found = []
    for row in repo.all_received(session):
        where = list(subjects.places(row.payload, wanted(row.agreement_ref)))
        if where:
            entry = _entry(row.envelope, "received", row.from_party, row.received_at, where)
            entry["passed_on_to"] = repo.disclosed_to(session, row.message_id)
            found.append(entry)
    return found


def _sent(session: Session, wanted: Any) -> list[dict[str, Any]]:
    found = []
    for row in repo.all_sent(session):
        envelope, payload = signing.peek(row.token)
        where = list(subjects.places(payload, wanted(envelope.agreement_ref)))
        if where:
            found.append(_entry(envelope.as_dict(), "sent", row.to_party, row.created_at,
                                where))
    return found


def rectify(ctx: Context, user: User, message_id: str, fields: dict[str, Any],
            reason: str) -> list[str]:
    """Correct fields of a message sent or received: applied to the copy held here (a
    received one; a sent one is corrected at its source record) and sent as a correction
    to every administration it went to. Returns the correction messages' ids."""
    if not fields:
        raise invalid("A rectification names the fields to correct")
    return _correct(ctx, user, message_id, reason, fields)


def erase(ctx: Context, user: User, message_id: str, reason: str) -> list[str]:
    """Erase a message's data here (a received one) and ask every administration it went to
    to erase its copy. Returns the correction messages' ids."""
    return _correct(ctx, user, message_id, reason, None)


def _correct(ctx: Context, user: User, message_id: str, reason: str,
             fields: dict[str, Any] | None) -> list[str]:
    if not reason.strip():
        raise reason_required("A rectification or erasure needs a written reason")
    now, kind = ctx.clock.now(), "erase" if fields is None else "rectify"
    with ctx.uow() as uow:
        session = uow.session
        held, envelope, recipients = _message(session, message_id, ctx.settings.country_code)
        agreement = exchange_repo.agreement(session, envelope.agreement_ref)
        if fields is not None:
            allowed = agreement.allowed_fields(envelope.purpose) if agreement else frozenset()
            wrong = sorted(set(fields) - allowed)
            if wrong:
                raise ClearwayError("CW-PRIV-FIELD", f"The field {wrong[0]!r} is not one the "
                                    f"agreement allows for {envelope.purpose}")
        if held is not None:
            apply(session, held, fields, now, cause="erasure")
        payload = {"corrects": message_id, "correction": kind, "fields": fields,
                   "reason": reason.strip()[:500]}
        key = signing.exchange_key(ctx.settings)
        sent = [outbox.send_in(session, ctx.settings, key, to=to, action=CORRECTION,
                               purpose=DATA_PROTECTION, agreement_id=envelope.agreement_ref,
                               payload=payload, now=now, ref_to=message_id)
                for to in recipients]
        repo.log(session, now, Access(actor=user.actor, action=kind, message_id=message_id,
                                      purpose=DATA_PROTECTION, recipient=",".join(recipients),
                                      detail={"fields": sorted(fields or {}),
                                              "corrections": sent, "reason": reason.strip()}))
        audit.append(session, at=now, actor=user.actor, action=f"privacy.{kind}",
                     object_type="exchange_message", object_id=message_id,
                     detail={"fields": sorted(fields or {}), "recipients": recipients,
                             "corrections": sent})
        uow.commit()
    return sent


def _message(session: Session, message_id: str,
             own: str) -> tuple[InboxRow | None, Envelope, list[str]]:
    """(the received row or None, the envelope, the administrations the data went to): a
    sent message's recipient, or for a received one its originator and the partners the
    access log shows it was passed on to."""
    row = repo.received(session, message_id, lock=True)
    if row is not None:
        partners = {p.code for p in exchange_repo.partners(session)}
        went = {row.from_party} | {r for r in repo.disclosed_to(session, message_id)
                                   if r in partners}
        return row, Envelope.from_dict(row.envelope), sorted(went - {own})
    out = repo.sent(session, message_id)
    if out is None:
        raise not_found(f"No message {message_id!r} was sent or received")
    envelope, _ = signing.peek(out.token)
    return None, envelope, [out.to_party]
