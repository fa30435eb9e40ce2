"""What the risk engine returns: hits with reasons, scores per risk area, and a channel.

Plain immutable objects, no storage. A `Hit` is one reason to look at a declaration (a profile
that matched, a screening hit, an IPR application, a dual-use entry without licence, a unit value
far below its reference, an ENS safety rule, a random draw). A `Decision` gathers the hits of
one declaration, the scores they add up to, the model's probability and contributions, and the
channel selectivity gave it; `reasons()` says it in words an officer understands.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Area(StrEnum):
    """Risk areas (common risk criteria areas of the EU customs risk management framework)."""

    SECURITY = "security_safety"
    VALUATION = "valuation"
    CLASSIFICATION = "classification"
    ORIGIN = "origin"
    PROHIBITIONS = "prohibitions_restrictions"
    IPR = "ipr"
    DUAL_USE = "dual_use"
    HEALTH = "health"


FISCAL_AREAS = frozenset({Area.VALUATION, Area.CLASSIFICATION, Area.ORIGIN})
# Areas an AEOS authorisation mitigates; AEOC mitigates the fiscal ones.
SECURITY_AREAS = frozenset({Area.SECURITY})


class Channel(StrEnum):
    GREEN = "green"    # release
    BLUE = "blue"      # release now, post-clearance audit later
    YELLOW = "yellow"  # documentary check
    RED = "red"        # physical examination

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def strongest(cls, *channels: Channel | None) -> Channel:
        present = [c for c in channels if c is not None]
        return max(present, key=lambda c: c.rank) if present else cls.GREEN


_RANK = {Channel.GREEN: 0, Channel.BLUE: 1, Channel.YELLOW: 2, Channel.RED: 3}


class EnsOutcome(StrEnum):
    """ICS2-style outcomes of a safety and security analysis of an ENS."""

    NO_RISK = "no_risk"
    RFI = "request_for_information"
    HRS = "high_risk_screening"
    DNL = "do_not_load"

    @property
    def rank(self) -> int:
        return list(EnsOutcome).index(self)


class Source(StrEnum):
    PROFILE = "profile"
    SCREENING = "screening"
    IPR = "ipr"
    DUAL_USE = "dual_use"
    VALUATION = "valuation"
    ENS = "ens"
    PRE_ARRIVAL = "pre-arrival"   # an alarm from a partner's pre-arrival data
    MODEL = "model"
    RANDOM = "random"


@dataclass(frozen=True)
class Hit:
    """One reason to control a declaration.

    `hard` hits take their `min_channel` whatever the capacity budget and whatever AEO status;
    soft hits only add `weight` to their area's score. `item` is the goods item sequence the hit
    is about (None: the whole declaration). `evidence` holds the figures behind the reason.
    """

    source: Source
    ref: str
    area: Area
    reason: str
    weight: float = 0.0
    min_channel: Channel | None = None
    hard: bool = False
    item: int | None = None
    instructions: str | None = None
    qualification: str | None = None
    ens_outcome: EnsOutcome | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("source", "area", "min_channel", "ens_outcome"):
            data[key] = None if data[key] is None else str(data[key])
        return data


# From this P(irregular) on, the model's positive contributions are reasons for the
# selection ("model: ..."); below it they only explain the score.
MODEL_REASON_AT = 0.5


@dataclass(frozen=True)
class ModelReason:
    """A feature's push on the model's score (log-odds), in words."""

    feature: str
    description: str
    value: float | str | None
    contribution: float


@dataclass(frozen=True)
class Decision:
    """The engine's answer for one declaration (see docs/risk-engine.md)."""

    channel: Channel
    scores: dict[str, float]
    fiscal_score: float
    security_score: float
    probability: float | None
    expected_revenue: float | None
    expected_value: float
    hits: tuple[Hit, ...]
    contributions: tuple[ModelReason, ...] = ()
    random_selected: bool = False
    capacity_limited: bool = False
    aeo: tuple[str, ...] = ()
    ens_outcome: EnsOutcome | None = None
    model_version: str | None = None

    @property
    def instructions(self) -> list[str]:
        seen: dict[str, None] = {}
        for hit in self.hits:
            if hit.instructions:
                seen.setdefault(hit.instructions, None)
        return list(seen)

    @property
    def qualifications(self) -> list[str]:
        return sorted({h.qualification for h in self.hits if h.qualification})

    @property
    def model_flagged(self) -> bool:
        """Whether the model finds the declaration likely enough irregular that its
        contributions are a reason for the selection (they are kept, and shown as the
        model's contributions, whatever the score)."""
        return self.probability is not None and self.probability >= MODEL_REASON_AT

    def reasons(self) -> list[str]:
        """Every reason, hard hits first, in words (what matched and why it matters)."""
        ordered = sorted(self.hits, key=lambda h: (not h.hard, -h.weight))
        words = [(f"item {h.item}: " if h.item is not None else "") + h.reason for h in ordered]
        if self.model_flagged:  # below it, the contributions explain a low score instead
            words += [f"model: {c.description} ({_signed(c.contribution)})"
                      for c in self.contributions if c.contribution > 0]
        if self.random_selected:
            words.append("selected at random for control (unbiased compliance estimate)")
        if self.capacity_limited:
            words.append("control capacity of the office for the day is spent: "
                         "selected on score only if it outranks the day's threshold")
        return words

    def as_dict(self) -> dict[str, Any]:
        return {
            "channel": str(self.channel),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "fiscal_score": round(self.fiscal_score, 4),
            "security_score": round(self.security_score, 4),
            "probability": None if self.probability is None else round(self.probability, 4),
            "expected_revenue": (None if self.expected_revenue is None
                                 else round(self.expected_revenue, 2)),
            "expected_value": round(self.expected_value, 4),
            "random_selected": self.random_selected,
            "capacity_limited": self.capacity_limited,
            "aeo": list(self.aeo),
            "ens_outcome": None if self.ens_outcome is None else str(self.ens_outcome),
            "model_version": self.model_version,
            "hits": [h.as_dict() for h in self.hits],
            "contributions": [asdict(c) for c in self.contributions],
            "model_flagged": self.model_flagged,
            "instructions": self.instructions,
            "qualifications": self.qualifications,
            "reasons": self.reasons(),
        }


def _signed(x: float) -> str:
    return f"{x:+.2f}"
