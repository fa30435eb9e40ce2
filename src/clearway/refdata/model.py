"""An immutable, in-memory snapshot of the reference data, queried "valid on a date".

Pure Python: no database and no I/O. Each list is indexed by its key; a key's validity
intervals are kept sorted (and must not overlap), so a lookup is a dict access plus a bisect.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Generic, TypeVar

from clearway.refdata import representations
from clearway.refdata.csvfiles import LISTS, read_list_numbered
from clearway.refdata.errors import RefDataError

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
Numbered = list[tuple[int, dict[str, str]]]


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    country: str
    roles: frozenset[str]
    valid_from: date | None = None
    valid_to: date | None = None

    def has_role(self, role: str) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Trader:
    id: str
    name: str
    street: str
    city: str
    postcode: str
    country: str
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class AeoAuthorisation:
    trader_id: str
    type: str
    reference: str
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, on: date) -> bool:
        return (self.valid_from or date.min) <= on <= (self.valid_to or date.max)


def _span(row: Mapping[str, str]) -> tuple[date, date]:
    start, end = row["valid_from"], row["valid_to"]
    return (date.fromisoformat(start) if start else date.min,
            date.fromisoformat(end) if end else date.max)


class _Timeline(Generic[T]):
    """Non-overlapping validity intervals of one key, sorted by start."""

    __slots__ = ("ends", "items", "starts")

    def __init__(self, spans: list[tuple[date, date, T]]) -> None:
        self.starts = [s for s, _, _ in spans]
        self.ends = [e for _, e, _ in spans]
        self.items = [i for _, _, i in spans]

    def at(self, on: date) -> T | None:
        i = bisect_right(self.starts, on) - 1
        return self.items[i] if i >= 0 and on <= self.ends[i] else None


def _index(name: str, rows: Numbered, key: Callable[[dict[str, str]], K],
           item: Callable[[dict[str, str]], T]) -> dict[K, _Timeline[T]]:
    grouped: dict[K, list[tuple[date, date, int, T]]] = {}
    for line, row in rows:
        start, end = _span(row)
        grouped.setdefault(key(row), []).append((start, end, line, item(row)))
    index: dict[K, _Timeline[T]] = {}
    for k, spans in grouped.items():
        spans.sort(key=lambda s: s[0])
        for before, after in pairwise(spans):
            if after[0] <= before[1]:
                raise RefDataError(name, after[2], f"{k} is valid on overlapping dates "
                                                   f"(see row {before[2]})")
        index[k] = _Timeline([(s, e, i) for s, e, _, i in spans])
    return index


def _valid_any(spans: Iterable[tuple[date, date]], on: date) -> bool:
    return any(start <= on <= end for start, end in spans)


def _opt_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _code(row: dict[str, str]) -> str:
    return row["code"]


def _true(row: dict[str, str]) -> bool:
    return True


_COMMODITY_NOISE = re.compile(r"[\s.]")


class RefDataSnapshot:
    """All reference lists at one version; every lookup answers for a given date."""

    def __init__(self, texts: Mapping[str, str], versions: Mapping[str, str] | None = None) -> None:
        self._texts = dict(texts)
        self.versions: dict[str, str] = dict(versions or {})
        self._rows = {name: read_list_numbered(name, text) for name, text in self._texts.items()}
        get = self._rows.get
        self._countries = _index("countries", get("countries", []), _code, _true)
        self._currencies = _index("currencies", get("currencies", []), _code, _true)
        self._rates = _index("exchange_rates", get("exchange_rates", []),
                             lambda r: r["currency"], lambda r: Decimal(r["rate_to_eur"]))
        self._hs = _index("hs_codes", get("hs_codes", []), _code, lambda r: r["description"])
        self._national = _index("hs_national", get("hs_national", []), _code,
                                lambda r: r["description"])
        self._national_by_hs6: dict[str, list[tuple[date, date]]] = {}
        self._taric_by_cn8: dict[str, list[tuple[date, date]]] = {}
        for _, row in get("hs_national", []):
            self._national_by_hs6.setdefault(row["parent6"], []).append(_span(row))
            if len(row["code"]) == 10:
                self._taric_by_cn8.setdefault(row["code"][:8], []).append(_span(row))
        self._offices = _index("offices", get("offices", []), _code, lambda r: Office(
            r["code"], r["name"], r["country"], frozenset(r["roles"].split("|")),
            _opt_date(r["valid_from"]), _opt_date(r["valid_to"])))
        self._procedures = _index("procedures", get("procedures", []),
                                  lambda r: (r["kind"], r["code"]), _true)
        self._modes = _index("transport_modes", get("transport_modes", []), _code, _true)
        self._packages = _index("package_kinds", get("package_kinds", []), _code, _true)
        self._documents = _index("document_codes", get("document_codes", []),
                                 lambda r: (r["category"], r["code"]), _true)
        self._traders = _index("traders", get("traders", []), lambda r: r["id"], lambda r: Trader(
            r["id"], r["name"], r["street"], r["city"], r["postcode"], r["country"],
            _opt_date(r["valid_from"]), _opt_date(r["valid_to"])))
        self._aeo: dict[str, list[AeoAuthorisation]] = {}
        for _, r in get("aeo_authorisations", []):
            self._aeo.setdefault(r["trader_id"], []).append(AeoAuthorisation(
                r["trader_id"], r["type"], r["reference"],
                _opt_date(r["valid_from"]), _opt_date(r["valid_to"])))
        self._representations = representations.index(get("representations", []))

    @classmethod
    def from_texts(cls, texts: Mapping[str, str],
                   versions: Mapping[str, str] | None = None) -> RefDataSnapshot:
        """Build from list name -> CSV text; raises RefDataError on any malformed list."""
        return cls(texts, versions)

    def replace(self, texts: Mapping[str, str],
                versions: Mapping[str, str] | None = None) -> RefDataSnapshot:
        """A new snapshot where the given lists replace these; the others keep their version."""
        return RefDataSnapshot({**self._texts, **texts}, {**self.versions, **(versions or {})})

    # -- code lists ------------------------------------------------------------------------

    def country_valid(self, code: str, on: date) -> bool:
        return _at(self._countries, code.strip(), on) is not None

    def currency_valid(self, code: str, on: date) -> bool:
        return _at(self._currencies, code.strip(), on) is not None

    def transport_mode_valid(self, code: str, on: date) -> bool:
        return _at(self._modes, code.strip(), on) is not None

    def package_kind_valid(self, code: str, on: date) -> bool:
        return _at(self._packages, code.strip(), on) is not None

    def document_code_valid(self, code: str, on: date, category: str = "document") -> bool:
        """DE 2/3 codes (category `document`), DE 2/1 `previous`, DE 3/39 `authorisation`."""
        return _at(self._documents, (category, code.strip()), on) is not None

    def authorisation_type_valid(self, code: str, on: date) -> bool:
        return self.document_code_valid(code, on, "authorisation")

    def procedure_valid(self, code: str, kind: str, on: date) -> bool:
        """`kind`: requested_previous (4 chars: listed pair, or both halves listed
        procedures), procedure (2 digits) or additional (3 chars)."""
        code = code.strip()
        if kind == "requested_previous":
            if _at(self._procedures, (kind, code), on) is not None:
                return True
            return len(code) == 4 and all(
                _at(self._procedures, ("procedure", half), on) is not None
                for half in (code[:2], code[2:]))
        if kind not in ("procedure", "additional"):
            raise ValueError(f"unknown procedure kind {kind!r}")
        return _at(self._procedures, (kind, code), on) is not None

    # -- commodity codes -------------------------------------------------------------------

    def commodity_valid(self, code: str, on: date) -> bool:
        """HS 2/4/6 digits from the HS list; CN8/TARIC10 from `hs_national` where an extension
        of that HS6 is loaded on that date, otherwise accepted when the HS6 is valid. A 10-digit
        code is CN8 + 2-digit TARIC suffix: free unless TARIC codes of that CN8 are loaded."""
        c = _COMMODITY_NOISE.sub("", code)
        if not (c.isascii() and c.isdigit()):
            return False
        if len(c) in (2, 4, 6):
            return _at(self._hs, c, on) is not None
        if len(c) == 8:
            return self._cn8_valid(c, on)
        if len(c) == 10:
            if _at(self._national, c, on) is not None:
                return True
            return (not _valid_any(self._taric_by_cn8.get(c[:8], ()), on)
                    and self._cn8_valid(c[:8], on))
        return False

    def _cn8_valid(self, c8: str, on: date) -> bool:
        if _at(self._national, c8, on) is not None:
            return True
        if _valid_any(self._taric_by_cn8.get(c8, ()), on):
            return True  # a listed TARIC10 code implies its CN8
        if _valid_any(self._national_by_hs6.get(c8[:6], ()), on):
            return False  # a national extension of this HS6 is loaded and lacks this code
        return _at(self._hs, c8[:6], on) is not None

    def hs_description(self, code: str) -> str | None:
        """Description of the code, or of its nearest listed ancestor (any date)."""
        c = _COMMODITY_NOISE.sub("", code)
        for size in (10, 8, 6, 4, 2):
            if len(c) >= size:
                index = self._national if size > 6 else self._hs
                timeline = index.get(c[:size])
                if timeline is not None:
                    return timeline.items[-1]
        return None

    # -- parties, offices, rates -----------------------------------------------------------

    def office(self, code: str, on: date) -> Office | None:
        return _at(self._offices, code.strip(), on)

    def trader(self, id: str, on: date) -> Trader | None:
        return _at(self._traders, id.strip(), on)

    def aeo(self, trader_id: str, on: date) -> set[str]:
        """AEO types (AEOC, AEOS, AEOF) the trader holds on that date."""
        return {a.type for a in self._aeo.get(trader_id.strip(), ()) if a.valid_on(on)}

    def representation(self, agent_id: str, principal_id: str, declaration_type: str,
                       on: date) -> representations.Representation | None:
        """The agent's registered authorisation to lodge this type for the principal on that
        date, if any (several rows may cover different types or periods)."""
        rows = self._representations.get((agent_id.strip(), principal_id.strip()), ())
        return next((r for r in rows if r.covers(declaration_type, on)), None)

    def rate(self, currency: str, on: date) -> Decimal | None:
        """EUR value of one unit of `currency` (amount_eur = amount * rate); EUR is 1."""
        found = _at(self._rates, currency.strip(), on)
        if found is None and currency.strip() == "EUR":
            return Decimal(1)
        return found

    # -- read API --------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return {name: len(self._rows.get(name, ())) for name in LISTS}

    def rows(self, list_name: str) -> list[dict[str, str]]:
        if list_name not in LISTS:
            raise KeyError(list_name)
        return [dict(row) for _, row in self._rows.get(list_name, ())]


def _at(index: Mapping[K, _Timeline[T]], key: K, on: date) -> T | None:
    timeline = index.get(key)
    return timeline.at(on) if timeline is not None else None
