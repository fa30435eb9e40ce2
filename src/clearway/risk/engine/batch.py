"""Columnar assessments: scores, expected values and hard demands of a whole batch as one
Polars frame, with Python objects only for the declarations that have hits.

Most declarations of a batch hit nothing: their area scores are zero and their expected value
comes from the model alone. So the hits are folded per declaration in Python (the few that
have any), and everything else — fiscal and security scores with AEO mitigation, expected
value, the channel a hard hit demands — is computed over the whole frame at once. A single
declaration goes through this same code as a batch of one, so single and batch decisions are
identical by construction; `Assessment` objects are made only when asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from clearway.declarations.model import SUMMARY_TYPES
from clearway.risk.engine.decision import FISCAL_AREAS, Area, Channel, EnsOutcome, Hit, ModelReason

AREA_NAMES = tuple(str(a) for a in Area)  # plain strings: iterating the enum is slow
FISCAL = tuple(str(a) for a in FISCAL_AREAS)
OTHER = tuple(str(a) for a in (Area.PROHIBITIONS, Area.IPR, Area.DUAL_USE, Area.HEALTH))
SECURITY = str(Area.SECURITY)
CHANNELS = (Channel.GREEN, Channel.BLUE, Channel.YELLOW, Channel.RED)  # index = rank
ENS_OUTCOMES = tuple(EnsOutcome)  # index = rank
HEAD_COLUMNS = ("_decl", "_key", "declaration_type", "office", "declaration_date",
                "aeo_types", "aeoc", "aeos")
_NO_SCORES = dict.fromkeys(AREA_NAMES, 0.0)


def combine(weights: Sequence[float]) -> float:
    """Independent evidence: 1 - prod(1 - w), so two 0.5 hits make 0.75, never above 1."""
    rest = 1.0
    for w in weights:
        rest *= 1.0 - min(max(w, 0.0), 1.0)
    return 1.0 - rest


def area_scores(hits: Sequence[Hit]) -> dict[str, float]:
    if not hits:
        return dict(_NO_SCORES)
    by_area: dict[str, list[float]] = {}
    for hit in hits:
        by_area.setdefault(str(hit.area), []).append(hit.weight)
    return {a: round(combine(by_area[a]), 6) if a in by_area else 0.0 for a in AREA_NAMES}


def _ordered(hits: list[Hit]) -> tuple[Hit, ...]:
    return tuple(sorted(hits, key=lambda h: (not h.hard, -h.weight, h.source, h.ref,
                                             h.item or 0)))


def _folded(found: dict[int, list[Hit]]) -> pl.DataFrame:
    """Per declaration with hits: area scores, the strongest hard channel and ENS outcome."""
    decls = sorted(found)
    columns: dict[str, list[Any]] = {"_decl": decls, "_required": [], "_ens": []}
    for name in AREA_NAMES:
        columns[name] = []
    for d in decls:
        hits = found[d]
        scores = area_scores(hits)
        for name in AREA_NAMES:
            columns[name].append(scores[name])
        hard = [h.min_channel.rank for h in hits if h.hard and h.min_channel is not None]
        columns["_required"].append(max(hard) if hard else None)
        outcomes = [h.ens_outcome.rank for h in hits if h.ens_outcome is not None]
        columns["_ens"].append(max(outcomes) if outcomes else None)
    schema: dict[str, Any] = {"_decl": pl.Int64, "_required": pl.Int8, "_ens": pl.Int8}
    schema.update(dict.fromkeys(AREA_NAMES, pl.Float64))
    return pl.DataFrame(columns, schema=schema)


@dataclass(frozen=True)
class Weights:
    aeoc_factor: float
    aeos_factor: float
    security_weight: float
    revenue_scale: float


def score_frame(heads: pl.DataFrame, found: dict[int, list[Hit]],
                probs: Sequence[float | None], revenue: Sequence[float | None],
                w: Weights) -> pl.DataFrame:
    """`heads` (one row per `_decl`, in order) with area scores, fiscal and security scores
    after AEO mitigation, the expected value, and `_required` / `_ens` ranks."""
    model = [pl.Series("probability", list(probs), dtype=pl.Float64),
             pl.Series("expected_revenue", list(revenue), dtype=pl.Float64)]
    if found:
        frame = heads.with_columns(model).join(
            _folded(found), on="_decl", how="left", maintain_order="left").with_columns(_FILLED)
    else:  # no hits at all (most single declarations): the same columns, no join
        frame = heads.with_columns(*model, *_NO_HITS)
    scores, value = _scoring(w)
    return frame.with_columns(scores).with_columns(value)


# The expressions are built once (per weights): on a batch of one declaration, which every
# acceptance is, building them cost more than running them.
_FILLED = [pl.col(a).fill_null(0.0) for a in AREA_NAMES]
_NO_HITS = [pl.lit(None, dtype=pl.Int8).alias("_required"),
            pl.lit(None, dtype=pl.Int8).alias("_ens"),
            *[pl.lit(0.0, dtype=pl.Float64).alias(a) for a in AREA_NAMES]]


@lru_cache(maxsize=16)
def _scoring(w: Weights) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """Fiscal and security scores after AEO mitigation and the other areas' maximum; then
    the expected value and the ENS rank."""
    fiscal = pl.max_horizontal(*[pl.col(a) for a in FISCAL],
                               pl.col("probability").fill_null(0.0))
    fiscal = pl.when(pl.col("aeoc")).then(fiscal * w.aeoc_factor).otherwise(fiscal)
    security = pl.col(SECURITY)
    security = pl.when(pl.col("aeos")).then(security * w.aeos_factor).otherwise(security)
    rev = pl.col("expected_revenue")
    value_factor = (pl.when(rev.is_not_null() & (rev != 0.0))
                    .then(1.0 + rev.clip(lower_bound=0.0) / w.revenue_scale).otherwise(1.0))
    ev = (pl.col("fiscal_score") * value_factor + w.security_weight * pl.col("security_score")
          + pl.col("_other")).round(6)
    is_ens = pl.col("declaration_type").is_in(SUMMARY_TYPES)
    return ([fiscal.alias("fiscal_score"), security.alias("security_score"),
             pl.max_horizontal(*[pl.col(a) for a in OTHER]).alias("_other")],
            [ev.alias("expected_value"),
             pl.when(is_ens).then(pl.col("_ens").fill_null(0)).otherwise(None).alias("_ens")])


@dataclass(frozen=True)
class AssessmentBatch:
    """Assessments of a batch in columns (`frame`, `_decl` order) plus the hits and model
    contributions of the declarations that have any."""

    frame: pl.DataFrame
    hits: dict[int, tuple[Hit, ...]]
    contributions: dict[int, tuple[ModelReason, ...]]
    model_version: str | None

    @classmethod
    def build(cls, heads: pl.DataFrame, found: dict[int, list[Hit]],
              probs: Sequence[float | None], revenue: Sequence[float | None],
              contributions: dict[int, tuple[ModelReason, ...]], weights: Weights,
              model_version: str | None) -> AssessmentBatch:
        frame = score_frame(heads, found, probs, revenue, weights)
        return cls(frame, {d: _ordered(h) for d, h in found.items()}, contributions,
                   model_version)

    def __len__(self) -> int:
        return self.frame.height

    def rows(self) -> list[dict[str, Any]]:
        return self.frame.rows(named=True)

    def scores_of(self, d: int, row: dict[str, Any]) -> dict[str, float]:
        return {a: row[a] for a in AREA_NAMES} if d in self.hits else dict(_NO_SCORES)


def channel_of(rank: int | None) -> Channel | None:
    return None if rank is None else CHANNELS[rank]


def ens_of(rank: int | None) -> EnsOutcome | None:
    return None if rank is None else ENS_OUTCOMES[rank]
