"""Plain figures of the balance room: a strategy's tally, the estimate of non-compliance from
random inspections, one week of the replay.

The estimate: every item of the stream is drawn for a random inspection with the same
probability (`stream.random_draws`), so the random inspections are a uniform sample of the
stream, and the share of irregular items among them estimates the stream's irregularity rate
without bias. Its 95 % interval is the Wilson interval of the feedback room
(`feedback.model.wilson`, the one the live estimate uses); the sample is drawn without
replacement from a finite stream, so that interval is, if anything, a little wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clearway.feedback.model import wilson

STRATEGIES = ("clearway", "random", "rules", "oracle")


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@dataclass(frozen=True)
class Estimate:
    """A rate estimated from `sample` randomly inspected items, `found` of them irregular."""

    sample: int
    found: int
    rate: float | None
    low: float | None
    high: float | None

    def covers(self, truth: float) -> bool:
        return self.low is not None and self.high is not None and self.low <= truth <= self.high

    def as_dict(self) -> dict[str, Any]:
        return {"rate": _r(self.rate), "low": _r(self.low), "high": _r(self.high),
                "random_inspections": self.sample, "irregular_found": self.found}


def sample_estimate(found: int, sample: int) -> Estimate:
    """The irregularity rate of a population from a uniform sample of it (Wilson 95 %)."""
    ci = wilson(found, sample)
    if ci is None:
        return Estimate(0, 0, None, None, None)
    return Estimate(sample, found, found / sample, ci.low, ci.high)


def unseen_estimate(overall: Estimate, items: int, inspected: int, caught: int) -> Estimate:
    """The rate among the items nobody inspected: (items x rate - caught) / (items -
    inspected), applied to the rate and both ends of its interval (a monotone map, so the
    interval keeps its coverage); clipped to [0, 1]."""
    rest = items - inspected
    if overall.rate is None or rest <= 0:
        return Estimate(overall.sample, overall.found, None, None, None)

    def unseen(rate: float | None) -> float | None:
        return None if rate is None else min(1.0, max(0.0, (items * rate - caught) / rest))

    return Estimate(overall.sample, overall.found, unseen(overall.rate), unseen(overall.low),
                    unseen(overall.high))


@dataclass
class Tally:
    """What one strategy did over the replay."""

    inspections: int = 0
    caught: int = 0
    critical_caught: int = 0
    clean_record: int = 0  # inspections of traders whose known controls all found nothing
    random: int = 0  # inspections drawn at random (Clearway's share)
    per_week: list[int] = field(default_factory=list)  # irregular caught each week
    per_week_inspections: list[int] = field(default_factory=list)
    chosen: list[list[int]] = field(default_factory=list)  # stream positions, per week

    def add_week(self, rows: list[int], caught: int, critical: int, clean: int) -> None:
        inspections = len(rows)
        self.chosen.append(rows)
        self.inspections += inspections
        self.caught += caught
        self.critical_caught += critical
        self.clean_record += clean
        self.per_week.append(caught)
        self.per_week_inspections.append(inspections)

    def as_dict(self, irregular: int, critical: int | None,
                traders_known: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "inspections": self.inspections, "caught": self.caught,
            "precision": _r(self.caught / self.inspections) if self.inspections else None,
            "recall": _r(self.caught / irregular) if irregular else None,
        }
        if critical is not None:
            out["critical_caught"] = self.critical_caught
            out["critical_recall"] = _r(self.critical_caught / critical) if critical else None
        if traders_known:
            out["facilitation_cost"] = (_r(self.clean_record / self.inspections)
                                        if self.inspections else None)
        out["random_inspections"] = self.random
        return out


@dataclass(frozen=True)
class Week:
    """One weekly batch of the replay: its first day, items, irregular ones, capacity."""

    index: int
    first_day: str
    items: int
    irregular: int
    capacity: int
