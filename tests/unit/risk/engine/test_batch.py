"""The columnar decision path gives exactly the decisions and capacity use of one-by-one
selection, for every mix of random draws, hard hits, ENS outcomes and budgets."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

import polars as pl
import pytest
from tests.unit.risk.engine.test_engine import DAY, REF, ColumnRule, docs, soft

from clearway.risk.engine.assess import EngineSettings, Knowledge, assess_batch, assess_frame
from clearway.risk.engine.decision import Area, Channel, Hit, ModelReason, Source
from clearway.risk.engine.ens import EnsRules
from clearway.risk.engine.frame import flatten
from clearway.risk.engine.selectivity import Capacity
from helpers import load_benchmark

# Many decisions at once live with the benchmarks that measure them (benchmarks/).
batch_selectivity = load_benchmark("batch_selectivity")
select_all, select_batch = batch_selectivity.select_all, batch_selectivity.select_batch


class FakeScorer:
    """Probabilities and revenue from the declaration's index, contributions for some."""

    version = "fake-1"

    def score(self, frame: pl.DataFrame) -> tuple[list[float | None], list[float | None]]:
        n = int(frame["_decl"].max()) + 1
        probs: list[float | None] = [None if d % 11 == 0 else (d * 37 % 100) / 100
                                     for d in range(n)]
        revenue: list[float | None] = [None if d % 3 else float(d * 13 % 900) for d in range(n)]
        return probs, revenue

    def reasons(self, frame: pl.DataFrame, decls: Sequence[int],
                top: int) -> dict[int, tuple[ModelReason, ...]]:
        return {d: (ModelReason("f", "feature f", d, 0.1 * d),) for d in decls}


RULES = (
    ColumnRule("origin_country", "CN", soft(Area.ORIGIN, 0.7)),
    ColumnRule("declaration_type", "EX", soft(Area.DUAL_USE, 0.4)),
    ColumnRule("transport_mode", "1", Hit(Source.PROFILE, "SEA v2", Area.SECURITY, "sea",
                                          weight=0.4, min_channel=Channel.YELLOW, hard=True)),
    EnsRules.load(),
)

# (random share, aeo mitigation, budgets per channel or None for no capacity tracking)
CASES = [
    (0.02, 0.5, None),
    (0.02, 0.5, {}),
    (0.3, 0.5, {Channel.RED: 2, Channel.YELLOW: 3}),
    (0.0, 1.0, {Channel.RED: 0, Channel.YELLOW: 0, Channel.BLUE: 1}),
    (1.0, 0.2, {Channel.RED: 1}),
]


@pytest.mark.parametrize(("share", "factor", "limits"), CASES)
def test_columnar_decisions_equal_one_by_one(share: float, factor: float,
                                             limits: dict[Channel, int] | None) -> None:
    batch_docs = docs(150, seed=11)
    frame = flatten(batch_docs, [DAY] * len(batch_docs), REF,
                    keys=[f"K{i}" for i in range(len(batch_docs))])
    settings = replace(EngineSettings(), random_share=share, aeoc_factor=factor,
                       aeos_factor=factor, explain_at=0.6)
    know = Knowledge(rules=RULES, scorer=FakeScorer(), settings=settings)
    rng = random.Random(5)
    draws = [rng.random() for _ in batch_docs]
    offices = frame["office"].unique().to_list()

    def capacities() -> dict | None:
        if limits is None:
            return None
        # Budgets on every other office: both the free and the bound path are exercised.
        return {(o, DAY): Capacity(dict(limits) if i % 2 == 0 else {})
                for i, o in enumerate(sorted(offices, key=str))}

    caps_one, caps_batch = capacities(), capacities()
    one_by_one = select_all(assess_frame(frame, know), draws, caps_one, settings)
    columnar = select_batch(assess_batch(frame, know), draws, caps_batch, settings)
    assert [d.as_dict() for d in columnar.decisions()] == [d.as_dict() for d in one_by_one]
    assert columnar.channels() == [d.channel for d in one_by_one]
    if caps_one is not None and caps_batch is not None:
        assert {k: c.used for k, c in caps_one.items()} == \
            {k: c.used for k, c in caps_batch.items()}
    assert len({d.channel for d in one_by_one}) > (share < 1)
    if limits and share < 1:  # budgets bound somewhere, so the step-down path ran
        assert any(d.capacity_limited for d in columnar.decisions())


def test_a_declaration_without_hits_has_zero_scores_and_no_objects() -> None:
    frame = flatten(docs(3)[1:3], [DAY, DAY], REF)
    batch = assess_batch(frame, Knowledge())
    assert batch.hits == {} and len(batch) == 2
    assert batch.frame["expected_value"].to_list() == [0.0, 0.0]


def test_scoring_in_a_second_thread_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import clearway.risk.engine.assess as engine

    batch_docs = docs(60, seed=4)
    frame = flatten(batch_docs, [DAY] * len(batch_docs), REF)
    know = Knowledge(rules=RULES, scorer=FakeScorer())
    monkeypatch.setattr(engine, "PARALLEL_ROWS", 10**9)
    alone = assess_frame(frame, know)
    monkeypatch.setattr(engine, "PARALLEL_ROWS", 0)
    assert assess_frame(frame, know) == alone
    assert any(a.probability for a in alone)
