"""The goods of an announcement against the goods that arrived: gross mass, packages and
value beyond the HS chapter's tolerance, and HS6 codes on one side only (pure).

When both sides list items with the same HS6 codes, each HS6 is compared on its own (its
items summed) under its chapter's tolerance; otherwise the totals are compared, under the
chapter all items share or the "*" tolerance. Values are compared in euros at this side's
reference rates; a value whose rate is missing is not compared and says so in a note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.prearrival.model import AlarmKind
from clearway.prearrival.payload import AnticipatedArrival

# (hs6, packages, gross mass, value in EUR) of one item; None where not given.
Item = tuple[str | None, int | None, Decimal | None, Decimal | None]
Found = tuple[AlarmKind, str, dict[str, Any]]
_FIELDS = (("gross_mass", AlarmKind.GROSS_MASS, "gross mass"),
           ("packages", AlarmKind.PACKAGES, "number of packages"),
           ("value_eur", AlarmKind.VALUE, "value"))


@dataclass(frozen=True)
class Tolerance:
    hs_chapter: str  # "*" (every chapter without its own) or two digits
    mass_pct: Decimal = Decimal(5)
    packages_abs: int = 0
    value_pct: Decimal = Decimal(10)


DEFAULT_TOLERANCE = Tolerance("*")


@dataclass(frozen=True)
class Tolerances:
    by_chapter: Mapping[str, Tolerance] = field(default_factory=dict)

    def of(self, chapter: str | None) -> Tolerance:
        """The chapter's own tolerance, else the "*" row, else the built-in default."""
        own = self.by_chapter.get(chapter) if chapter else None
        return own or self.by_chapter.get("*") or DEFAULT_TOLERANCE


@dataclass(frozen=True)
class Side:
    items: tuple[Item, ...]
    packages: int | None = None
    gross_mass: Decimal | None = None
    value_eur: Decimal | None = None
    notes: tuple[str, ...] = ()


def announced_side(announced: AnticipatedArrival,
                   rate: Callable[[str, date], Decimal | None]) -> Side:
    """The announcement's goods with values in euros at the rate of the exit day."""
    notes: list[str] = []
    day = announced.exit_at.date()
    totals = announced.totals

    def eur(amount: Decimal | None, currency: str | None) -> Decimal | None:
        if amount is None:
            return None
        found = rate(currency, day) if currency else None
        if found is None:
            note = (f"value not compared: no EUR rate for {currency} on {day}" if currency
                    else "value not compared: no currency announced")
            if note not in notes:
                notes.append(note)
            return None
        return amount * found

    fallback = totals.currency if totals else None
    items = tuple((i.hs6, i.packages, i.gross_mass, eur(i.value, i.currency or fallback))
                  for i in announced.goods_items or ())
    return Side(items=items, packages=totals.packages if totals else None,
                gross_mass=totals.gross_mass if totals else None,
                value_eur=eur(totals.value, totals.currency) if totals else None,
                notes=tuple(notes))


def compare_goods(announced: Side, arrived: Side, tolerances: Tolerances) -> list[Found]:
    found: list[Found] = []
    said, seen = _codes(announced.items), _codes(arrived.items)
    if said and seen and said != seen:
        found.append((AlarmKind.HS6, "HS6 codes differ between the announcement and the "
                      "arrival", {"announced": sorted(said), "arrived": sorted(seen),
                                  "not_arrived": sorted(said - seen),
                                  "not_announced": sorted(seen - said)}))
    if said and said == seen:
        for hs6 in sorted(said):
            found += _compare(_sums([i for i in announced.items if i[0] == hs6]),
                              _sums([i for i in arrived.items if i[0] == hs6]),
                              tolerances.of(hs6[:2]), hs6)
        return found
    chapters = {c[:2] for c in said | seen}
    tolerance = tolerances.of(next(iter(chapters)) if len(chapters) == 1 else None)
    return found + _compare(_totals(announced), _totals(arrived), tolerance, None)


def _codes(items: Iterable[Item]) -> set[str]:
    return {i[0][:6] for i in items if i[0]}


def _sums(items: Sequence[Item]) -> tuple[Any, Any, Any]:
    """Packages, mass and value summed over `items` (None if any item lacks it)."""
    return (_sum([i[1] for i in items]), _sum([i[2] for i in items]),
            _sum([i[3] for i in items]))


def _sum(values: Sequence[Any]) -> Any:
    if not values or any(v is None for v in values):
        return None
    return sum(values[1:], values[0])


def _totals(side: Side) -> tuple[Any, Any, Any]:
    summed = _sums(side.items)
    return (side.packages if side.packages is not None else summed[0],
            side.gross_mass if side.gross_mass is not None else summed[1],
            side.value_eur if side.value_eur is not None else summed[2])


def _compare(said: tuple[Any, Any, Any], seen: tuple[Any, Any, Any], tolerance: Tolerance,
             hs6: str | None) -> list[Found]:
    values = {"packages": (said[0], seen[0]), "gross_mass": (said[1], seen[1]),
              "value_eur": (said[2], seen[2])}
    where = {"hs_chapter": hs6[:2] if hs6 else tolerance.hs_chapter,
             **({"hs6": hs6} if hs6 else {})}
    found: list[Found] = []
    for name, kind, words in _FIELDS:
        one, other = values[name]
        if one is None or other is None:
            continue
        if name == "packages":
            beyond = abs(other - one) > tolerance.packages_abs
            limit: dict[str, Any] = {"tolerance": tolerance.packages_abs}
        else:
            pct = tolerance.mass_pct if name == "gross_mass" else tolerance.value_pct
            beyond = abs(Decimal(other) - Decimal(one)) * 100 > Decimal(one) * pct
            limit = {"tolerance_pct": _number(pct)}
        if beyond:
            scope = f" of HS6 {hs6}" if hs6 else ""
            found.append((kind, f"The {words}{scope} differs beyond the tolerance",
                          {"announced": _number(one), "arrived": _number(other), **limit,
                           **where, **({"currency": "EUR"} if name == "value_eur" else {})}))
    return found


def _number(value: Any) -> int | float:
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(round(number, 6))
