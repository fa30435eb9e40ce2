"""Each agency's share of the release time, and the time at the border (WCO Time Release
Study, extended to the single window): pure, over the timelines of released declarations.

- customs: from lodgement to customs' own clearance (the `customs_cleared` event when an
  agency still decided, else the release);
- per agency: from routing to its decision, and that time as a share of the declaration's
  total (lodgement to release); `held_release` counts the declarations whose release waited
  for that agency's decision (it decided after customs had cleared);
- at_the_border: from the first booth record of the declaration at a crossing point to its
  release, or to its exit crossing when that came later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from clearway.declarations.lifecycle import DeclarationStatus as S

CUSTOMS_CLEARED = "customs_cleared"


@dataclass(frozen=True)
class AgencyStep:
    agency: str
    routed_at: datetime
    decided_at: datetime | None


class Timed(Protocol):
    """A released declaration's timeline (`release_time.Timeline`), read only."""

    @property
    def times(self) -> dict[str, datetime]: ...
    @property
    def agencies(self) -> tuple[AgencyStep, ...]: ...
    @property
    def crossed_at(self) -> datetime | None: ...
    @property
    def exited_at(self) -> datetime | None: ...


def _minutes(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None or b < a:
        return None
    return (b - a).total_seconds() / 60


def customs_minutes(t: Timed) -> float | None:
    return _minutes(t.times.get(S.LODGED),
                    t.times.get(CUSTOMS_CLEARED) or t.times.get(S.RELEASED))


def border_minutes(t: Timed) -> float | None:
    released = t.times.get(S.RELEASED)
    if t.crossed_at is None or released is None or t.crossed_at > released:
        return None
    return _minutes(t.crossed_at, max(released, t.exited_at or released))


def by_agency(timelines: Sequence[Timed],
              stats: Callable[[Sequence[float]], dict[str, Any]]) -> dict[str, Any]:
    """Per agency: its decision time, its share of the total (percent) and how often the
    release waited for it."""
    decided: dict[str, list[float]] = {}
    shares: dict[str, list[float]] = {}
    held: dict[str, int] = {}
    for t in timelines:
        total = _minutes(t.times.get(S.LODGED), t.times.get(S.RELEASED))
        cleared = t.times.get(CUSTOMS_CLEARED)
        for step in t.agencies:
            minutes = _minutes(step.routed_at, step.decided_at)
            if minutes is None:
                continue
            decided.setdefault(step.agency, []).append(minutes)
            if total:
                shares.setdefault(step.agency, []).append(100 * minutes / total)
            if cleared is not None and step.decided_at is not None \
                    and step.decided_at > cleared:
                held[step.agency] = held.get(step.agency, 0) + 1
    return {agency: {"decision": stats(values),
                     "share_of_total_pct": stats(shares.get(agency, [])),
                     "held_release": held.get(agency, 0)}
            for agency, values in sorted(decided.items())}
