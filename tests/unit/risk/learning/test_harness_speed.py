"""What makes the harness fast must not change its figures: one LightGBM thread for small
data, and the baseline trained beside the model."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from clearway.risk.learning.evaluation import (
    _fit_and_score,
    evaluate,
    metrics,
    raw_features,
    split_until,
    synthetic_declarations,
)
from clearway.risk.learning.features import FeatureConfig
from clearway.risk.learning.mapping import LabelRule, Mapping
from clearway.risk.learning.model import SMALL_CELLS, RiskModel, _threads

COLUMNS = ("declaration_id", "date", "importer_id", "declarant_id", "commodity_code",
           "origin_country", "office_id", "net_mass", "value", "tax_rate")


def mapping(*labels: str) -> Mapping:
    return Mapping(name="synthetic", columns={c: c for c in COLUMNS},
                   labels={label: LabelRule(label) for label in labels})


MAPPING = mapping("label_irregular")


def test_small_matrices_train_on_one_thread_large_ones_on_the_cpus() -> None:
    assert _threads(SMALL_CELLS - 1) == 1
    assert _threads(SMALL_CELLS) >= 1
    frame = synthetic_declarations(400, seed=5)
    model = RiskModel.train(raw_features(frame, MAPPING), seed=7, num_boost_round=10)
    assert model.info["params"]["num_threads"] == 1


def test_thread_count_does_not_change_the_trees() -> None:
    frame = raw_features(synthetic_declarations(1500, seed=9, days=40), MAPPING)
    one = RiskModel.train(frame, seed=7, params={"num_threads": 1})
    two = RiskModel.train(frame, seed=7, params={"num_threads": 2})
    assert one.info["rounds"] == two.info["rounds"]
    np.testing.assert_array_equal(one.predict(frame), two.predict(frame))


@pytest.mark.parametrize("rounds", [None, 25])
def test_baseline_beside_the_model_gives_the_figures_of_training_them_in_turn(
        rounds: int | None) -> None:
    frame = synthetic_declarations(1200, seed=4, days=50, revenue=True)
    revenue_mapping = mapping("label_irregular", "label_revenue")
    train, test = split_until(frame, date(2024, 2, 4))
    together = evaluate(train, test, revenue_mapping, seed=3, rounds=rounds)

    model, f_test = _fit_and_score(train, test, revenue_mapping, FeatureConfig(), False, 3,
                                   rounds)
    baseline = RiskModel.train(raw_features(train, revenue_mapping), seed=3,
                               num_boost_round=rounds)
    y = f_test["label_irregular"].to_numpy()
    revenue = f_test["label_revenue"].fill_null(0.0).to_numpy()
    raw_test = raw_features(test, revenue_mapping)
    assert together.report["model"] == metrics(y, model.predict(f_test), revenue=revenue,
                                               revenue_score=model.predict_revenue(f_test))
    assert together.report["baseline"] == metrics(
        y, baseline.predict(raw_test), revenue=revenue,
        revenue_score=baseline.predict_revenue(raw_test))
    assert together.baseline.info["rounds"] == baseline.info["rounds"]
