"""Each facilitation measured: the green share and the release time of MoU members'
declarations against those of non-members. Pure: takes the decided declarations (trader,
day, channel), the released ones' timelines (`reports.release_time`) with their trader, and
who was a member of which MoU on a day."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from clearway.reports.release_time import Timeline, summarize

CodesOf = Callable[[str | None, date], list[str]]
MEMBERS, NON_MEMBERS = "members", "non_members"


@dataclass(frozen=True)
class Decided:
    trader_id: str | None
    day: date
    channel: str


@dataclass(frozen=True)
class Released:
    trader_id: str | None
    day: date   # the day membership counts on: of the risk decision, else of lodgement
    timeline: Timeline


def _groups(trader: str | None, day: date, codes_of: CodesOf) -> list[str]:
    codes = codes_of(trader, day)
    return [MEMBERS, *codes] if codes else [NON_MEMBERS]


def _green(decided: Sequence[Decided]) -> dict[str, Any]:
    green = sum(1 for d in decided if d.channel == "green")
    return {"decided": len(decided), "green": green,
            "green_share": round(green / len(decided), 4) if decided else None}


def _release(timelines: Sequence[Timeline]) -> dict[str, Any]:
    """Minutes from lodgement to release (count, mean, p50, p90, p99), as the release-time
    report computes its `total` step."""
    return dict(summarize(timelines, by=())["all"]["total"])


def measure(decided: Iterable[Decided], released: Iterable[Released],
            codes_of: CodesOf) -> dict[str, Any]:
    """Green share and release minutes of members (of any MoU), non-members, and the members
    of each MoU, membership taken on each declaration's own day."""
    by_group: dict[str, list[Decided]] = {MEMBERS: [], NON_MEMBERS: []}
    for d in decided:
        for g in _groups(d.trader_id, d.day, codes_of):
            by_group.setdefault(g, []).append(d)
    times: dict[str, list[Timeline]] = {MEMBERS: [], NON_MEMBERS: []}
    for r in released:
        for g in _groups(r.trader_id, r.day, codes_of):
            times.setdefault(g, []).append(r.timeline)
    figures = {g: {**_green(by_group.get(g, [])), "release_minutes": _release(times.get(g, []))}
               for g in sorted(set(by_group) | set(times))}
    mous = {g: f for g, f in figures.items() if g not in (MEMBERS, NON_MEMBERS)}
    return {MEMBERS: figures[MEMBERS], NON_MEMBERS: figures[NON_MEMBERS], "by_mou": mous,
            "difference": _difference(figures[MEMBERS], figures[NON_MEMBERS])}


def _difference(members: dict[str, Any], others: dict[str, Any]) -> dict[str, Any]:
    """Members minus non-members: green share points and median release minutes."""
    a, b = members["green_share"], others["green_share"]
    ma, mb = members["release_minutes"].get("p50"), others["release_minutes"].get("p50")
    return {"green_share": round(a - b, 4) if a is not None and b is not None else None,
            "median_release_minutes": round(ma - mb, 4)
            if ma is not None and mb is not None else None}
