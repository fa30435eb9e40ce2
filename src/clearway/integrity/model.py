"""Integrity indicators per officer and office: pure statistics, no storage.

An officer's hit rate is compared with what their peers (the other officers at the same
office, in the same channel) find on the same mix of controls: expected hits
E = sum over channels of n_c * p_c, with p_c the peers' pooled rate, smoothed as
(hits + 0.5) / (controls + 1) so that a channel where peers found nothing still has a
spread; variance V = sum of n_c * p_c * (1 - p_c); z = (H - E) / sqrt(V). The override rate
is compared the same way with the other officers of the office. See docs/integrity.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import median

OfficerOffice = tuple[int, str]


@dataclass(frozen=True)
class ControlFact:
    """One control result recorded in the period."""

    officer_id: int
    office: str
    channel: str
    irregular: bool
    minutes: float | None  # started -> completed, when both are known


@dataclass(frozen=True)
class Activity:
    """Counts per (officer, office) beyond the control results."""

    tasks: Mapping[OfficerOffice, int] = field(default_factory=dict)  # assigned in period
    overrides: Mapping[OfficerOffice, int] = field(default_factory=dict)  # requested
    reassigned_away: Mapping[OfficerOffice, int] = field(default_factory=dict)
    missed: Mapping[OfficerOffice, int] = field(default_factory=dict)  # regular, later irregular
    # declarations of interest filed after controlling the party named (office of the control)
    late_declarations: Mapping[OfficerOffice, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Thresholds:
    z: float = 3.0
    min_controls: int = 20
    missed: int = 2


@dataclass(frozen=True)
class OfficerIndicators:
    officer_id: int
    office: str
    controls: int
    hits: int
    hit_rate: float | None
    peer_hit_rate: float | None  # expected from peers on the same channel mix
    hit_z: float | None
    tasks: int
    overrides: int
    override_rate: float | None
    peer_override_rate: float | None
    override_z: float | None
    median_minutes: float | None
    reassigned_away: int
    missed: int
    flags: list[str]
    late_declarations: int = 0


@dataclass(frozen=True)
class OfficeIndicators:
    office: str
    officers: int
    controls: int
    hits: int
    hit_rate: float | None
    overrides: int
    median_minutes: float | None
    missed: int
    flagged_officers: int


def smoothed_rate(successes: int, trials: int) -> float:
    return (successes + 0.5) / (trials + 1)


def stratified_z(own: Iterable[tuple[int, int, int, int]]) -> tuple[float | None, float | None]:
    """(expected rate, z) of an officer's successes against peers, over strata given as
    (own successes, own trials, peer successes, peer trials). Strata without peers or
    without own trials are left out; None when none is left."""
    hits = trials = 0
    expected = variance = 0.0
    for k, n, peer_k, peer_n in own:
        if n == 0 or peer_n == 0:
            continue
        p = smoothed_rate(peer_k, peer_n)
        hits, trials = hits + k, trials + n
        expected += n * p
        variance += n * p * (1 - p)
    if trials == 0:
        return None, None
    return expected / trials, (hits - expected) / math.sqrt(variance)


def _rate(k: int, n: int) -> float | None:
    return k / n if n else None


def _hit_flag(x: OfficerIndicators, t: Thresholds) -> str | None:
    if x.hit_z is None or x.controls < t.min_controls or abs(x.hit_z) < t.z:
        return None
    direction = "fewer" if x.hit_z < 0 else "more"
    return (f"hit rate {x.hit_rate:.1%} on {x.controls} controls against "
            f"{x.peer_hit_rate:.1%} expected from peers at the same office and channel "
            f"(z = {x.hit_z:+.2f}): {direction} irregularities found than peers")


def _override_flag(x: OfficerIndicators, t: Thresholds) -> str | None:
    if x.override_z is None or x.tasks < t.min_controls or x.override_z < t.z:
        return None
    return (f"asked {x.overrides} overrides on {x.tasks} tasks ({x.override_rate:.1%}) "
            f"against {x.peer_override_rate:.1%} of peers at the office "
            f"(z = {x.override_z:+.2f})")


def _missed_flag(x: OfficerIndicators, t: Thresholds) -> str | None:
    if x.missed < t.missed:
        return None
    return (f"{x.missed} controls closed regular on declarations later found irregular "
            f"(threshold {t.missed})")


def _late_flag(x: OfficerIndicators) -> str | None:
    """Any late declaration of interest flags: the officer controlled a party before saying
    they were linked to it (docs/integrity-prevention.md)."""
    if not x.late_declarations:
        return None
    return (f"{x.late_declarations} declaration(s) of interest filed after controlling a "
            "declaration of the party named")


def officer_indicators(controls: Iterable[ControlFact], activity: Activity,
                       thresholds: Thresholds) -> list[OfficerIndicators]:
    """Indicators of every officer with a control, a task or an override in the period,
    by office then officer, each with the reasons it is flagged (in words)."""
    cells: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    minutes: dict[OfficerOffice, list[float]] = defaultdict(list)
    for c in controls:
        cell = cells[(c.officer_id, c.office, c.channel)]
        cell[0] += c.irregular
        cell[1] += 1
        if c.minutes is not None:
            minutes[(c.officer_id, c.office)].append(c.minutes)
    by_office_channel: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (_, office, channel), (k, n) in cells.items():
        total = by_office_channel[(office, channel)]
        total[0], total[1] = total[0] + k, total[1] + n
    tasks_of_office: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    people = ({(o, off) for o, off, _ in cells} | set(activity.tasks)
              | set(activity.overrides) | set(activity.late_declarations))
    for key in people:
        n = max(activity.tasks.get(key, 0), activity.overrides.get(key, 0))
        tasks_of_office[key[1]][0] += activity.overrides.get(key, 0)
        tasks_of_office[key[1]][1] += n
    found = []
    for officer, office in sorted(people, key=lambda p: (p[1], p[0])):
        mine = [(ch, k, n) for (o, off, ch), (k, n) in cells.items()
                if (o, off) == (officer, office)]
        strata = [(k, n, by_office_channel[(office, ch)][0] - k,
                   by_office_channel[(office, ch)][1] - n) for ch, k, n in mine]
        hits, controls_done = sum(k for _, k, _ in mine), sum(n for _, _, n in mine)
        peer_hit_rate, hit_z = stratified_z(strata)
        overrides = activity.overrides.get((officer, office), 0)
        tasks = max(activity.tasks.get((officer, office), 0), overrides)
        office_k, office_n = tasks_of_office[office]
        peer_override_rate, override_z = stratified_z(
            [(overrides, tasks, office_k - overrides, office_n - tasks)])
        own_minutes = minutes.get((officer, office))
        x = OfficerIndicators(
            officer_id=officer, office=office, controls=controls_done, hits=hits,
            hit_rate=_rate(hits, controls_done), peer_hit_rate=peer_hit_rate, hit_z=hit_z,
            tasks=tasks, overrides=overrides, override_rate=_rate(overrides, tasks),
            peer_override_rate=peer_override_rate, override_z=override_z,
            median_minutes=median(own_minutes) if own_minutes else None,
            reassigned_away=activity.reassigned_away.get((officer, office), 0),
            missed=activity.missed.get((officer, office), 0), flags=[],
            late_declarations=activity.late_declarations.get((officer, office), 0))
        flags = [f for f in (_hit_flag(x, thresholds), _override_flag(x, thresholds),
                             _missed_flag(x, thresholds), _late_flag(x)) if f]
        found.append(OfficerIndicators(**{**x.__dict__, "flags": flags}))
    return found


def office_indicators(officers: Iterable[OfficerIndicators],
                      controls: Iterable[ControlFact]) -> list[OfficeIndicators]:
    per_office: dict[str, list[OfficerIndicators]] = defaultdict(list)
    for x in officers:
        per_office[x.office].append(x)
    minutes: dict[str, list[float]] = defaultdict(list)
    for c in controls:
        if c.minutes is not None:
            minutes[c.office].append(c.minutes)
    found = []
    for office, xs in sorted(per_office.items()):
        n, k = sum(x.controls for x in xs), sum(x.hits for x in xs)
        found.append(OfficeIndicators(
            office=office, officers=len(xs), controls=n, hits=k, hit_rate=_rate(k, n),
            overrides=sum(x.overrides for x in xs),
            median_minutes=median(minutes[office]) if minutes[office] else None,
            missed=sum(x.missed for x in xs), flagged_officers=sum(bool(x.flags) for x in xs)))
    return found
