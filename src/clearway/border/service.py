"""Use cases of integrated border management: the crossing points (read by all at the border,
kept by an administrator, audited), the crossings of a declaration or ENS, the shared watch
lists (each service adds and ends its own entries and shares them) and the alerts they raise
(each service's room; closed with a reason, audited). Every read of entries or alerts is
kept in the access log (who, when, which ids)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from clearway.audit import repository as audit
from clearway.border import people, points
from clearway.border import repository as repo
from clearway.border.model import (
    Alert,
    CrossingPoint,
    WatchEntry,
    WatchKind,
    invalid,
    is_agency,
    plate_or_unit,
    service_of,
    valid_service,
    visible,
)
from clearway.border.watch import keys_of
from clearway.context import Context
from clearway.errors import reason_required
from clearway.identity import User
from clearway.privacy import pseudonyms
from clearway.storage.orm_prearrival import CrossingRow

MAX_REASON = 500
LIST_LIMIT = 500


def load_packaged_points(ctx: Context) -> int:
    """This administration's points of the packaged list, when none was ever stored; how
    many (like the packaged reference data, a first provisioning is not an audited change)."""
    with ctx.uow() as uow:
        if repo.count_points(uow.session):
            return 0
        now = ctx.clock.now()
        ours = [p for p in points.packaged() if p.office[:2] == ctx.settings.country_code]
        for found in ours:
            repo.save_point(uow.session, found, by="system", at=now)
        uow.commit()
        return len(ours)


def crossing_points(ctx: Context) -> list[CrossingPoint]:
    with ctx.uow(read_only=True) as uow:
        return repo.points(uow.session)


def save_point(ctx: Context, user: User, given: CrossingPoint) -> CrossingPoint:
    """Add or change a crossing point (administrators; audited with before and after)."""
    now = ctx.clock.now()
    found = points.checked(given, ctx.refdata.get(), ctx.settings.country_code, now.date())
    with ctx.uow() as uow:
        before = repo.save_point(uow.session, found, by=user.actor, at=now)
        audit.append(uow.session, at=now, actor=user.actor, action="border.point",
                     object_type="crossing_point", object_id=found.code,
                     detail={"before": before, "after": found.as_dict()})
        uow.commit()
    return found


def crossings_of(ctx: Context, mrn: str) -> list[dict[str, Any]]:
    """The booth records a declaration or ENS was presented at, oldest first, with their
    times and directions (what the release-time report reads: arrival at the crossing to
    exit)."""
    with ctx.uow(read_only=True) as uow:
        return [crossing_summary(r, kind)
                for r, kind in repo.crossings_of_mrn(uow.session, mrn.strip().upper())]


def crossing_summary(row: CrossingRow, presented_as: str | None = None) -> dict[str, Any]:
    return {"id": row.id, "point": row.point, "office": row.office, "direction": row.direction,
            "vehicle": row.vehicle, "trailer": row.trailer, "containers": row.containers,
            "recorded_at": row.recorded_at, "recorded_by": row.recorded_by,
            "presented_as": presented_as}


@dataclass(frozen=True)
class NewEntry:
    kind: str
    value: str | None
    reason: str
    shared_with: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    person: people.Person | None = None


def _service(user: User) -> str:
    found = service_of(user)
    if found is None:
        raise invalid("CW-BORDER-WATCH", "Your role acts for no service at the border")
    return found


def add_entry(ctx: Context, user: User, given: NewEntry) -> WatchEntry:
    """A new entry owned by the user's service (audited; a person's name and document are
    kept only as pseudonyms)."""
    now = ctx.clock.now()
    owner = _service(user)
    entry, keys = _entry(ctx, given, owner, user, now)
    with ctx.uow() as uow:
        entry_id = repo.add_entry(uow.session, entry, keys)
        audit.append(uow.session, at=now, actor=user.actor, action="border.watch.add",
                     object_type="watch_entry", object_id=str(entry_id),
                     detail={"kind": str(entry.kind), "owner": owner,
                             "shared_with": list(entry.shared_with), "shown": entry.shown,
                             "valid_from": entry.valid_from.isoformat(),
                             "valid_to": entry.valid_to.isoformat() if entry.valid_to else None})
        uow.commit()
    return replace(entry, id=entry_id)


def _entry(ctx: Context, given: NewEntry, owner: str, user: User,
           now: datetime) -> tuple[WatchEntry, set[tuple[str, str]]]:
    try:
        kind = WatchKind(given.kind)
    except ValueError:
        raise invalid("CW-BORDER-WATCH", f"The kind is one of "
                      f"{', '.join(k.value for k in WatchKind)}") from None
    shared = tuple(sorted({s.strip() for s in given.shared_with if s.strip()} - {owner}))
    reason = given.reason.strip()
    start = given.valid_from or now.date()
    problem = (
        f"the reason is 1 to {MAX_REASON} characters" if not 0 < len(reason) <= MAX_REASON else
        "a service shared with is customs, border_police or an agency's code"
        if len(shared) > 20 or not all(valid_service(s) for s in shared) else
        "a person is never shared with an agency"
        if kind == WatchKind.PERSON and any(is_agency(s) for s in (owner, *shared)) else
        "the validity ends before it starts" if given.valid_to and given.valid_to < start else
        None)
    if problem:
        raise invalid("CW-BORDER-WATCH", f"Watch-list entry: {problem}")
    if kind == WatchKind.PERSON:
        if given.person is None:
            raise invalid("CW-BORDER-WATCH", "A person is given by name and document number")
        ring = pseudonyms.load(ctx.settings.pseudonym_keys_file)
        keys = {("person", p) for p in people.every_pseudonym(ring, given.person)}
        shown = people.pseudonym_today(ring, given.person, now.date())
    else:
        value = (given.value or "").strip()
        keys = keys_of(kind, value) if 0 < len(value) <= 200 else set()
        if not keys:
            raise invalid("CW-BORDER-WATCH", f"The {kind} is 1 to 200 characters with letters "
                          "or digits")
        shown = plate_or_unit(value) if kind in (WatchKind.VEHICLE, WatchKind.CONTAINER) \
            else value
    return WatchEntry(id=0, kind=kind, shown=shown, reason=reason, owner=owner,
                      shared_with=shared, valid_from=start, valid_to=given.valid_to,
                      created_by=user.actor, created_at=now), keys


def end_entry(ctx: Context, user: User, entry_id: int, reason: str) -> WatchEntry:
    """End an entry of the user's own service, with a reason (audited)."""
    if not reason.strip():
        raise reason_required("Ending a watch-list entry needs a reason")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = repo.entry_row(uow.session, entry_id, lock=True)
        entry = None if row is None else repo.entry_of(row)
        if row is None or entry is None or not entry.visible_to(user):
            raise invalid("CW-BORDER-WATCH-NOT-FOUND", f"No watch-list entry {entry_id}")
        if entry.owner != service_of(user):
            raise invalid("CW-BORDER-WATCH-OWNER", f"Entry {entry_id} is {entry.owner}'s")
        if row.ended_at is not None:
            raise invalid("CW-BORDER-WATCH-ENDED", f"Entry {entry_id} was already ended")
        row.ended_at, row.ended_by, row.end_reason = now, user.actor, reason.strip()[:MAX_REASON]
        audit.append(uow.session, at=now, actor=user.actor, action="border.watch.end",
                     object_type="watch_entry", object_id=str(entry_id),
                     detail={"reason": row.end_reason})
        uow.commit()
        return repo.entry_of(row)


def list_entries(ctx: Context, user: User, *, live_only: bool = True) -> list[WatchEntry]:
    """The entries the user's service owns or is shared, persons only for roles that may see
    them; the read logged."""
    with ctx.uow() as uow:
        shown = [e for e in repo.entries(uow.session, live_only=live_only, limit=LIST_LIMIT)
                 if e.visible_to(user)]
        repo.read_logged(uow.session, ctx.clock.now(), user, "watch-entry",
                         [e.id for e in shown], action="list")
        uow.commit()
    return shown


def list_alerts(ctx: Context, user: User, *, status: str | None = "open") -> list[Alert]:
    """The alerts in the user's service's room (persons only for roles that may see them);
    the read logged."""
    service = _service(user)
    with ctx.uow() as uow:
        shown = [a for a in repo.alerts_for(uow.session, service, status=status,
                                            limit=LIST_LIMIT) if a.visible_to(user)]
        repo.read_logged(uow.session, ctx.clock.now(), user, "watch-alert",
                         [a.id for a in shown], action="list")
        uow.commit()
    return shown


def get_alert(ctx: Context, user: User, alert_id: int) -> Alert:
    with ctx.uow() as uow:
        row = repo.alert_row(uow.session, alert_id)
        alert = None if row is None else repo.alert_of(row)
        if alert is None or not alert.visible_to(user):
            raise invalid("CW-BORDER-ALERT-NOT-FOUND", f"No alert {alert_id}")
        repo.read_logged(uow.session, ctx.clock.now(), user, "watch-alert", [alert.id])
        uow.commit()
        return alert


def alerts_shown(ctx: Context, user: User, alerts: list[Alert]) -> list[Alert]:
    """Of the alerts a booth record raised, those the officer may see, the read logged."""
    shown = [a for a in alerts if a.visible_to(user)]
    if shown:
        with ctx.uow() as uow:
            repo.read_logged(uow.session, ctx.clock.now(), user, "watch-alert",
                             [a.id for a in shown])
            uow.commit()
    return shown


def close_alert(ctx: Context, user: User, alert_id: int, reason: str) -> Alert:
    """Close an alert of the user's service with a reason (audited)."""
    if not reason.strip():
        raise reason_required("Closing an alert needs a reason")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = repo.alert_row(uow.session, alert_id, lock=True)
        if row is None or not visible(user, row.kind, frozenset(row.services)):
            raise invalid("CW-BORDER-ALERT-NOT-FOUND", f"No alert {alert_id}")
        if row.status != "open":
            raise invalid("CW-BORDER-ALERT-CLOSED", f"Alert {alert_id} is already closed")
        row.status, row.closed_at, row.closed_by = "closed", now, user.actor
        row.close_reason = reason.strip()[:MAX_REASON]
        audit.append(uow.session, at=now, actor=user.actor, action="border.alert.close",
                     object_type="watch_alert", object_id=str(alert_id),
                     detail={"reason": row.close_reason, "entry": row.entry_id,
                             "object": f"{row.object_type}:{row.object_ref}"})
        uow.commit()
        return repo.alert_of(row)
