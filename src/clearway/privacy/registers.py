"""The data protection officer's registers: personal data breaches (recorded and kept up to
date by the DPO, every change audited) and the processing register, generated from the
agreements and what was exchanged under them (Convention 108+, Art. 7 and 10)."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.exchange import repository as exchange_repo
from clearway.identity import User
from clearway.privacy import repository as repo
from clearway.privacy.model import BREACH_STATUSES, Breach, invalid, not_found
from clearway.storage.orm_exchange import InboxRow, OutboxRow


def breach_dict(breach: Breach) -> dict[str, Any]:
    data = asdict(breach)
    data["categories"], data["partners_notified"] = list(breach.categories), list(
        breach.partners_notified)
    return data


def _checked(breach: Breach, now: datetime) -> Breach:
    if not breach.description.strip():
        raise invalid("A breach record describes what happened")
    if breach.status not in BREACH_STATUSES:
        raise invalid(f"The status is one of {', '.join(BREACH_STATUSES)}")
    if breach.subjects_affected < 0:
        raise invalid("The number of subjects affected is 0 or more")
    if breach.detected_at > now:
        raise invalid("A breach is not detected in the future")
    if any(not c.strip() for c in breach.categories + breach.partners_notified):
        raise invalid("Data categories and partners are non-empty texts")
    return breach


def list_breaches(ctx: Context) -> list[Breach]:
    with ctx.uow(read_only=True) as uow:
        return repo.breaches(uow.session)


def record_breach(ctx: Context, user: User, breach: Breach) -> Breach:
    """Record a new breach (its reference is given here) or update one (by reference)."""
    now = ctx.clock.now()
    _checked(breach, now)
    with ctx.uow() as uow:
        try:
            saved = repo.save_breach(uow.session, breach, user.actor, now)
        except LookupError:
            raise not_found(f"No breach {breach.reference!r}") from None
        audit.append(uow.session, at=now, actor=user.actor,
                     action="privacy.breach_" + ("updated" if breach.reference else "recorded"),
                     object_type="breach", object_id=saved.reference,
                     detail={**breach_dict(replace(saved, description="")),
                             "detected_at": saved.detected_at.isoformat(),
                             "authority_notified_at": saved.authority_notified_at.isoformat()
                             if saved.authority_notified_at else None})
        uow.commit()
    return saved


def processing_register(ctx: Context) -> list[dict[str, Any]]:
    """For each agreement: purposes with their fields, message types, recipients, retention,
    legal basis and onward-transfer rule, and what was exchanged: messages received under it,
    messages sent to each of its partners, and the retention extensions granted."""
    own = ctx.settings.country_code
    with ctx.uow(read_only=True) as uow:
        session = uow.session
        agreements = exchange_repo.agreements(session)
        received = repo.counts_by(session, InboxRow.agreement_ref)
        sent = repo.counts_by(session, OutboxRow.to_party)
        extensions = repo.extensions_by_agreement(session)
    return [{"agreement": a.id, "legal_basis": a.legal_basis,
             "valid_from": a.valid_from, "valid_to": a.valid_to,
             "purposes": {p: sorted(a.allowed_fields(p)) for p in sorted(a.purposes)},
             "message_types": sorted(a.message_types),
             "recipients": sorted(a.parties - {own}),
             "retention_days": a.retention_days, "onward_transfer": a.onward_transfer,
             "extensions": extensions.get(a.id, 0), "received": received.get(a.id, 0),
             "sent": {p: sent.get(p, 0) for p in sorted(a.parties - {own})}}
            for a in agreements]
