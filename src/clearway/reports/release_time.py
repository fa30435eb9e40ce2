"""Release times, as a WCO Time Release Study measures them: how long each step takes.

Pure: takes each released declaration's timeline (when it was lodged, accepted, decided,
put under control and released; from the declaration's events) and its channel, office and
AEO status, and returns the mean and percentiles of every step, overall and per group.
A step a declaration never went through (no control on a green release) is simply absent
from that step's figures; `total` always runs from lodgement to release.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.reports.agency_times import (
    CUSTOMS_CLEARED,
    AgencyStep,
    border_minutes,
    by_agency,
    customs_minutes,
)

# (step, from event, to event); a move's event is named after the status it reaches
STEPS: tuple[tuple[str, str, str], ...] = (
    ("validation", S.LODGED, S.ACCEPTED),
    ("risk_decision", S.ACCEPTED, S.RISK_ASSESSED),
    ("waiting_for_control", S.RISK_ASSESSED, S.UNDER_CONTROL),
    ("control", S.UNDER_CONTROL, S.RELEASED),
    ("total", S.LODGED, S.RELEASED),
)
EVENT_KINDS = frozenset({*(k for _, a, b in STEPS for k in (a, b)), CUSTOMS_CLEARED})
GROUPINGS = ("channel", "office", "aeo", "declaration_type")
QUANTILES = (0.5, 0.9, 0.99)


@dataclass(frozen=True)
class Timeline:
    declaration_id: int
    channel: str | None
    office: str | None
    aeo: bool
    declaration_type: str
    times: dict[str, datetime] = field(default_factory=dict)  # event kind -> first time
    agencies: tuple[AgencyStep, ...] = ()   # the single window's agencies that decided
    crossed_at: datetime | None = None      # the first booth record at a crossing point
    exited_at: datetime | None = None       # the last exit crossing, if any

    def step_minutes(self, start: str, end: str) -> float | None:
        a, b = self.times.get(start), self.times.get(end)
        if a is None or b is None or b < a:
            return None
        return (b - a).total_seconds() / 60


def _stats(values: Sequence[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0}
    arr = np.asarray(values, dtype=float)
    # Four decimals of a minute (6 ms): the automatic steps take seconds, not minutes.
    out: dict[str, Any] = {"count": len(values), "mean": round(float(arr.mean()), 4)}
    for q in QUANTILES:
        out[f"p{int(q * 100)}"] = round(float(np.quantile(arr, q)), 4)
    return out


def _steps(timelines: Sequence[Timeline]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, start, end in STEPS:
        values = [m for t in timelines if (m := t.step_minutes(start, end)) is not None]
        found[name] = _stats(values)
    # Customs' own part (to its clearance, which an agency's decision may follow) and the
    # time from the booth at the crossing point to release or exit.
    found["customs"] = _stats([m for t in timelines if (m := customs_minutes(t)) is not None])
    found["at_the_border"] = _stats(
        [m for t in timelines if (m := border_minutes(t)) is not None])
    return found


def _key(t: Timeline, by: str) -> str:
    if by == "aeo":
        return "aeo" if t.aeo else "non_aeo"
    value = getattr(t, by)
    return str(value) if value is not None else "-"


def summarize(timelines: Iterable[Timeline], by: Sequence[str] = GROUPINGS) -> dict[str, Any]:
    """Minutes per step (count, mean, p50, p90, p99), overall and per grouping."""
    rows = list(timelines)
    unknown = [b for b in by if b not in GROUPINGS]
    if unknown:
        raise ValueError(f"unknown grouping {unknown[0]!r}; use {', '.join(GROUPINGS)}")
    report: dict[str, Any] = {"declarations": len(rows), "unit": "minutes",
                              "all": _steps(rows), "agencies": by_agency(rows, _stats)}
    for grouping in by:
        groups: dict[str, list[Timeline]] = {}
        for t in rows:
            groups.setdefault(_key(t, grouping), []).append(t)
        report[f"by_{grouping}"] = {k: {**_steps(v), "agencies": by_agency(v, _stats)}
                                    for k, v in sorted(groups.items())}
    return report
