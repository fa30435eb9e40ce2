"""The risk engine: declarations and what the administration knows in, assessments out.

Pure: no HTTP, no database, no clock, no randomness (the random draw for selectivity is handed
in by the caller, from the injected generator). `assess_frame` runs every rule set over the item
frame of a batch (see `frame.flatten`) with Polars, scores the declarations with the learned
model, and folds the hits of each declaration into an `Assessment`; `selectivity.select` then
turns an assessment into a channel under the office's capacity. `assess` is the same for
declarations given as canonical objects; a single declaration is a batch of one, so the single
and the batch mode give identical decisions (tests/unit/risk/test_engine.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import polars as pl

from clearway.refdata.model import RefDataSnapshot
from clearway.risk.decision import (
    FISCAL_AREAS,
    Area,
    Channel,
    EnsOutcome,
    Hit,
    ModelReason,
)
from clearway.risk.frame import RiskDoc, TraderRecord, flatten


class RuleSet(Protocol):
    """Anything that finds hits in an item frame: profiles, IPR, dual-use, valuation, ENS,
    party screening. Returns (`_decl` of the declaration, hit) pairs."""

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]: ...


class Scorer(Protocol):
    """The learned model as the engine sees it (see `risk.scoring`)."""

    version: str | None

    def score(self, frame: pl.DataFrame) -> tuple[list[float | None], list[float | None]]:
        """Per declaration (`_decl` 0..n-1): P(irregular) and expected revenue (None: none)."""
        ...

    def reasons(self, frame: pl.DataFrame, decls: Sequence[int],
                top: int) -> dict[int, tuple[ModelReason, ...]]: ...


@dataclass(frozen=True)
class EngineSettings:
    """Tuning of the engine; defaults are documented in docs/risk-engine.md."""

    random_share: float = 0.02
    aeoc_factor: float = 0.5   # AEOC multiplies the fiscal score by this
    aeos_factor: float = 0.5   # AEOS multiplies the security score by this
    security_weight: float = 1.0
    revenue_scale: float = 1000.0  # expected revenue (EUR) that doubles a fiscal score's value
    red_at: float = 0.8        # expected value at which a declaration goes red ...
    yellow_at: float = 0.5     # ... yellow ...
    blue_at: float = 0.3       # ... or blue (post-clearance audit)
    # Model contributions (a TreeSHAP walk, ~0.3 ms a row) for declarations the model finds
    # more likely irregular than this; hits explain themselves.
    explain_at: float = 0.5
    explain_top: int = 3


@dataclass(frozen=True)
class Knowledge:
    """Everything the engine knows besides the declarations themselves."""

    rules: tuple[RuleSet, ...] = ()
    scorer: Scorer | None = None
    settings: EngineSettings = field(default_factory=EngineSettings)


@dataclass(frozen=True)
class Assessment:
    """One declaration's hits, scores and expected value, before selectivity."""

    key: str
    declaration_type: str
    office: str | None
    day: date
    hits: tuple[Hit, ...]
    scores: dict[str, float]
    fiscal_score: float      # after AEOC mitigation
    security_score: float    # after AEOS mitigation
    probability: float | None
    expected_revenue: float | None
    expected_value: float
    required: Channel | None  # the strongest channel a hard hit demands
    aeo: tuple[str, ...]
    ens_outcome: EnsOutcome | None
    contributions: tuple[ModelReason, ...] = ()
    model_version: str | None = None


def _combine(weights: Sequence[float]) -> float:
    """Independent evidence: 1 - prod(1 - w), so two 0.5 hits make 0.75, never above 1."""
    rest = 1.0
    for w in weights:
        rest *= 1.0 - min(max(w, 0.0), 1.0)
    return 1.0 - rest


AREA_NAMES = tuple(str(a) for a in Area)  # plain strings: iterating the enum is slow
_FISCAL = tuple(str(a) for a in FISCAL_AREAS)
_OTHER = tuple(str(a) for a in (Area.PROHIBITIONS, Area.IPR, Area.DUAL_USE, Area.HEALTH))
_SECURITY = str(Area.SECURITY)


_NO_SCORES = dict.fromkeys(AREA_NAMES, 0.0)


def _area_scores(hits: list[Hit]) -> dict[str, float]:
    if not hits:
        return dict(_NO_SCORES)
    by_area: dict[str, list[float]] = {}
    for hit in hits:
        by_area.setdefault(str(hit.area), []).append(hit.weight)
    return {a: round(_combine(by_area[a]), 6) if a in by_area else 0.0 for a in AREA_NAMES}


def _assessment(head: Mapping[str, Any], hits: list[Hit], probability: float | None,
                revenue: float | None, reasons: tuple[ModelReason, ...],
                settings: EngineSettings, model_version: str | None) -> Assessment:
    scores = _area_scores(hits)
    fiscal = max(max(scores[a] for a in _FISCAL), probability or 0.0)
    security = scores[_SECURITY]
    aeo = tuple(head["aeo_types"] or ())
    if head["aeoc"]:
        fiscal *= settings.aeoc_factor
    if head["aeos"]:
        security *= settings.aeos_factor
    other = max(scores[a] for a in _OTHER)
    value_factor = 1.0 + (max(revenue, 0.0) / settings.revenue_scale if revenue else 0.0)
    ev = fiscal * value_factor + settings.security_weight * security + other
    hard = [h.min_channel for h in hits if h.hard and h.min_channel is not None]
    outcomes = [h.ens_outcome for h in hits if h.ens_outcome is not None]
    kind = str(head["declaration_type"])
    ens = (max(outcomes, key=lambda o: o.rank) if outcomes else EnsOutcome.NO_RISK) \
        if kind == "ENS" else None
    ordered = tuple(sorted(hits, key=lambda h: (not h.hard, -h.weight, h.source, h.ref,
                                                h.item or 0))) if hits else ()
    return Assessment(
        key=str(head["_key"]), declaration_type=kind, office=head["office"],
        day=head["declaration_date"], hits=ordered, scores=scores,
        fiscal_score=fiscal, security_score=security, probability=probability,
        expected_revenue=revenue, expected_value=round(ev, 6),
        required=Channel.strongest(*hard) if hard else None, aeo=aeo, ens_outcome=ens,
        contributions=reasons, model_version=model_version)


def assess_frame(frame: pl.DataFrame, knowledge: Knowledge) -> list[Assessment]:
    """Assess every declaration of an item frame, in `_decl` order (0..n-1)."""
    if frame.height == 0:
        return []
    heads = frame.select("_decl", "_key", "declaration_type", "office", "declaration_date",
                         "aeo_types", "aeoc", "aeos").unique(
        subset="_decl", keep="first", maintain_order=True).sort("_decl")
    n = heads.height
    found: list[list[Hit]] = [[] for _ in range(n)]
    for rules in knowledge.rules:
        for decl, hit in rules.hits(frame):
            found[decl].append(hit)
    probs: list[float | None] = [None] * n
    revenue: list[float | None] = [None] * n
    reasons: dict[int, tuple[ModelReason, ...]] = {}
    scorer = knowledge.scorer
    settings = knowledge.settings
    if scorer is not None:
        probs, revenue = scorer.score(frame)
        # Contributions cost a tree walk per row: only for declarations worth a look.
        worth = [d for d in range(n) if (probs[d] or 0.0) >= settings.explain_at]
        if worth:
            reasons = scorer.reasons(frame, worth, settings.explain_top)
    version = scorer.version if scorer is not None else None
    return [_assessment(head, found[d], probs[d], revenue[d], reasons.get(d, ()), settings,
                        version)
            for d, head in enumerate(heads.iter_rows(named=True))]


def assess(docs: Sequence[RiskDoc], dates: Sequence[date], ref: RefDataSnapshot,
           knowledge: Knowledge, *, keys: Sequence[str] | None = None,
           traders: Mapping[str, TraderRecord] | None = None,
           references: pl.DataFrame | None = None) -> list[Assessment]:
    """Assess canonical declarations (flattened first; see `frame.flatten`)."""
    frame = flatten(docs, dates, ref, keys=keys, traders=traders, references=references)
    return assess_frame(frame, knowledge)
