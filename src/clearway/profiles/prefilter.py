"""Which profiles can possibly hit a small frame: necessary conditions checked in plain Python.

Polars evaluates 500 compiled profiles on a three-item declaration in tens of milliseconds,
almost all of it per-expression overhead, while one declaration usually meets a handful of
them. So each profile gets a *need*: a condition every row it holds on must satisfy, derived
from its condition tree, which Python checks on the frame's few rows in microseconds. Only the
profiles whose need holds on some row (inside their validity window) go to Polars; the others
cannot hit, so the hits are exactly those of evaluating every profile.

A need is made of tests Python decides exactly as the compiled expressions do (`conditions`):
a text field equal to one of some values (`equals`, `in`), a text field starting with one of
some prefixes (`prefix`), a list field containing one of some values (`any_of`, `all_of`).
Those are false on a missing value, like their compiled forms. `all` needs what any of its
parts needs (all of them are checked), `any` needs one of its parts' needs (none if a part has
none), `not` needs nothing (the negation of a test holds on missing values), except `not not`.
Other tests (ranges, regexes, comparisons) are left to Polars. Profiles are indexed by the
values of one test of their need, so finding the candidates costs a few dictionary look-ups
per distinct value of the frame, not a pass over the profiles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, Literal

import polars as pl

from clearway.profiles.model import AllOf, Condition, FieldTest, Not, Profile
from clearway.risk.engine.fields import BY_NAME, SCHEMA

How = Literal["equals", "prefix", "contains"]
# Rough share of items where one value of the field holds (to pick the test to index by).
_SHARE = {"declaration_type": 0.3, "additional_type": 0.3, "procedure": 0.2,
          "transport_mode": 0.25, "incoterm": 0.2, "invoice_currency": 0.3,
          "valuation_method": 0.3, "destination_country": 0.3, "container": 0.5}
_DEFAULT_SHARE = 0.05


@dataclass(frozen=True)
class Keys:
    """`field` equals / starts with / (a list) contains one of `values`."""

    field: str
    how: How
    values: frozenset[str]

    @cached_property
    def lengths(self) -> tuple[int, ...]:
        return tuple(sorted({len(v) for v in self.values}))

    def holds(self, row: dict[str, Any]) -> bool:
        value = row[self.field]
        if value is None:
            return False
        if self.how == "equals":
            return value in self.values
        if self.how == "prefix":
            return any(value[:n] in self.values for n in self.lengths if len(value) >= n)
        return any(v in self.values for v in value)

    def share(self) -> float:
        if self.how == "prefix":
            return sum(10.0 ** -min(len(p), 6) for p in self.values)
        return len(self.values) * _SHARE.get(self.field, _DEFAULT_SHARE)


@dataclass(frozen=True)
class Both:
    parts: tuple[Need, ...]

    def holds(self, row: dict[str, Any]) -> bool:
        return all(p.holds(row) for p in self.parts)

    def share(self) -> float:
        return min(p.share() for p in self.parts)


@dataclass(frozen=True)
class Either:
    parts: tuple[Need, ...]

    def holds(self, row: dict[str, Any]) -> bool:
        return any(p.holds(row) for p in self.parts)

    def share(self) -> float:
        return min(1.0, sum(p.share() for p in self.parts))


Need = Keys | Both | Either


def _strings(values: Any) -> frozenset[str] | None:
    found = tuple(values) if isinstance(values, tuple | list) else (values,)
    return frozenset(found) if found and all(isinstance(v, str) for v in found) else None


def _test_need(t: FieldTest) -> Need | None:
    kind = BY_NAME[t.field].kind
    values = _strings(t.value)
    if values is None:
        return None
    if kind == "str" and t.op in ("equals", "in"):
        return Keys(t.field, "equals", values)
    if kind == "str" and t.op == "prefix":
        return Keys(t.field, "prefix", values)
    if kind == "list" and t.op == "any_of":
        return Keys(t.field, "contains", values)
    if kind == "list" and t.op == "all_of":
        ordered = dict.fromkeys(t.value)  # in the written order, whatever the set's
        return _combine(Both, [Keys(t.field, "contains", frozenset({v})) for v in ordered])
    return None


def _combine(kind: type[Both] | type[Either], parts: Sequence[Need]) -> Need:
    return parts[0] if len(parts) == 1 else kind(tuple(parts))


def need_of(cond: Condition) -> Need | None:
    """What every row the condition holds on satisfies; None: nothing known."""
    if isinstance(cond, FieldTest):
        return _test_need(cond)
    if isinstance(cond, Not):
        inner = cond.condition
        return need_of(inner.condition) if isinstance(inner, Not) else None
    parts = [need_of(c) for c in cond.conditions]
    if isinstance(cond, AllOf):
        known = [p for p in parts if p is not None]
        return _combine(Both, known) if known else None
    if not parts or any(p is None for p in parts):
        return None
    return _combine(Either, [p for p in parts if p is not None])


def index_keys(need: Need) -> list[Keys]:
    """Tests one of which holds wherever `need` does: the most selective part of a `Both`."""
    if isinstance(need, Keys):
        return [need]
    if isinstance(need, Both):
        return index_keys(min(need.parts, key=lambda p: p.share()))
    return [k for p in need.parts for k in index_keys(p)]


def _fields(need: Need) -> Iterable[str]:
    if isinstance(need, Keys):
        yield need.field
    else:
        for part in need.parts:
            yield from _fields(part)


class Prefilter:
    """The profiles (by position) that may hit some row of a small frame."""

    def __init__(self, profiles: Sequence[Profile]) -> None:
        self._needs = [need_of(p.when) for p in profiles]
        self._windows = [(p.valid_from, p.valid_to) for p in profiles]
        self._always = [i for i, need in enumerate(self._needs) if need is None]
        # field -> how -> prefix length (0 unless prefix) -> value -> profiles
        self._index: dict[tuple[str, How], dict[int, dict[str, list[int]]]] = {}
        for i, need in enumerate(self._needs):
            for keys in index_keys(need) if need is not None else ():
                by_length = self._index.setdefault((keys.field, keys.how), {})
                for value in keys.values:
                    length = len(value) if keys.how == "prefix" else 0
                    by_length.setdefault(length, defaultdict(list))[value].append(i)
        self.fields = sorted({"declaration_date", *(f for need in self._needs if need
                                                    for f in _fields(need))})

    def applies(self, frame: pl.DataFrame) -> bool:
        """Python reads the frame's values as the compiled expressions do (the usual types)."""
        schema = frame.schema
        return all(schema.get(f) == SCHEMA[f] for f in self.fields)

    def candidates(self, frame: pl.DataFrame) -> list[int]:
        """Positions of the profiles that may hold on a row of `frame`, in order."""
        columns = {f: frame.get_column(f).to_list() for f in self.fields}
        found = set(self._always)
        for (field, how), by_length in self._index.items():
            for value in _distinct(columns[field], how):
                for length, profiles in by_length.items():
                    key = value if how != "prefix" else value[:length]
                    if how != "prefix" or len(value) >= length:
                        found.update(profiles.get(key, ()))
        rows = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(),
                                                                          strict=True)]
        return sorted(i for i in found if self._possible(i, rows))

    def _possible(self, i: int, rows: list[dict[str, Any]]) -> bool:
        need = self._needs[i]
        return any(_valid(self._windows[i], row["declaration_date"])
                   and (need is None or need.holds(row)) for row in rows)


def _distinct(values: list[Any], how: How) -> set[str]:
    if how == "contains":
        return {v for listed in values if listed is not None for v in listed if v is not None}
    return {v for v in values if v is not None}


def _valid(window: tuple[date | None, date | None], day: date | None) -> bool:
    """`conditions.validity`: a bounded window holds no row without a date."""
    start, end = window
    if start is None and end is None:
        return True
    return day is not None and (start is None or start <= day) and (end is None or day <= end)
