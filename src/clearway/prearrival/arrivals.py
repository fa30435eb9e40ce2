"""The entry side of pre-arrival, inside the caller's transaction: an anticipated arrival
received from a partner is stored; what arrives at an office of entry (a declaration, an
ENS, a booth record) is matched with it, the alarms stored, the arrival marked arrived and
the exit confirmation put in the outbox, all in the transaction of the event that arrives.

Matching keys, in order: a previous-document reference equal to an announced MRN; a
container number; the vehicle among arrivals expected at that office. An arrival from a
partner that nobody announced raises "no exit record"; the announcement, when it comes
later, answers that alarm (matched then, the alarm closed with its reason).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.config import Settings
from clearway.declarations.model import AnyDeclaration, Declaration, EntrySummaryDeclaration
from clearway.exchange import outbox, signing
from clearway.exchange import repository as exchange_repo
from clearway.exchange.inbound import Incoming
from clearway.exchange.model import ExchangeRefused
from clearway.prearrival import alarm_repository
from clearway.prearrival import arrivals_repository as repo
from clearway.prearrival import repository as alarms
from clearway.prearrival.arrived import Rate, of_crossing, of_declaration, of_ens, vehicles
from clearway.prearrival.matching import Arrived, Comparison, match, normalised_vehicle
from clearway.prearrival.model import Alarm, AlarmKind
from clearway.prearrival.payload import (
    ACTION_CONFIRMATION,
    PURPOSE_CONFIRMATION,
    AnticipatedArrival,
    ExitConfirmation,
)
from clearway.privacy import pseudonyms
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_prearrival import ArrivalRow, CrossingRow

log = logging.getLogger(__name__)
SYSTEM = "system"
DEFAULT_DEADLINE_HOURS = 48  # when no crossing of the agreement names the office
_DOCUMENT: TypeAdapter[Any] = TypeAdapter(AnyDeclaration)


def receive_announcement(session: Session, settings: Settings, message: Incoming) -> None:
    """Handler of "anticipated-arrival": store it (CW-EXCH-PAYLOAD when unreadable or for an
    office of entry not ours), then answer any "no exit record" alarm it explains."""
    announced = AnticipatedArrival.from_payload(message.payload)
    env, now = message.envelope, message.received_at
    office = repo.reference(session).office(announced.office_of_entry, now.date())
    if office is None or office.country != settings.country_code:
        raise ExchangeRefused("CW-EXCH-PAYLOAD", f"The anticipated arrival cannot be read: "
                              f"office_of_entry {announced.office_of_entry!r} is not an office "
                              f"of {settings.country_code}")
    agreement = exchange_repo.agreement(session, env.agreement_ref)
    crossing = agreement.crossing_at(announced.office_of_entry) if agreement else None
    hours = crossing.arrival_deadline_hours if crossing else DEFAULT_DEADLINE_HOURS
    row = repo.add(session, partner=env.from_party, agreement_id=env.agreement_ref,
                   message_id=env.message_id, conversation_id=env.conversation_id,
                   announced=announced,
                   vehicle=normalised_vehicle(announced.transport.vehicle
                                              if announced.transport else None),
                   deadline_at=announced.exit_at + timedelta(hours=hours), received_at=now)
    _answer_no_exit_record(session, settings, row, announced, message)


def _answer_no_exit_record(session: Session, settings: Settings, row: ArrivalRow,
                           announced: AnticipatedArrival, message: Incoming) -> None:
    containers = repo.containers_of(announced)
    for alarm in repo.open_no_exit(session, row.partner):
        evidence = alarm.evidence or {}
        if not (alarm.mrn == row.mrn
                or (row.vehicle and evidence.get("vehicle") == row.vehicle)
                or containers & set(evidence.get("containers") or ())):
            continue
        arrived = _arrived_again(session, alarm.declaration_id, evidence.get("crossing_id"),
                                 alarm.raised_at)
        if arrived is not None:
            arrive(session, settings, row, arrived, now=message.received_at,
                   rate=repo.reference(session).rate, declaration_id=alarm.declaration_id)
        alarm_repository.close(session, alarm.id, by=SYSTEM, at=message.received_at,
                               reason=f"exit record arrived at {message.received_at.isoformat()}"
                                      f" (message {message.envelope.message_id})")


def _arrived_again(session: Session, declaration_id: int | None, crossing_id: Any,
                   at: datetime) -> Arrived | None:
    """What arrived unannounced, read again from its declaration or booth record."""
    if declaration_id is not None:
        stored = session.get(DeclarationRow, declaration_id)
        if stored is None:
            return None
        doc = _DOCUMENT.validate_python(stored.document)
        ref = stored.mrn or str(stored.id)
        if isinstance(doc, EntrySummaryDeclaration):
            return of_ens(doc, ref, at)
        return of_declaration(doc, ref, at, repo.reference(session).rate)
    booth = repo.crossing(session, int(crossing_id)) if crossing_id is not None else None
    return None if booth is None else of_crossing(booth)


def on_declaration(session: Session, settings: Settings, row: DeclarationRow,
                   doc: Declaration, now: datetime, *, rate: Rate) -> list[Alarm]:
    """An IM or CO declaration accepted here: its alarms, stored with its id. No previous
    document, container or vehicle: no query at all."""
    refs = sorted({p.reference.strip().upper() for p in
                   [*doc.previous_documents, *(p for i in doc.items for p in i.previous_documents)]
                   if p.reference.strip()})
    containers = [*doc.transport.container_ids, *(c for i in doc.items for c in i.container_ids)]
    plates = [v for v in map(normalised_vehicle, vehicles(doc)) if v]
    if not (refs or containers or plates):
        return []
    arrival = next(iter(repo.by_mrns(session, refs)), None)
    arrival = arrival or latest_before(repo.by_containers(session, containers), now)
    offices = [o for o in (doc.offices.presentation, doc.offices.lodgement,
                           doc.offices.first_entry) if o]
    for plate in plates if arrival is None and offices else ():
        arrival = arrival or latest_before(repo.by_vehicle(session, plate, offices), now)
    ref = row.mrn or str(row.id)
    if arrival is not None:
        return arrive(session, settings, arrival, of_declaration(doc, ref, now, rate), now=now,
                      rate=rate, declaration_id=row.id)
    return [_no_exit_record(session, partner, mrn, now, declaration_id=row.id,
                            evidence={"previous_document": mrn, "declaration": ref,
                                      "vehicle": plates[0] if plates else None,
                                      "containers": sorted(set(containers))})
            for mrn, partner in _partner_mrns(session, settings, refs)]


def on_ens(session: Session, settings: Settings, row: DeclarationRow,
           doc: EntrySummaryDeclaration, now: datetime, *, rate: Rate) -> list[Alarm]:
    """An ENS accepted here, matched by its container numbers."""
    containers = [c.number for c in doc.containers]
    arrival = latest_before(repo.by_containers(session, containers), now) if containers \
        else None
    if arrival is None:
        return []
    return arrive(session, settings, arrival, of_ens(doc, row.mrn or str(row.id), now),
                  now=now, rate=rate, declaration_id=row.id)


def on_crossing(session: Session, settings: Settings, booth: CrossingRow, *,
                rate: Rate) -> list[Alarm]:
    """A booth record: matched by vehicle at that office, else by container; a vehicle from
    a partner country nobody announced raises "no exit record"."""
    at = booth.recorded_at
    arrival = latest_before(repo.by_vehicle(session, booth.vehicle, [booth.office]), at)
    arrival = arrival or latest_before(repo.by_containers(session, booth.containers), at)
    if arrival is not None:
        booth.arrival_id = arrival.id
        return arrive(session, settings, arrival, of_crossing(booth), now=booth.recorded_at,
                      rate=rate)
    partner = booth.from_country
    if partner is None or exchange_repo.partner(session, partner) is None:
        return []
    return [_no_exit_record(session, partner, None, booth.recorded_at, evidence={
        "crossing_id": booth.id, "vehicle": booth.vehicle, "office": booth.office,
        "containers": sorted(booth.containers), "seals": sorted(booth.seals)})]


def latest_before(found: list[ArrivalRow], now: datetime) -> ArrivalRow | None:
    """Of the arrivals a vehicle or container may be (newest exit first: the same truck or
    box crosses again and again), the last that left before `now`; only when every one left
    later (a clock skew between the two sides), the earliest of them."""
    return next((r for r in found if r.exit_at <= now), found[-1] if found else None)


def arrive(session: Session, settings: Settings, row: ArrivalRow, arrived: Arrived, *,
           now: datetime, rate: Rate, declaration_id: int | None = None) -> list[Alarm]:
    """Compare, store the alarms; at the first match mark the arrival arrived, answer an
    overdue alarm, and confirm the arrival to the partner."""
    announced = AnticipatedArrival.model_validate(row.payload)
    agreement = exchange_repo.agreement(session, row.agreement_id)
    person = announced.consignee is not None and announced.consignee.pseudonym is not None
    first = row.status != "arrived"
    how = Comparison(partner=row.partner, agreement_id=row.agreement_id,
                     tolerances=repo.tolerances(session),
                     crossing=agreement.crossing_at(row.office_of_entry) if agreement else None,
                     rate=rate, ring=pseudonyms.load(settings.pseudonym_keys_file) if person
                     else pseudonyms.EMPTY, first_arrival=first)
    found = [replace(a, arrival_id=row.id, declaration_id=declaration_id)
             for a in match(announced, arrived, how)]
    for alarm in found:
        alarms.add_alarm(session, alarm)
    detail: dict[str, Any] = {"partner": row.partner, "mrn": row.mrn, "as": arrived.kind,
                              "ref": arrived.ref, "alarms": [str(a.kind) for a in found]}
    if first:
        overdue = row.status == "overdue"
        for alarm_id in (repo.open_alarms_of_arrival(session, row.id, AlarmKind.NO_ARRIVAL)
                         if overdue else ()):
            alarm_repository.close(session, alarm_id, by=SYSTEM, at=now,
                                   reason=f"arrived at {arrived.at.isoformat()} as "
                                          f"{arrived.kind} {arrived.ref}")
        repo.mark_arrived(row, arrived.kind, arrived.ref, arrived.at)
        detail["confirmation"] = _confirm(session, settings, row, arrived.at, found, now)
    audit.append(session, at=now, actor=SYSTEM, action="arrival.matched",
                 object_type="anticipated_arrival", object_id=str(row.id), detail=detail)
    return found


def _confirm(session: Session, settings: Settings, row: ArrivalRow, arrived_at: datetime,
             found: list[Alarm], now: datetime) -> str:
    """The exit confirmation in the outbox; its message id, or the refusal's code (a
    partner suspended or an agreement ended must not stop the goods' own clearance)."""
    kinds = tuple(sorted({str(a.kind) for a in found}))
    payload = ExitConfirmation(mrn=row.mrn, arrived_at=arrived_at,
                               office_of_entry=row.office_of_entry,
                               result="arrived-with-discrepancies" if kinds else "arrived",
                               alarms=kinds).as_payload()
    try:
        return outbox.send_in(session, settings, signing.exchange_key(settings), to=row.partner,
                              action=ACTION_CONFIRMATION, purpose=PURPOSE_CONFIRMATION,
                              agreement_id=row.agreement_id, payload=payload, now=now,
                              conversation_id=row.conversation_id, ref_to=row.message_id)
    except ExchangeRefused as exc:
        log.warning("exit confirmation of %s not sent: %s", row.mrn, exc.code)
        return f"refused: {exc.code}"


def _partner_mrns(session: Session, settings: Settings,
                  refs: Iterable[str]) -> list[tuple[str, str]]:
    """The references shaped as another administration's MRN (chars 3-4 its country code)
    whose country is an active partner: (MRN, partner)."""
    found = []
    for ref in refs:
        code = ref[2:4]
        if (len(ref) == 18 and ref[:2].isdigit() and code.isalpha()
                and code != settings.country_code):
            partner = exchange_repo.partner(session, code)
            if partner is not None and partner.active:
                found.append((ref, code))
    return found


def _no_exit_record(session: Session, partner: str, mrn: str | None, now: datetime, *,
                    evidence: dict[str, Any], declaration_id: int | None = None) -> Alarm:
    what = f"MRN {mrn}" if mrn else f"vehicle {evidence.get('vehicle')}"
    alarm = Alarm(kind=AlarmKind.NO_EXIT_RECORD, partner=partner, mrn=mrn,
                  reason=f"Arrived from {partner} ({what}) with no exit record announced",
                  raised_at=now, evidence=evidence, declaration_id=declaration_id)
    alarms.add_alarm(session, alarm)
    return alarm
