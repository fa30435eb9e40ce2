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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

import polars as pl

from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.batch import (
    HEAD_COLUMNS,
    AssessmentBatch,
    Weights,
    channel_of,
    ens_of,
)
from clearway.risk.engine.decision import Channel, EnsOutcome, Hit, ModelReason
from clearway.risk.engine.frame import RiskDoc, TraderRecord, flatten
from clearway.risk.engine.memberships import Memberships


class RuleSet(Protocol):
    """Anything that finds hits in an item frame: profiles, IPR, dual-use, valuation, ENS,
    party screening, pre-arrival alarms. Returns (`_decl` of the declaration, hit) pairs."""

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
    # Model contributions (a TreeSHAP walk, ~0.3 ms a row) for every declaration the model
    # scores at least this high: 0 explains them all, so an officer sees what the model saw
    # whatever the score (bulk back-tests raise it to save the walks). They count as a
    # reason for the selection only from `decision.MODEL_REASON_AT` on.
    explain_at: float = 0.0
    explain_top: int = 3


@dataclass(frozen=True)
class Knowledge:
    """Everything the engine knows besides the declarations themselves."""

    rules: tuple[RuleSet, ...] = ()
    scorer: Scorer | None = None
    settings: EngineSettings = field(default_factory=EngineSettings)
    # The agencies' own profiles, by agency code: run on the same frame, their hits are kept
    # apart (`Assessment.agency_hits`) and never weigh on customs' scores or channel.
    agency_rules: Mapping[str, RuleSet] = field(default_factory=dict)
    # Traders' memberships of MoUs with trade, read into the frame like AEO status.
    memberships: Memberships | None = None


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
    # Hits of the agencies' own profiles, by agency code (see `Knowledge.agency_rules`)
    agency_hits: Mapping[str, tuple[Hit, ...]] = field(default_factory=dict)


PARALLEL_ROWS = 50_000
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="risk-model")


def _weights(settings: EngineSettings) -> Weights:
    return Weights(settings.aeoc_factor, settings.aeos_factor, settings.security_weight,
                   settings.revenue_scale)


def assess_batch(frame: pl.DataFrame, knowledge: Knowledge) -> AssessmentBatch:
    """Assess every declaration of an item frame, in columns (see `risk.batch`)."""
    heads = frame.select(*HEAD_COLUMNS).unique(
        subset="_decl", keep="first", maintain_order=True).sort("_decl")
    n = heads.height
    scorer = knowledge.scorer
    settings = knowledge.settings
    # On a big batch the model scores in a second thread while the rule sets run: LightGBM
    # and Polars release the GIL, so the Python parts of the rules fill the gaps.
    pending = _POOL.submit(scorer.score, frame) \
        if scorer is not None and frame.height >= PARALLEL_ROWS else None
    found: dict[int, list[Hit]] = {}
    for rules in knowledge.rules:
        for decl, hit in rules.hits(frame):
            found.setdefault(decl, []).append(hit)
    probs: list[float | None] = [None] * n
    revenue: list[float | None] = [None] * n
    reasons: dict[int, tuple[ModelReason, ...]] = {}
    if scorer is not None and n:
        probs, revenue = pending.result() if pending is not None else scorer.score(frame)
        worth = [d for d, p in enumerate(probs)
                 if p is not None and p >= settings.explain_at]
        if worth:
            reasons = scorer.reasons(frame, worth, settings.explain_top)
    version = scorer.version if scorer is not None else None
    return AssessmentBatch.build(heads, found, probs, revenue, reasons, _weights(settings),
                                 version)


def assessments(batch: AssessmentBatch) -> list[Assessment]:
    """The batch as one `Assessment` object per declaration."""
    out = []
    for d, row in enumerate(batch.rows()):
        hits = batch.hits.get(d, ())
        out.append(Assessment(
            key=str(row["_key"]), declaration_type=str(row["declaration_type"]),
            office=row["office"], day=row["declaration_date"], hits=hits,
            scores=batch.scores_of(d, row), fiscal_score=row["fiscal_score"],
            security_score=row["security_score"], probability=row["probability"],
            expected_revenue=row["expected_revenue"], expected_value=row["expected_value"],
            required=channel_of(row["_required"]), aeo=tuple(row["aeo_types"] or ()),
            ens_outcome=ens_of(row["_ens"]), contributions=batch.contributions.get(d, ()),
            model_version=batch.model_version))
    return out


def agency_hits(frame: pl.DataFrame, knowledge: Knowledge
                ) -> dict[int, dict[str, tuple[Hit, ...]]]:
    """The agencies' own profile hits: `_decl` -> agency code -> hits."""
    found: dict[int, dict[str, list[Hit]]] = {}
    for agency, rules in knowledge.agency_rules.items():
        for decl, hit in rules.hits(frame):
            found.setdefault(decl, {}).setdefault(agency, []).append(hit)
    return {d: {a: tuple(h) for a, h in by.items()} for d, by in found.items()}


def assess_frame(frame: pl.DataFrame, knowledge: Knowledge) -> list[Assessment]:
    """Assess every declaration of an item frame, in `_decl` order (0..n-1)."""
    if frame.height == 0:
        return []
    out = assessments(assess_batch(frame, knowledge))
    if knowledge.agency_rules:
        for d, hits in agency_hits(frame, knowledge).items():
            out[d] = replace(out[d], agency_hits=hits)
    return out


def assess(docs: Sequence[RiskDoc], dates: Sequence[date], ref: RefDataSnapshot,
           knowledge: Knowledge, *, keys: Sequence[str] | None = None,
           traders: Mapping[str, TraderRecord] | None = None,
           references: pl.DataFrame | None = None,
           alarms: Mapping[str, Sequence[Mapping[str, Any]]] | None = None
           ) -> list[Assessment]:
    """Assess canonical declarations (flattened first; see `frame.flatten`). `alarms`: the
    open pre-arrival alarms of some of them, by key (as `keys`), for the rule set that
    weighs them; None or empty leaves the frame as it was."""
    frame = flatten(docs, dates, ref, keys=keys, traders=traders, references=references,
                    alarms=alarms, memberships=knowledge.memberships)
    return assess_frame(frame, knowledge)
