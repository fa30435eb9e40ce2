"""Storage of integrated border management, inside the caller's transaction: crossing points,
the booth record's documents, watch-list entries with their keys, alerts with their services,
and the read log (the privacy room's access log: who read which entry or alert, when)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.border.model import Alert, CrossingPoint, WatchEntry, WatchKind
from clearway.identity import User
from clearway.privacy import repository as privacy_repo
from clearway.privacy.model import Access
from clearway.storage.orm_border import (
    CrossingDocumentRow,
    CrossingPointRow,
    WatchAlertRow,
    WatchAlertServiceRow,
    WatchEntryRow,
    WatchKeyRow,
)
from clearway.storage.orm_prearrival import CrossingRow

PURPOSE = "border-watch"  # the purpose under which the access log keeps watch-list reads


def point_of(row: CrossingPointRow) -> CrossingPoint:
    return CrossingPoint(code=row.code, name=row.name, office=row.office,
                         neighbour=row.neighbour, modes=tuple(row.modes),
                         agencies=tuple(row.agencies), active=row.active)


def points(session: Session) -> list[CrossingPoint]:
    return [point_of(r) for r in session.scalars(select(CrossingPointRow)
                                                 .order_by(CrossingPointRow.code))]


def point(session: Session, code: str) -> CrossingPoint | None:
    row = session.get(CrossingPointRow, code)
    return None if row is None else point_of(row)


def count_points(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(CrossingPointRow)) or 0)


def save_point(session: Session, found: CrossingPoint, *, by: str,
               at: datetime) -> dict[str, Any] | None:
    """Insert or replace a point; returns what it was before (None: new)."""
    row = session.get(CrossingPointRow, found.code, with_for_update=True)
    before = None if row is None else point_of(row).as_dict()
    if row is None:
        row = CrossingPointRow(code=found.code)
        session.add(row)
    row.name, row.office, row.neighbour = found.name, found.office, found.neighbour
    row.modes, row.agencies, row.active = list(found.modes), list(found.agencies), found.active
    row.updated_by, row.updated_at = by, at
    session.flush()
    return before


def link_documents(session: Session, crossing_id: int, mrns: Iterable[tuple[str, str]]) -> None:
    """The MRNs presented at the booth for a crossing: (mrn, kind declaration / ens)."""
    session.add_all(CrossingDocumentRow(crossing_id=crossing_id, mrn=m, kind=k)
                    for m, k in dict(mrns).items())
    session.flush()


def crossings_of_mrn(session: Session, mrn: str) -> list[tuple[CrossingRow, str]]:
    """The booth records a declaration or ENS was presented at (oldest first), with the
    kind it was presented as; two index reads."""
    links = dict(session.execute(select(CrossingDocumentRow.crossing_id, CrossingDocumentRow.kind)
                                 .where(CrossingDocumentRow.mrn == mrn)).all())
    if not links:
        return []
    rows = session.scalars(select(CrossingRow).where(CrossingRow.id.in_(sorted(links)))
                           .order_by(CrossingRow.recorded_at, CrossingRow.id))
    return [(r, links[r.id]) for r in rows]


def documents_of(session: Session, crossing_id: int) -> list[tuple[str, str]]:
    return [(m, k) for m, k in session.execute(
        select(CrossingDocumentRow.mrn, CrossingDocumentRow.kind)
        .where(CrossingDocumentRow.crossing_id == crossing_id)
        .order_by(CrossingDocumentRow.mrn))]


def entry_of(row: WatchEntryRow) -> WatchEntry:
    return WatchEntry(id=row.id, kind=WatchKind(row.kind), shown=row.shown, reason=row.reason,
                      owner=row.owner, shared_with=tuple(row.shared_with),
                      valid_from=row.valid_from, valid_to=row.valid_to,
                      created_by=row.created_by, created_at=row.created_at,
                      ended_at=row.ended_at, ended_by=row.ended_by, end_reason=row.end_reason)


def add_entry(session: Session, entry: WatchEntry, keys: Iterable[tuple[str, str]]) -> int:
    """Store an entry and the (facet, key) pairs it is found by; returns its id."""
    row = WatchEntryRow(kind=str(entry.kind), shown=entry.shown[:200], reason=entry.reason,
                        owner=entry.owner, shared_with=list(entry.shared_with),
                        valid_from=entry.valid_from, valid_to=entry.valid_to,
                        created_by=entry.created_by, created_at=entry.created_at)
    session.add(row)
    session.flush()
    session.add_all(WatchKeyRow(entry_id=row.id, facet=f, key=k) for f, k in set(keys))
    session.flush()
    return row.id


def entry_row(session: Session, entry_id: int, *, lock: bool = False) -> WatchEntryRow | None:
    return session.get(WatchEntryRow, entry_id, with_for_update=lock)


def entries(session: Session, *, live_only: bool, limit: int = 1000) -> list[WatchEntry]:
    """Entries, newest first (a service's share is filtered by the caller: the lists are
    short next to the declarations, and the read is logged for what is shown only)."""
    query = select(WatchEntryRow).order_by(WatchEntryRow.id.desc()).limit(limit)
    if live_only:
        query = query.where(WatchEntryRow.ended_at.is_(None))
    return [entry_of(r) for r in session.scalars(query)]


def entries_by_keys(session: Session, keys: Iterable[str]) -> dict[int, set[tuple[str, str]]]:
    """The entries one of `keys` finds, with the (facet, key) pairs found: one read on the
    key index, whatever the size of the lists."""
    wanted = sorted(set(keys))
    found: dict[int, set[tuple[str, str]]] = {}
    if not wanted:
        return found
    for entry_id, facet, key in session.execute(
            select(WatchKeyRow.entry_id, WatchKeyRow.facet, WatchKeyRow.key)
            .where(WatchKeyRow.key.in_(wanted))):
        found.setdefault(entry_id, set()).add((facet, key))
    return found


def entries_by_ids(session: Session, ids: Iterable[int]) -> list[WatchEntry]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return [entry_of(r) for r in session.scalars(select(WatchEntryRow)
                                                 .where(WatchEntryRow.id.in_(wanted)))]


def alert_of(row: WatchAlertRow) -> Alert:
    return Alert(id=row.id, entry_id=row.entry_id, kind=WatchKind(row.kind),
                 matched=row.matched, field=row.field, object_type=row.object_type,
                 object_ref=row.object_ref, reason=row.reason,
                 services=frozenset(row.services), raised_at=row.raised_at, status=row.status,
                 closed_at=row.closed_at, closed_by=row.closed_by,
                 close_reason=row.close_reason)


def alerted(session: Session, object_type: str, object_ref: str) -> dict[int, Alert]:
    """The alerts already raised on an object, by entry (an alert is stored once)."""
    return {r.entry_id: alert_of(r) for r in session.scalars(select(WatchAlertRow).where(
        WatchAlertRow.object_type == object_type, WatchAlertRow.object_ref == object_ref))}


def add_alert(session: Session, alert: Alert) -> Alert:
    row = WatchAlertRow(entry_id=alert.entry_id, kind=str(alert.kind),
                        matched=alert.matched[:200], field=alert.field[:120],
                        object_type=alert.object_type, object_ref=alert.object_ref[:35],
                        reason=alert.reason[:500], services=sorted(alert.services),
                        status="open", raised_at=alert.raised_at)
    session.add(row)
    session.flush()
    session.add_all(WatchAlertServiceRow(alert_id=row.id, service=s) for s in alert.services)
    session.flush()
    return alert_of(row)


def alerts_for(session: Session, service: str, *, status: str | None,
               limit: int) -> list[Alert]:
    """A service's room: the alerts concerning it, newest first (the service index)."""
    ids = select(WatchAlertServiceRow.alert_id).where(WatchAlertServiceRow.service == service)
    query = select(WatchAlertRow).where(WatchAlertRow.id.in_(ids))
    if status is not None:
        query = query.where(WatchAlertRow.status == status)
    return [alert_of(r) for r in session.scalars(query.order_by(WatchAlertRow.id.desc())
                                                 .limit(limit))]


def alert_row(session: Session, alert_id: int, *, lock: bool = False) -> WatchAlertRow | None:
    return session.get(WatchAlertRow, alert_id, with_for_update=lock)


def read_logged(session: Session, at: datetime, user: User, what: str, ids: Iterable[int],
                *, action: str = "read") -> None:
    """Who read which watch-list entries or alerts (`what`: watch-entry / watch-alert), when:
    one line of the access log per read, naming every id shown."""
    shown = sorted(set(ids))
    record = f"{what}:{shown[0]}" if len(shown) == 1 and action == "read" else f"{what}:list"
    privacy_repo.log(session, at, Access(actor=user.actor, action=action, record=record,
                                         purpose=PURPOSE, detail={what: shown}))
