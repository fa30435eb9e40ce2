"""Use cases of data protection over exchanged personal data: reading what partners sent
(every read logged with actor and purpose), another use or an onward transfer (blocked and
logged without the originator's consent), consents, retention (sweep and extensions) and the
access log itself. Subjects' rights are `rights.py`'s, the DPO's registers `registers.py`'s.
"""

from __future__ import annotations

from typing import Any

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, reason_required
from clearway.exchange import repository as exchange_repo
from clearway.identity import User
from clearway.privacy import consent, retention
from clearway.privacy import repository as repo
from clearway.privacy.model import (
    ACTIONS,
    RETENTION_ACTOR,
    Access,
    Consent,
    invalid,
    not_found,
)

MAX_EXTENSION_DAYS = 3650


def access_log(ctx: Context, *, action: str | None = None, message_id: str | None = None,
               actor: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    if action is not None and action not in ACTIONS:
        raise invalid(f"The action is one of {', '.join(ACTIONS)}")
    with ctx.uow(read_only=True) as uow:
        return repo.access_log(uow.session, action=action, message_id=message_id,
                               actor=actor, limit=limit)


def list_received(ctx: Context, user: User, *, purpose: str, from_party: str | None = None,
                  limit: int = 100) -> list[dict[str, Any]]:
    """The latest messages received from partners, for `purpose`; the listing is logged
    (actor, purpose, the message ids shown) in the same transaction."""
    if not purpose.strip():
        raise invalid("A listing of received data names its purpose")
    with ctx.uow() as uow:
        found = exchange_repo.inbox(uow.session, from_party=from_party, limit=limit)
        repo.log(uow.session, ctx.clock.now(), Access(
            actor=user.actor, action="list", purpose=purpose.strip(), record="exchange_inbox",
            detail={"from_party": from_party, "count": len(found),
                    "message_ids": [m["message_id"] for m in found]}))
        uow.commit()
    return found


def request_use(ctx: Context, user: User, message_id: str, *, reason: str,
                purpose: str | None = None, recipient: str | None = None) -> dict[str, Any]:
    """Use a received message for `purpose`, or pass it on to `recipient`. Allowed: logged as
    a read (or a disclosure) and the message's data returned. Blocked: the attempt is logged,
    committed, and refused (CW-PRIV-PURPOSE or CW-PRIV-ONWARD)."""
    if not reason.strip():
        raise reason_required("A use of received data needs a written reason")
    if (purpose is None) == (recipient is None):
        raise invalid("Name either the purpose of the use or the recipient, not both")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = repo.received(uow.session, message_id)
        if row is None:
            raise not_found(f"No message {message_id!r} was received")
        agreement = exchange_repo.agreement(uow.session, row.agreement_ref)
        decision = consent.decide(
            onward_transfer=agreement.onward_transfer if agreement else "forbidden",
            sent_for=row.purpose, consents=repo.consents(uow.session, message_id),
            purpose=purpose, recipient=recipient)
        entry = Access(actor=user.actor, message_id=message_id, purpose=purpose or row.purpose,
                       recipient=recipient, record="exchange_inbox",
                       action=("disclose" if recipient else "read") if decision.allowed
                       else "blocked",
                       detail={"reason": reason.strip()[:500], "decision": decision.reason,
                               "code": decision.code, "consent": decision.consent})
        repo.log(uow.session, now, entry)
        answer = {"message_id": message_id, "from_party": row.from_party,
                  "sent_for": row.purpose, "purpose": purpose, "recipient": recipient,
                  "consent": decision.consent, "payload": row.payload}
        uow.commit()
    if not decision.allowed:
        raise ClearwayError(code=decision.code or "CW-PRIV-PURPOSE",
                            message=decision.reason + " (the attempt is logged)")
    return answer


def record_consent(ctx: Context, user: User, message_id: str, *, granted_by: str,
                   reference: str, purpose: str | None = None,
                   recipient: str | None = None) -> Consent:
    """Record the originator's consent (from its letter or message `reference`) to another
    use of a received message or to passing it on. Only the originator can give it."""
    if (purpose is None) == (recipient is None) or not reference.strip():
        raise invalid("A consent names a purpose or a recipient (one), and its reference")
    with ctx.uow() as uow:
        row = repo.received(uow.session, message_id)
        if row is None:
            raise not_found(f"No message {message_id!r} was received")
        if granted_by != row.from_party:
            raise invalid(f"Only the originator ({row.from_party}) can consent")
        found = Consent(message_id, purpose, recipient, granted_by, reference.strip()[:200])
        repo.add_consent(uow.session, found, user.actor, ctx.clock.now())
        audit.append(uow.session, at=ctx.clock.now(), actor=user.actor,
                     action="privacy.consent_recorded", object_type="exchange_message",
                     object_id=message_id,
                     detail={"purpose": purpose, "recipient": recipient,
                             "granted_by": granted_by, "reference": found.reference})
        uow.commit()
    return found


def sweep_retention(ctx: Context) -> dict[str, int]:
    """Erase the data of every received message past its agreement's retention period (and
    its extensions). The audit chain keeps that it happened (agreement, cut-off, count), not
    the data. Returns the count erased per agreement."""
    now, counts = ctx.clock.now(), {}
    with ctx.uow() as uow:
        for agreement in exchange_repo.agreements(uow.session):
            cut = retention.cutoff(now, agreement.retention_days)
            rows = repo.retained(uow.session, agreement.id, cut)
            extra = repo.extended_days(uow.session, (r.message_id for r in rows))
            due = [r for r in rows if retention.expired(
                r.received_at, agreement.retention_days, extra.get(r.message_id, 0), now)]
            for row in due:
                repo.erase(uow.session, row, "retention", now)
            counts[agreement.id] = len(due)
            if due:
                detail = {"agreement": agreement.id, "cutoff": cut.isoformat(),
                          "erased": len(due), "retention_days": agreement.retention_days}
                repo.log(uow.session, now, Access(actor=RETENTION_ACTOR, action="erase",
                                                  record=f"agreement:{agreement.id}",
                                                  detail=detail))
                audit.append(uow.session, at=now, actor=RETENTION_ACTOR,
                             action="privacy.retention_swept", object_type="agreement",
                             object_id=agreement.id, detail=detail)
        uow.commit()
    return counts


def extend_retention(ctx: Context, user: User, message_id: str, days: int,
                     reason: str) -> int:
    """Keep a received message `days` longer (a reason is required; extensions are counted
    in the processing register). Returns the message's total extension in days."""
    if not reason.strip():
        raise reason_required("A retention extension needs a written reason")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise invalid(f"An extension is 1 to {MAX_EXTENSION_DAYS} days")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = repo.received(uow.session, message_id)
        if row is None or repo.is_erased(uow.session, message_id):
            raise not_found(f"No message {message_id!r} is held (never received, or erased)")
        repo.add_extension(uow.session, message_id, days, reason.strip()[:500], user.actor,
                           now)
        audit.append(uow.session, at=now, actor=user.actor,
                     action="privacy.retention_extended", object_type="exchange_message",
                     object_id=message_id, detail={"days": days, "reason": reason.strip()})
        total = repo.extended_days(uow.session, [message_id]).get(message_id, days)
        uow.commit()
    return total


def retention_overview(ctx: Context) -> dict[str, Any]:
    """When the next received data falls due, how much is held, extensions per agreement."""
    with ctx.uow(read_only=True) as uow:
        periods = {a.id: a.retention_days for a in exchange_repo.agreements(uow.session)}
        held = repo.pending_retention(uow.session)
        extensions = repo.extensions_by_agreement(uow.session)
    due = [retention.expires_at(at, periods[a], days) for a, at, days in held if a in periods]
    return {"held": len(held), "next_due": min(due, default=None),
            "extensions": extensions, "periods": periods}
