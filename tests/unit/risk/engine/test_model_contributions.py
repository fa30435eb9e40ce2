"""The model's contributions come with every scored decision, whatever the score; they are a
reason for the selection only when the model finds the declaration likely irregular."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import polars as pl
import pytest

from clearway.demo.generator import DeclarationGenerator
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.assess import EngineSettings, Knowledge, assess
from clearway.risk.engine.decision import MODEL_REASON_AT, Decision, ModelReason
from clearway.risk.engine.selectivity import select

REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
DAY = date(2026, 11, 20)
PUSHES = (ModelReason("importer_rate", "past irregularity rate of the importer", 0.04, -0.61),
          ModelReason("uv_dev_hs6", "unit value against the goods' past median", 0.1, 0.22),
          ModelReason("origin_country", "country of origin", "DE", -0.15))


class Scorer:
    """A model that gives every declaration the same probability and the same pushes."""

    version = "fixed-1"

    def __init__(self, probability: float) -> None:
        self.probability = probability
        self.asked: list[int] = []

    def score(self, frame: pl.DataFrame) -> tuple[list[float | None], list[float | None]]:
        n = int(frame["_decl"].max()) + 1
        return [self.probability] * n, [None] * n

    def reasons(self, frame: pl.DataFrame, decls: Sequence[int],
                top: int) -> dict[int, tuple[ModelReason, ...]]:
        self.asked += list(decls)
        return {d: PUSHES[:top] for d in decls}


def decide(probability: float,
           settings: EngineSettings | None = None) -> tuple[Decision, Scorer]:
    doc = DeclarationGenerator(REF, random.Random(4), DAY).declaration("L1", items=1)
    scorer = Scorer(probability)
    know = Knowledge(scorer=scorer, settings=settings or EngineSettings())
    [assessment] = assess([doc], [DAY], REF, know)
    return select(assessment, 0.99, None, know.settings), scorer


def test_a_low_score_still_carries_its_top_contributions_but_claims_nothing() -> None:
    decision, scorer = decide(0.03)
    assert scorer.asked == [0]  # explained although far below any channel
    assert decision.contributions == PUSHES
    assert not decision.model_flagged
    assert not any(r.startswith("model: ") for r in decision.reasons())
    shown = decision.as_dict()
    assert shown["model_flagged"] is False
    assert [c["feature"] for c in shown["contributions"]] == [p.feature for p in PUSHES]


def test_a_high_score_makes_its_positive_pushes_reasons() -> None:
    decision, _ = decide(MODEL_REASON_AT + 0.2)
    assert decision.model_flagged and decision.contributions == PUSHES
    assert [r for r in decision.reasons() if r.startswith("model: ")] == [
        "model: unit value against the goods' past median (+0.22)"]


@pytest.mark.parametrize(("probability", "explained"), [(0.3, False), (0.7, True)])
def test_bulk_work_may_explain_only_high_scores(probability: float, explained: bool) -> None:
    settings = replace(EngineSettings(), explain_at=0.5)
    decision, scorer = decide(probability, settings)
    assert bool(decision.contributions) is explained and bool(scorer.asked) is explained
