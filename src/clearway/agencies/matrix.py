"""The regulatory matrix as a CSV file: reading it into rules (every problem coded, with its
line) and the versions a day's routing chooses from. Pure.

Columns: id, hs_prefix, agency, formality, declaration_types, procedures, origins,
destinations, intended_use, documents, move_before_decision, valid_from, valid_to. Lists are
joined by `|`; an empty list means "any"; `move_before_decision` is yes or no; dates are ISO,
empty = open.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from clearway.agencies.model import Agency, Formality, MatrixRule
from clearway.agencies.routing import RuleIndex, index
from clearway.errors import DocumentInvalid, Issue

COLUMNS = ("id", "hs_prefix", "agency", "formality", "declaration_types", "procedures",
           "origins", "destinations", "intended_use", "documents", "move_before_decision",
           "valid_from", "valid_to")
MAX_RULES = 5000
_SHAPES = {"id": r"[A-Z0-9][A-Z0-9_-]{0,39}", "hs_prefix": r"[0-9]{2,10}",
           "agency": r"[A-Z]{2,8}", "intended_use": r"([A-Z0-9]{3})?"}
_LISTS = {"declaration_types": r"IM|EX|CO", "procedures": r"[0-9]{2}",
          "origins": r"[A-Z]{2}", "destinations": r"[A-Z]{2}", "documents": r"[A-Z0-9]{4}"}


def _issue(line: int, message: str) -> Issue:
    return Issue("CW-MATRIX-FILE", message, pointer=f"line {line}")


def _list(value: str, shape: str, name: str, line: int, issues: list[Issue]) -> frozenset[str]:
    parts = [p.strip() for p in value.split("|")] if value.strip() else []
    bad = [p for p in parts if not re.fullmatch(shape, p)]
    if bad:
        issues.append(_issue(line, f"{name}: {bad[0]!r} is not a code of that list"))
    return frozenset(parts)


def _date(value: str, name: str, line: int, issues: list[Issue]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        issues.append(_issue(line, f"{name} {value!r} is not an ISO date (YYYY-MM-DD)"))
        return None


def _rule(row: dict[str, str], line: int, issues: list[Issue]) -> MatrixRule | None:
    before = len(issues)
    for name, shape in _SHAPES.items():
        if not re.fullmatch(shape, row[name].strip()):
            issues.append(_issue(line, f"{name} {row[name]!r} has the wrong shape"))
    if row["formality"].strip() not in set(Formality):
        issues.append(_issue(line, f"formality must be one of {', '.join(Formality)}"))
    moves = row["move_before_decision"].strip().lower()
    if moves not in ("yes", "no", ""):
        issues.append(_issue(line, "move_before_decision is yes or no"))
    lists = {n: _list(row[n], s, n, line, issues) for n, s in _LISTS.items()}
    start, end = (_date(row["valid_from"], "valid_from", line, issues),
                  _date(row["valid_to"], "valid_to", line, issues))
    if start and end and end < start:
        issues.append(_issue(line, "valid_to is before valid_from"))
    if len(issues) > before:
        return None
    return MatrixRule(row["id"].strip(), row["hs_prefix"].strip(), row["agency"].strip(),
                      Formality(row["formality"].strip()), lists["declaration_types"],
                      lists["procedures"], lists["origins"], lists["destinations"],
                      row["intended_use"].strip() or None, lists["documents"],
                      moves == "yes", start or date.min, end)


def read_matrix(text: str) -> list[MatrixRule]:
    """Every rule of a matrix file, or DocumentInvalid naming every problem."""
    try:
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as exc:
        raise DocumentInvalid([Issue("CW-MATRIX-FILE", f"not readable as CSV: {exc}")]) from None
    header = list(rows[0].keys()) if rows else []
    missing = [c for c in COLUMNS if c not in header]
    if not rows or missing:
        raise DocumentInvalid([_issue(1, "the matrix has no rules" if not missing else
                                      f"missing column(s): {', '.join(missing)}")])
    if len(rows) > MAX_RULES:
        raise DocumentInvalid([Issue("CW-MATRIX-FILE", f"more than {MAX_RULES} rules")])
    issues: list[Issue] = []
    rules, seen = [], set()
    for line, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            issues.append(_issue(line, "the row has more or fewer cells than the header"))
            continue
        rule = _rule(row, line, issues)
        if rule is not None and rule.id in seen:
            issues.append(_issue(line, f"rule id {rule.id} appears twice"))
        elif rule is not None:
            seen.add(rule.id)
            rules.append(rule)
    if issues:
        raise DocumentInvalid(issues)
    return rules


def unknown_agencies(rules: Sequence[MatrixRule], known: set[str]) -> list[Issue]:
    return [Issue("CW-MATRIX-FILE", f"rule {r.id}: no agency {r.agency}")
            for r in rules if r.agency not in known]


@dataclass(frozen=True)
class Version:
    """An approved matrix version: it applies from `valid_from` until the next one starts."""

    number: int
    valid_from: date
    rules: tuple[MatrixRule, ...]
    _indexed: dict[date, RuleIndex] = field(default_factory=dict, init=False, compare=False,
                                            repr=False)

    def index(self, day: date) -> RuleIndex:
        """The rules valid on `day`, indexed for routing: built once a day, not per filing
        (only the latest day is kept)."""
        found = self._indexed.get(day)
        if found is None:
            found = index(self.rules, day)
            self._indexed.clear()
            self._indexed[day] = found
        return found


@dataclass(frozen=True)
class Matrix:
    """The approved versions, newest first, and the stored agencies by code: what the
    acceptance reads from the cache (agencies are only ever added, and every agency a version
    routes to was stored before the version could be approved)."""

    versions: tuple[Version, ...] = ()
    agencies: Mapping[str, Agency] = field(default_factory=dict)

    def on(self, day: date) -> Version | None:
        """The version valid on `day`: the latest approved whose first day is not after it."""
        return next((v for v in self.versions if v.valid_from <= day), None)
