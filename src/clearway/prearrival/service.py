"""Use cases of the entry side of pre-arrival: a border crossing recorded at the booth, the
deadline sweep, the tolerances per HS chapter, and reading the arrivals announced. (The
exit side's use cases: `exits.py`; the alarms' officer and analyst side: `alarm_service.py`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from clearway.audit import repository as audit
from clearway.border import booth as booth_part
from clearway.border.booth import Presented
from clearway.border.model import Alert as WatchAlert
from clearway.border.model import Booth
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import User
from clearway.prearrival import arrivals
from clearway.prearrival import arrivals_repository as repo
from clearway.prearrival import repository as alarms
from clearway.prearrival.matching import Tolerance, normalised_unit, normalised_vehicle
from clearway.prearrival.model import Alarm, AlarmKind
from clearway.prearrival.repository import read_logged
from clearway.privacy import pseudonyms
from clearway.storage.orm_prearrival import ArrivalRow, CrossingRow

SWEEP_LIMIT = 5000  # arrivals turned overdue per sweep; the next sweep takes the rest
MAX_UNITS = 99  # containers or seals on one booth record
_CHAPTER = re.compile(r"^(\*|[0-9]{2})$")


@dataclass(frozen=True)
class CrossingResult:
    crossing_id: int
    arrival_id: int | None
    alarms: list[Alarm]
    alerts: list[WatchAlert] = field(default_factory=list)  # watch-list hits (docs/border.md)


def record_crossing(ctx: Context, user: User, office: str | None, vehicle: str,
                    containers: list[str], seals: list[str],
                    from_country: str | None, *,
                    border: Presented | None = None) -> CrossingResult:
    """A vehicle an officer saw cross at `office` (one of ours; None: the crossing point's),
    with its containers and seals, and the border part (crossing point, direction, trailer,
    driver, documents presented): an entry is matched with the arrivals announced, every
    record checked against the watch lists, in one unit of work."""
    now = ctx.clock.now()
    plate = normalised_vehicle(vehicle)
    if plate is None or len(plate) > 35:
        raise _invalid("The vehicle registration is 1 to 35 letters and digits")
    if from_country is not None and not re.fullmatch(r"[A-Za-z]{2}", from_country):
        raise _invalid("The country the vehicle comes from is a two-letter code")
    units = [_units(containers, 17, "container"), _units(seals, 35, "seal")]
    given = border or Presented(Booth())
    ring = pseudonyms.load(ctx.settings.pseudonym_keys_file) if given.driver else \
        pseudonyms.EMPTY
    with ctx.uow() as uow:
        office, booth = booth_part.resolve(uow.session, ring, office, given, now)
        found = ctx.refdata.get().office(office, now.date())
        if found is None or found.country != ctx.settings.country_code:
            raise _invalid(f"{office!r} is not an office of {ctx.settings.country_code}")
        row = repo.add_crossing(uow.session, office=office, vehicle=plate,
                                containers=units[0], seals=units[1],
                                from_country=from_country.upper() if from_country else None,
                                by=user.actor, at=now)
        alerts = booth_part.recorded(uow.session, row, booth)
        raised = arrivals.on_crossing(uow.session, ctx.settings, row,
                                      rate=ctx.refdata.get().rate) \
            if booth.direction == "entry" else []
        audit.append(uow.session, at=now, actor=user.actor, action="arrival.crossing",
                     object_type="border_crossing", object_id=str(row.id),
                     detail={"office": office, "vehicle": plate, "arrival": row.arrival_id,
                             "alarms": [str(a.kind) for a in raised], "point": booth.point,
                             "direction": booth.direction, "alerts": [a.id for a in alerts]})
        uow.commit()
        return CrossingResult(row.id, row.arrival_id, raised, alerts)


def _units(numbers: list[str], width: int, what: str) -> list[str]:
    kept = sorted({normalised_unit(n) for n in numbers if n.strip()})
    if len(kept) > MAX_UNITS or any(len(n) > width for n in kept):
        raise _invalid(f"At most {MAX_UNITS} {what} numbers of up to {width} characters")
    return kept


def _invalid(message: str) -> ClearwayError:
    return ClearwayError(code="CW-PRE-CROSSING", message=message)


def sweep_overdue(ctx: Context) -> int:
    """Expected arrivals past their deadline become overdue, each with a NO_ARRIVAL alarm;
    one unit of work. Returns how many."""
    with ctx.uow() as uow:
        now = ctx.clock.now()
        due = repo.due(uow.session, now, SWEEP_LIMIT)
        for row in due:
            row.status = "overdue"
            alarm_id = alarms.add_alarm(uow.session, Alarm(
                kind=AlarmKind.NO_ARRIVAL, partner=row.partner, mrn=row.mrn,
                reason=f"Announced by {row.partner} (left {row.office_of_exit} at "
                       f"{row.exit_at.isoformat()}), not arrived at {row.office_of_entry} by "
                       f"{row.deadline_at.isoformat()}",
                raised_at=now, arrival_id=row.id,
                evidence={"exit_at": row.exit_at.isoformat(),
                          "deadline_at": row.deadline_at.isoformat(),
                          "office_of_exit": row.office_of_exit,
                          "office_of_entry": row.office_of_entry, "vehicle": row.vehicle,
                          "message_id": row.message_id}))
            audit.append(uow.session, at=now, actor=arrivals.SYSTEM, action="arrival.overdue",
                         object_type="anticipated_arrival", object_id=str(row.id),
                         detail={"partner": row.partner, "mrn": row.mrn, "alarm_id": alarm_id})
        uow.commit()
    return len(due)


def set_tolerance(ctx: Context, chapter: str, *, mass_pct: Any, packages: Any, value_pct: Any,
                  user: User) -> Tolerance:
    """Set how far arrivals of an HS chapter ("*": the default) may differ (audited)."""
    if not _CHAPTER.match(chapter):
        raise _tolerance_error("The HS chapter is two digits, or * for the default")
    found = Tolerance(chapter, _pct(mass_pct, "mass"), _count(packages), _pct(value_pct, "value"))
    with ctx.uow() as uow:
        now = ctx.clock.now()
        repo.save_tolerance(uow.session, found, by=user.actor, at=now)
        audit.append(uow.session, at=now, actor=user.actor, action="arrival.tolerance",
                     object_type="arrival_tolerance", object_id=chapter,
                     detail={"mass_pct": str(found.mass_pct), "packages": found.packages_abs,
                             "value_pct": str(found.value_pct)})
        uow.commit()
    return found


def _pct(value: Any, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _tolerance_error(f"The {what} tolerance is a number") from None
    if not number.is_finite() or not 0 <= number <= 1000 or number != round(number, 3):
        raise _tolerance_error(f"The {what} tolerance is a percentage from 0 to 1000 "
                               "(three decimals at most)")
    return number


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise _tolerance_error("The packages tolerance is a whole number from 0 to 1000000")
    return value


def _tolerance_error(message: str) -> ClearwayError:
    return ClearwayError(code="CW-PRE-TOLERANCE", message=message)


def tolerances(ctx: Context) -> list[Tolerance]:
    with ctx.uow(read_only=True) as uow:
        return sorted(repo.tolerances(uow.session).by_chapter.values(),
                      key=lambda t: t.hs_chapter)


def list_arrivals(ctx: Context, *, status: str | None, limit: int,
                  offset: int = 0) -> list[dict[str, Any]]:
    with ctx.uow(read_only=True) as uow:
        return [_summary(r) for r in repo.listed(uow.session, status=status, limit=limit,
                                                 offset=offset)]


def arrival_detail(ctx: Context, arrival_id: int, user: User) -> dict[str, Any]:
    """The announcement, what arrived (what matched first, the booth records) and the
    alarms raised on it, each with both sides' figures. The read is kept in the data
    protection access log."""
    with ctx.uow() as uow:
        row = repo.get(uow.session, arrival_id)
        if row is None:
            raise ClearwayError(code="CW-PRE-ARRIVAL-NOT-FOUND",
                                message=f"No anticipated arrival {arrival_id}")
        found = {**_summary(row), "announcement": row.payload,
                 "crossings": [_crossing(c) for c in repo.crossings_of(uow.session, row.id)],
                 "alarms": repo.alarms_of_arrival(uow.session, row.id)}
        read_logged(uow.session, ctx.clock.now(), user, row.message_id, f"arrival:{row.id}")
        uow.commit()
        return found


def _summary(row: ArrivalRow) -> dict[str, Any]:
    return {"id": row.id, "partner": row.partner, "agreement_id": row.agreement_id,
            "message_id": row.message_id, "mrn": row.mrn, "office_of_exit": row.office_of_exit,
            "office_of_entry": row.office_of_entry, "exit_at": row.exit_at,
            "deadline_at": row.deadline_at, "vehicle": row.vehicle, "status": row.status,
            "arrived_at": row.arrived_at, "matched_kind": row.matched_kind,
            "matched_ref": row.matched_ref, "received_at": row.received_at}


def _crossing(row: CrossingRow) -> dict[str, Any]:
    return {"id": row.id, "office": row.office, "vehicle": row.vehicle,
            "containers": row.containers, "seals": row.seals, "from_country": row.from_country,
            "recorded_by": row.recorded_by, "recorded_at": row.recorded_at,
            "point": row.point, "direction": row.direction, "trailer": row.trailer}
