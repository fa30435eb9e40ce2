"""The register of integrity cases (R4): vocabularies, the status workflow, references and
the yearly report. Pure rules, no storage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from clearway.errors import ClearwayError

ALLEGATIONS = ("bribery", "collusion", "abuse_of_discretion", "leak_of_information", "fraud",
               "conflict_of_interest", "other")
SOURCES = ("indicator", "complaint", "audit", "whistleblower", "other")
STATUSES = ("open", "investigating", "substantiated", "unfounded")
SANCTIONS = ("reprimand", "fine", "suspension", "demotion", "dismissal", "prosecution")
# open -> investigating -> substantiated | unfounded; the last two close the case.
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"investigating"}),
    "investigating": frozenset({"substantiated", "unfounded"}),
    "substantiated": frozenset(),
    "unfounded": frozenset(),
}
CLOSED = frozenset({"substantiated", "unfounded"})


@dataclass(frozen=True)
class Case:
    reference: str
    opened_on: date
    allegation: str
    description: str
    officer_id: int | None
    office: str | None
    source: str
    status: str
    sanction: str | None
    closed_on: date | None
    updated_at: datetime
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def sanctioned_on(self) -> date | None:
        found = self.detail.get("sanctioned_on")
        return date.fromisoformat(found) if isinstance(found, str) else None


def choice(what: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ClearwayError(code="CW-INTEGRITY-VALUE",
                            message=f"Unknown {what} {value!r}; one of: {', '.join(allowed)}")
    return value


def reference(year: int, number: int) -> str:
    """The register's reference of the `number`-th case opened in `year`: IC-2026-0001."""
    return f"IC-{year}-{number:04d}"


def updated(case: Case, *, status: str | None, sanction: str | None, today: date,
            now: datetime) -> Case:
    """The case after a change of status and/or sanction, or a coded refusal. A sanction is
    recorded only on a substantiated case (at once or later), and only once."""
    changes: dict[str, Any] = {"updated_at": now}
    if status is not None and status != case.status:
        choice("status", status, STATUSES)
        if status not in TRANSITIONS[case.status]:
            raise ClearwayError(code="CW-INTEGRITY-TRANSITION",
                                message=f"A case {case.status} cannot become {status}")
        changes["status"] = status
        if status in CLOSED:
            changes["closed_on"] = today
    if sanction is not None:
        choice("sanction", sanction, SANCTIONS)
        if changes.get("status", case.status) != "substantiated" or case.sanction:
            raise ClearwayError(code="CW-INTEGRITY-SANCTION",
                                message="A sanction is recorded once, on a substantiated case")
        changes["sanction"] = sanction
        changes["detail"] = {**case.detail, "sanctioned_on": today.isoformat()}
    if len(changes) == 1:
        raise ClearwayError(code="CW-INTEGRITY-VALUE",
                            message="Give a new status or a sanction")
    return Case(**{**case.__dict__, **changes})


def _year(day: date | None) -> int | None:
    return day.year if day else None


def yearly_report(cases: Iterable[Case], year: int) -> dict[str, Any]:
    """The figures an administration reports each year: cases detected (opened) by
    allegation and by source, cases closed by outcome, and sanctions imposed by type."""
    cases = list(cases)
    opened = [c for c in cases if c.opened_on.year == year]
    closed = [c for c in cases if c.closed_on and c.closed_on.year == year]
    sanctioned = [c for c in cases if c.sanction and _year(c.sanctioned_on or c.closed_on)
                  == year]
    by_allegation = Counter(c.allegation for c in opened)
    by_source = Counter(c.source for c in opened)
    sanctions = Counter(c.sanction for c in sanctioned)
    outcomes = Counter(c.status for c in closed)
    return {
        "year": year,
        "detected": {a: by_allegation[a] for a in ALLEGATIONS},
        "detected_total": len(opened),
        "by_source": {s: by_source[s] for s in SOURCES},
        "closed": {s: outcomes[s] for s in sorted(CLOSED)},
        "sanctions": {s: sanctions[s] for s in SANCTIONS},
        "sanctions_total": len(sanctioned),
    }
