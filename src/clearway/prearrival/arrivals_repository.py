"""Storage of the entry side: anticipated arrivals received, their containers, booth records
and tolerances. Every lookup the matching makes is one index read (MRN, container, vehicle,
the due-date index of the sweep), so it costs the same with a million arrivals stored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from clearway.prearrival.matching import Tolerance, Tolerances, normalised_unit
from clearway.prearrival.model import AlarmKind
from clearway.prearrival.payload import AnticipatedArrival
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.storage.orm import RefDataSetRow
from clearway.storage.orm_prearrival import (
    AlarmRow,
    ArrivalContainerRow,
    ArrivalRow,
    CrossingRow,
    ToleranceRow,
)

STATUSES = ("expected", "arrived", "overdue")
LIVE = ("expected", "overdue")  # not arrived yet: what a container or vehicle may match


def add(session: Session, *, partner: str, agreement_id: str, message_id: str,
        conversation_id: str, announced: AnticipatedArrival, vehicle: str | None,
        deadline_at: datetime, received_at: datetime) -> ArrivalRow:
    row = ArrivalRow(partner=partner, agreement_id=agreement_id, message_id=message_id,
                     conversation_id=conversation_id, mrn=announced.mrn,
                     office_of_exit=announced.office_of_exit,
                     office_of_entry=announced.office_of_entry, exit_at=announced.exit_at,
                     deadline_at=deadline_at, vehicle=vehicle, payload=announced.as_payload(),
                     status="expected", received_at=received_at)
    session.add(row)
    session.flush()
    session.add_all(ArrivalContainerRow(arrival_id=row.id, container=c)
                    for c in containers_of(announced))
    return row


def containers_of(announced: AnticipatedArrival) -> set[str]:
    transport = announced.transport
    return {normalised_unit(c)[:17] for c in (transport.containers if transport else ())
            if c.strip()}


def bulk_insert(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Store many arrivals at once (the benchmark's million): each row holds ArrivalRow's
    columns and "containers" (a list of numbers). Returns how many."""
    columns = [{k: v for k, v in r.items() if k != "containers"} for r in rows]
    ids = session.scalars(insert(ArrivalRow).returning(ArrivalRow.id,
                                                       sort_by_parameter_order=True),
                          columns).all()
    units = [{"arrival_id": i, "container": c}
             for i, r in zip(ids, rows, strict=True) for c in set(r.get("containers", ()))]
    if units:
        session.execute(insert(ArrivalContainerRow), units)
    return len(ids)


def by_mrns(session: Session, mrns: Iterable[str]) -> list[ArrivalRow]:
    """Arrivals announced under these MRNs (newest announcement first)."""
    wanted = sorted(set(mrns))
    if not wanted:
        return []
    return list(session.scalars(select(ArrivalRow).where(ArrivalRow.mrn.in_(wanted))
                                .order_by(ArrivalRow.id.desc())))


def by_containers(session: Session, containers: Iterable[str]) -> list[ArrivalRow]:
    """Arrivals not arrived yet that announced one of these containers."""
    wanted = sorted({normalised_unit(c)[:17] for c in containers if c.strip()})
    if not wanted:
        return []
    # Two steps, so that no planner prefers the status index (a scan of every arrival
    # expected) to the container index and the primary key.
    ids = sorted(set(session.scalars(select(ArrivalContainerRow.arrival_id).where(
        ArrivalContainerRow.container.in_(wanted)))))
    if not ids:
        return []
    return [r for r in session.scalars(select(ArrivalRow).where(ArrivalRow.id.in_(ids))
                                       .order_by(ArrivalRow.exit_at.desc()))
            if r.status in LIVE]


def by_vehicle(session: Session, vehicle: str, offices: Iterable[str]) -> list[ArrivalRow]:
    """Arrivals not arrived yet of this (normalised) vehicle expected at one of `offices`."""
    return list(session.scalars(select(ArrivalRow).where(
        ArrivalRow.vehicle == vehicle, ArrivalRow.office_of_entry.in_(sorted(set(offices))),
        ArrivalRow.status.in_(LIVE)).order_by(ArrivalRow.exit_at.desc())))


def get(session: Session, arrival_id: int, *, for_update: bool = False) -> ArrivalRow | None:
    return session.get(ArrivalRow, arrival_id, with_for_update=for_update)


def due(session: Session, now: datetime, limit: int) -> list[ArrivalRow]:
    """Expected arrivals whose deadline has passed (the sweep; on the due-date index)."""
    return list(session.scalars(select(ArrivalRow).where(
        ArrivalRow.status == "expected", ArrivalRow.deadline_at < now)
        .order_by(ArrivalRow.deadline_at).limit(limit).with_for_update(skip_locked=True)))


def listed(session: Session, *, status: str | None, limit: int, offset: int) -> list[ArrivalRow]:
    query = select(ArrivalRow)
    if status is not None:
        query = query.where(ArrivalRow.status == status)
    return list(session.scalars(query.order_by(ArrivalRow.id.desc()).offset(offset)
                                .limit(limit)))


def mark_arrived(row: ArrivalRow, kind: str, ref: str, at: datetime) -> None:
    row.status, row.arrived_at, row.matched_kind, row.matched_ref = "arrived", at, kind, ref


def add_crossing(session: Session, *, office: str, vehicle: str, containers: list[str],
                 seals: list[str], from_country: str | None, by: str,
                 at: datetime) -> CrossingRow:
    row = CrossingRow(office=office, vehicle=vehicle, containers=containers, seals=seals,
                      from_country=from_country, recorded_by=by, recorded_at=at)
    session.add(row)
    session.flush()
    return row


def crossing(session: Session, crossing_id: int) -> CrossingRow | None:
    return session.get(CrossingRow, crossing_id)


def crossings_of(session: Session, arrival_id: int) -> list[CrossingRow]:
    return list(session.scalars(select(CrossingRow).where(CrossingRow.arrival_id == arrival_id)
                                .order_by(CrossingRow.id)))


def open_no_exit(session: Session, partner: str) -> list[AlarmRow]:
    """Open "no exit record" alarms from `partner` (an announcement may answer one by its
    MRN, vehicle or container); few at any time, read on the (kind, status) index."""
    kind = str(AlarmKind.NO_EXIT_RECORD)
    return list(session.scalars(select(AlarmRow).where(
        AlarmRow.status == "open", AlarmRow.kind == kind, AlarmRow.partner == partner)
        .order_by(AlarmRow.id).with_for_update()))


def open_alarms_of_arrival(session: Session, arrival_id: int, kind: AlarmKind) -> list[int]:
    """An arrival's open alarms of `kind`: read by the arrival's index alone (it has few),
    never by the kind's (every open alarm of that kind)."""
    rows = session.execute(select(AlarmRow.id, AlarmRow.kind, AlarmRow.status)
                           .where(AlarmRow.arrival_id == arrival_id)).all()
    return [i for i, k, status in rows if k == str(kind) and status == "open"]


def tolerances(session: Session) -> Tolerances:
    return Tolerances({r.hs_chapter: _tolerance(r) for r in session.scalars(
        select(ToleranceRow))})


def _tolerance(row: ToleranceRow) -> Tolerance:
    return Tolerance(row.hs_chapter, Decimal(row.mass_pct), row.packages_abs,
                     Decimal(row.value_pct))


def save_tolerance(session: Session, found: Tolerance, *, by: str, at: datetime) -> None:
    row = session.get(ToleranceRow, found.hs_chapter, with_for_update=True)
    if row is None:
        row = ToleranceRow(hs_chapter=found.hs_chapter)
        session.add(row)
    row.mass_pct, row.packages_abs, row.value_pct = (found.mass_pct, found.packages_abs,
                                                     found.value_pct)
    row.updated_by, row.updated_at = by, at
    session.flush()


_LISTS = ("offices", "exchange_rates")
_REFERENCE: dict[tuple[int, ...], RefDataSnapshot] = {}


def reference(session: Session) -> RefDataSnapshot:
    """The offices and exchange rates of the current reference data (the packaged lists
    when none is loaded), for a partner's message handled without the context's cache:
    parsed once per loaded version, not per message."""
    found = dict(session.execute(
        select(RefDataSetRow.list_name, func.max(RefDataSetRow.id))
        .where(RefDataSetRow.list_name.in_(_LISTS)).group_by(RefDataSetRow.list_name)).all())
    marker = tuple(found.get(name, 0) for name in _LISTS)
    snapshot = _REFERENCE.get(marker)
    if snapshot is None:
        packaged = read_directory(package_dir()) if len(found) < len(_LISTS) else {}
        texts = {name: (session.get_one(RefDataSetRow, found[name]).content
                        if name in found else packaged[name]) for name in _LISTS}
        snapshot = _REFERENCE[marker] = RefDataSnapshot.from_texts(texts)
    return snapshot


def alarms_of_arrival(session: Session, arrival_id: int) -> list[dict[str, Any]]:
    """Every alarm raised on an arrival, open or closed, with its evidence."""
    rows = session.scalars(select(AlarmRow).where(AlarmRow.arrival_id == arrival_id)
                           .order_by(AlarmRow.id))
    return [{"id": r.id, "kind": r.kind, "reason": r.reason, "evidence": r.evidence,
             "status": r.status, "raised_at": r.raised_at, "declaration_id": r.declaration_id,
             "close_reason": r.close_reason} for r in rows]
