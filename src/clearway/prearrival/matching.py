"""What a partner announced against what arrived: a pure comparison, no storage.

`match` takes an anticipated arrival, what arrived at the office of entry (an import or
transit declaration, an ENS, or a booth record, all read into `Arrived`), the tolerances per
HS chapter and the crossing, and returns the alarms, each with its reason and the figures of
both sides. Only what both sides carry is compared: a field the agreement stripped, or that
the arriving document lacks, raises nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from clearway.exchange.model import Crossing
from clearway.prearrival.goods import (
    DEFAULT_TOLERANCE,
    Side,
    Tolerance,
    Tolerances,
    announced_side,
    compare_goods,
)
from clearway.prearrival.model import Alarm, AlarmKind
from clearway.prearrival.payload import AnticipatedArrival, PartyRef
from clearway.privacy.pseudonyms import Keyring, normalised, same_person

ARRIVAL_KINDS = ("declaration", "ens", "crossing")
__all__ = ["DEFAULT_TOLERANCE", "Arrived", "ArrivedItem", "Comparison", "Tolerance",
           "Tolerances", "match", "normalised_unit", "normalised_vehicle"]


@dataclass(frozen=True)
class ArrivedItem:
    """One goods item as it arrived; `value_eur` already in euros (None: not declared)."""

    hs6: str | None
    packages: int | None = None
    gross_mass: Decimal | None = None
    value_eur: Decimal | None = None


@dataclass(frozen=True)
class Arrived:
    """What arrived at the office of entry. `kind`: declaration / ens / crossing; `ref` its
    MRN or record id; the totals are the document's own (None: not declared). The consignee
    is this side's: an id (EORI) or a natural person's name and country, never stored."""

    kind: str
    ref: str
    at: datetime
    office: str | None = None
    items: tuple[ArrivedItem, ...] = ()
    packages: int | None = None
    gross_mass: Decimal | None = None
    value_eur: Decimal | None = None
    consignee_id: str | None = None
    consignee_name: str | None = None
    consignee_country: str | None = None
    containers: tuple[str, ...] = ()
    seals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """How to compare: the tolerances, the crossing (None: transit time not judged), the
    receiving side's EUR rates, the pseudonym keys, and whether this is the moment of
    arrival (the transit time is measured once, at the first match)."""

    partner: str
    agreement_id: str
    tolerances: Tolerances
    crossing: Crossing | None
    rate: Callable[[str, date], Decimal | None]
    ring: Keyring
    first_arrival: bool = True


def normalised_vehicle(plate: str | None) -> str | None:
    """A registration as both sides compare it: upper case, no spaces or dashes."""
    if plate is None:
        return None
    kept = "".join(c for c in plate.upper() if c not in " -\t")
    return kept or None


def normalised_unit(number: str) -> str:
    """A container or seal number: upper case, no spaces."""
    return "".join(number.upper().split())


def match(announced: AnticipatedArrival, arrived: Arrived, how: Comparison) -> list[Alarm]:
    """Every discrepancy between the announcement and what arrived, as alarms."""
    found: list[tuple[AlarmKind, str, dict[str, Any]]] = []
    notes: list[str] = []
    if arrived.items or _has_totals(arrived):
        announced_goods = announced_side(announced, how.rate)
        notes += announced_goods.notes
        found += compare_goods(announced_goods, _arrived_side(arrived), how.tolerances)
    found += _consignee(announced.consignee, arrived, how, notes)
    if how.first_arrival:
        found += _transit(announced, arrived, how.crossing)
    found += _units(announced, arrived)
    return [Alarm(kind=kind, partner=how.partner, mrn=announced.mrn, reason=reason,
                  raised_at=arrived.at,
                  evidence={**evidence, "arrived_as": arrived.kind, "arrived_ref": arrived.ref,
                            **({"notes": notes} if notes else {})})
            for kind, reason, evidence in found]


def _has_totals(arrived: Arrived) -> bool:
    return any(v is not None for v in (arrived.packages, arrived.gross_mass, arrived.value_eur))


def _arrived_side(arrived: Arrived) -> Side:
    return Side(items=tuple((i.hs6, i.packages, i.gross_mass, i.value_eur)
                            for i in arrived.items),
                packages=arrived.packages, gross_mass=arrived.gross_mass,
                value_eur=arrived.value_eur)


def _consignee(party: PartyRef | None, arrived: Arrived, how: Comparison,
               notes: list[str]) -> list[tuple[AlarmKind, str, dict[str, Any]]]:
    if party is None or (arrived.consignee_id is None and arrived.consignee_name is None):
        return []
    day = arrived.at.date()
    if party.eori:
        same = arrived.consignee_id is not None and _id(arrived.consignee_id) == _id(party.eori)
        announced: dict[str, Any] = {"eori": party.eori}
    elif party.pseudonym:
        if not how.ring.valid(how.agreement_id, day):
            notes.append("consignee not compared: no pseudonym key valid on the day")
            return []
        same = arrived.consignee_name is not None and same_person(
            how.ring, how.agreement_id,
            normalised(arrived.consignee_name, arrived.consignee_country),
            party.pseudonym, day)
        announced = {"pseudonym": party.pseudonym}
    else:
        return []
    if same:
        return []
    # This side's natural person is named by nobody here: the evidence says only "a person".
    shown = ({"eori": arrived.consignee_id} if arrived.consignee_id
             else {"natural_person": True})
    return [(AlarmKind.CONSIGNEE, "The consignee on arrival is not the one announced",
             {"announced": announced, "arrived": shown})]


def _id(value: str) -> str:
    return "".join(value.upper().split())


def _transit(announced: AnticipatedArrival, arrived: Arrived,
             crossing: Crossing | None) -> list[tuple[AlarmKind, str, dict[str, Any]]]:
    if crossing is None:
        return []
    minutes = (arrived.at - announced.exit_at).total_seconds() / 60
    evidence = {"exit_at": announced.exit_at.isoformat(), "arrived_at": arrived.at.isoformat(),
                "minutes": round(minutes, 1), "min_minutes": crossing.min_transit_minutes,
                "max_minutes": crossing.max_transit_minutes, "crossing": crossing.name}
    if minutes < crossing.min_transit_minutes:
        return [(AlarmKind.TRANSIT_TOO_SHORT, f"Arrived {minutes:.0f} minutes after exit, "
                 f"faster than the {crossing.min_transit_minutes} the crossing takes",
                 evidence)]
    if minutes > crossing.max_transit_minutes:
        return [(AlarmKind.TRANSIT_TOO_LONG, f"Arrived {minutes:.0f} minutes after exit, "
                 f"longer than the {crossing.max_transit_minutes} the crossing allows",
                 evidence)]
    return []


def _units(announced: AnticipatedArrival,
           arrived: Arrived) -> list[tuple[AlarmKind, str, dict[str, Any]]]:
    transport = announced.transport
    if transport is None:
        return []
    evidence: dict[str, Any] = {}
    for name, said, seen in (("containers", transport.containers, arrived.containers),
                             ("seals", transport.seals, arrived.seals)):
        one, other = _units_set(said), _units_set(seen)
        if one and other and one != other:
            evidence[name] = {"announced": sorted(one), "arrived": sorted(other)}
    if not evidence:
        return []
    return [(AlarmKind.SEALS, "The " + " and ".join(evidence) + " on arrival are not the ones "
             "announced", evidence)]


def _units_set(numbers: Iterable[str]) -> set[str]:
    return {normalised_unit(n) for n in numbers if n.strip()}
