"""The exit side of pre-arrival: an export or transit released for exit through a border
office that an agreement covers is announced to the neighbour (an anticipated arrival in the
outbox, in the releasing transaction); the neighbour's exit confirmation closes it (the exit
results); one never confirmed by its deadline becomes an alarm of this administration.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.config import Settings
from clearway.context import Context
from clearway.declarations import repository as decl_repo
from clearway.declarations.model import Declaration
from clearway.errors import ClearwayError
from clearway.exchange import outbox, signing
from clearway.exchange import repository as exchange_repo
from clearway.exchange.inbound import Incoming
from clearway.exchange.model import Agreement, ExchangeRefused
from clearway.prearrival import exits_repository as exits
from clearway.prearrival import repository as alarms
from clearway.prearrival.announce import ANNOUNCED_TYPES, anticipated_arrival
from clearway.prearrival.model import Alarm, AlarmKind
from clearway.prearrival.payload import ACTION, PURPOSE, ExitConfirmation
from clearway.privacy import pseudonyms
from clearway.storage.orm import DeclarationRow

log = logging.getLogger(__name__)
SYSTEM = "system"
SWEEP_LIMIT = 5000  # exits turned unconfirmed per sweep; the next sweep takes the rest


@dataclass(frozen=True)
class Route:
    """Where an export leaving through one of our border offices goes: the agreement, the
    partner across the crossing, its office of entry and the arrival deadline."""

    agreement: Agreement
    partner: str
    office_of_entry: str
    deadline: timedelta


def border_exit(row: DeclarationRow) -> str | None:
    """The office of exit of an export or transit, read from the stored document without
    building the model: the cheap check every release makes (None: nothing to announce)."""
    if row.declaration_type not in ANNOUNCED_TYPES or not row.mrn:
        return None
    office = ((row.document or {}).get("offices") or {}).get("exit")
    return office if isinstance(office, str) and office else None


def route(session: Session, own: str, exit_office: str, at: datetime) -> Route | None:
    """The agreement in force on `at` that allows anticipated arrivals at a crossing where
    `exit_office` is this administration's (`own`) office, and the partner across it."""
    for agreement in exchange_repo.agreements(session):
        if (not agreement.valid_on(at.date()) or ACTION not in agreement.message_types
                or PURPOSE not in agreement.purposes or own not in agreement.parties):
            continue
        crossing = agreement.crossing_at(exit_office)
        if crossing is None or crossing.offices.get(own) != exit_office:
            continue
        entry = crossing.entry_office(exit_office)
        partner = next((c for c, o in crossing.offices.items() if o == entry and c != own), None)
        if entry and partner and agreement.binds(own, partner):
            return Route(agreement, partner, entry,
                         timedelta(hours=crossing.arrival_deadline_hours))
    return None


def announce_on_release(session: Session, settings: Settings, row: DeclarationRow,
                        now: datetime) -> int | None:
    """Announce a released border export to the partner across its office of exit, in the
    caller's transaction; returns the exit record's id (None: nothing announced). A message
    the exchange refuses (partner suspended, agreement refusing it) does not hold the goods
    back: the release stands and the audit entry `exit.not-announced` says why. A pseudonym
    keyring that cannot be read leaves the natural persons out (as having no key does) and
    the announcement's audit entry names the problem."""
    office = border_exit(row)
    if office is None:
        return None
    found = route(session, settings.country_code, office, now)
    if found is None or row.mrn is None or exits.find(session, found.partner, row.mrn):
        return None
    ring, keys_problem = _keyring(settings)
    try:
        doc = Declaration.model_validate(row.document)
        arrival = anticipated_arrival(doc, mrn=row.mrn, exit_at=now,
                                      office_of_entry=found.office_of_entry, ring=ring,
                                      agreement_id=found.agreement.id)
        message_id = outbox.send_in(
            session, settings, signing.exchange_key(settings), to=found.partner,
            action=ACTION, purpose=PURPOSE, agreement_id=found.agreement.id,
            payload=arrival.as_payload(), now=now)
    except (ClearwayError, ValidationError) as exc:
        code = exc.code if isinstance(exc, ClearwayError) else "CW-EXCH-PAYLOAD"
        log.warning("export %s not announced to %s: %s", row.mrn, found.partner, code)
        audit.append(session, at=now, actor=SYSTEM, action="exit.not-announced",
                     object_type="declaration", object_id=row.mrn,
                     detail={"partner": found.partner, "code": code})
        return None
    record_id = exits.add(session, exits.ExitRecord(
        declaration_id=row.id, mrn=row.mrn, partner=found.partner,
        agreement_id=found.agreement.id, message_id=message_id, office_of_exit=office,
        office_of_entry=found.office_of_entry, exit_at=now, deadline_at=now + found.deadline))
    audit.append(session, at=now, actor=SYSTEM, action="exit.announced",
                 object_type="declaration", object_id=row.mrn,
                 detail={"partner": found.partner, "message_id": message_id,
                         "office_of_exit": office, "office_of_entry": found.office_of_entry,
                         **({"persons_left_out": keys_problem} if keys_problem else {})})
    return record_id


def _keyring(settings: Settings) -> tuple[pseudonyms.Keyring, str | None]:
    """The pseudonym keys, or none (and why) when the keys file cannot be read."""
    try:
        return pseudonyms.load(settings.pseudonym_keys_file), None
    except pseudonyms.PseudonymKeysInvalid as exc:
        log.warning("pseudonym keys unreadable (%s): natural persons are left out", exc.code)
        return pseudonyms.EMPTY, exc.code


def receive_confirmation(session: Session, settings: Settings, message: Incoming) -> None:
    """Handler of "exit-confirmation": the partner's arrival result closes our exit record
    (the exit results). An MRN never announced to that partner is refused,
    CW-PRE-UNKNOWN-EXPORT, so the partner learns it at once."""
    confirmation = ExitConfirmation.from_payload(message.payload)
    partner = message.envelope.from_party
    row = exits.find(session, partner, confirmation.mrn, for_update=True)
    if row is None:
        raise ExchangeRefused("CW-PRE-UNKNOWN-EXPORT", f"No export {confirmation.mrn!r} was "
                              f"announced to {partner}")
    now = message.received_at
    stored = confirmation.as_payload()
    exits.confirm(row, stored, now)
    audit.append(session, at=now, actor=f"partner:{partner}", action="exit.confirmed",
                 object_type="declaration", object_id=row.mrn,
                 detail={"result": confirmation.result, "alarms": list(confirmation.alarms),
                         "message_id": message.envelope.message_id})
    declaration = decl_repo.get(session, str(row.declaration_id))
    if declaration is not None:  # the trader reads the exit result, not the partner's alarms
        decl_repo.add_event(session, declaration, at=now, kind="exit_confirmed",
                            from_status=declaration.status, actor=f"partner:{partner}",
                            detail={"result": confirmation.result,
                                    "arrived_at": stored["arrived_at"],
                                    "office_of_entry": confirmation.office_of_entry})


def sweep_unconfirmed(ctx: Context) -> int:
    """Turn announced exits past their deadline into `unconfirmed`, each with an
    EXIT_UNCONFIRMED alarm; one unit of work. Returns how many."""
    with ctx.uow() as uow:
        now = ctx.clock.now()
        overdue = exits.overdue(uow.session, now, SWEEP_LIMIT)
        for row in overdue:
            row.status = "unconfirmed"
            alarm_id = alarms.add_alarm(uow.session, Alarm(
                kind=AlarmKind.EXIT_UNCONFIRMED, partner=row.partner, mrn=row.mrn,
                reason=f"{row.partner} has not confirmed the arrival of export {row.mrn} "
                       f"(left {row.office_of_exit} at {row.exit_at.isoformat()}, expected at "
                       f"{row.office_of_entry} by {row.deadline_at.isoformat()})",
                raised_at=now, declaration_id=row.declaration_id, exit_record_id=row.id,
                evidence={"exit_at": row.exit_at.isoformat(),
                          "deadline_at": row.deadline_at.isoformat(),
                          "office_of_exit": row.office_of_exit,
                          "office_of_entry": row.office_of_entry,
                          "message_id": row.message_id}))
            audit.append(uow.session, at=now, actor=SYSTEM, action="exit.unconfirmed",
                         object_type="declaration", object_id=row.mrn,
                         detail={"partner": row.partner, "alarm_id": alarm_id})
        uow.commit()
    return len(overdue)


def list_exits(ctx: Context, *, status: str | None, limit: int) -> list[dict[str, Any]]:
    """Exit records, newest exit first (staff read: officers, supervisors, analysts)."""
    with ctx.uow(read_only=True) as uow:
        return [exits.as_dict(r) for r in exits.listed(uow.session, status=status, limit=limit)]
