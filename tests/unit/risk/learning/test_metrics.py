"""Metrics against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from clearway.risk.learning.evaluation import (
    average_precision,
    metrics,
    precision_at,
    random_metrics,
    recall_at,
    revenue_at,
    roc_auc,
)

Y = np.array([1, 0, 1, 0, 0])
S = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
YT = np.array([1, 0, 1, 0])
ST = np.array([0.5, 0.5, 0.2, 0.1])  # a tie at the top

# (y, score, rate, precision, recall): top ceil(rate% of n) rows, ties counted by expected share
AT_K = [
    (Y, S, 20, 1.0, 0.5),  # row 1
    (Y, S, 40, 0.5, 0.5),  # rows 1-2
    (Y, S, 60, 2 / 3, 1.0),  # rows 1-3
    (Y, S, 100, 0.4, 1.0),
    (Y, S, 1, 1.0, 0.5),  # ceil(0.05) = 1 row
    (YT, ST, 25, 0.5, 0.25),  # one of the two tied rows: half a hit expected
    (YT, ST, 50, 0.5, 0.5),
    (YT, ST, 75, 2 / 3, 1.0),
]


@pytest.mark.parametrize(("y", "score", "rate", "precision", "recall"), AT_K)
def test_precision_and_recall_at_k(y: np.ndarray, score: np.ndarray, rate: float,
                                   precision: float, recall: float) -> None:
    assert precision_at(y, score, rate) == pytest.approx(precision)
    assert recall_at(y, score, rate) == pytest.approx(recall)


# (y, score, roc_auc, average_precision)
RANKING = [
    (Y, S, 5 / 6, 0.5 * 1 + 0.5 * 2 / 3),
    (YT, ST, 2.5 / 4, 0.5 * 0.5 + 0.5 * 2 / 3),  # tie: half a pair; AP steps per threshold
    (np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.3, 0.4]), 1.0, 1.0),
    (np.array([1, 1, 0, 0]), np.array([0.1, 0.2, 0.3, 0.4]), 0.0, 0.5 * 1 / 3 + 0.5 * 2 / 4),
    (np.array([1, 0, 1, 0]), np.zeros(4), 0.5, 0.5),
]


@pytest.mark.parametrize(("y", "score", "auc", "ap"), RANKING)
def test_roc_auc_and_average_precision(y: np.ndarray, score: np.ndarray, auc: float,
                                       ap: float) -> None:
    assert roc_auc(y, score) == pytest.approx(auc)
    assert average_precision(y, score) == pytest.approx(ap)


def test_revenue_at_k_is_the_share_of_total_revenue() -> None:
    revenue = np.array([50.0, 0.0, 30.0, 0.0, 20.0])
    assert revenue_at(revenue, S, 20) == pytest.approx(0.5)
    assert revenue_at(revenue, S, 60) == pytest.approx(0.8)


def test_constant_score_equals_random_selection() -> None:
    rng = np.random.default_rng(0)
    y = (rng.random(1000) < 0.2).astype(int)
    revenue = y * rng.random(1000)
    flat = metrics(y, np.zeros(1000), [1, 5, 10], revenue)
    expected = random_metrics(y, [1, 5, 10], revenue)
    assert flat.keys() == expected.keys()
    for key, value in expected.items():
        assert flat[key] == pytest.approx(value), key


def test_metric_keys() -> None:
    keys = list(metrics(Y, S, [1, 2.5]))
    assert keys == ["precision@1", "recall@1", "precision@2.5", "recall@2.5", "roc_auc",
                    "average_precision"]
    assert "revenue@1" in metrics(Y, S, [1], revenue=np.ones(5))
    assert np.isnan(roc_auc(np.zeros(3), S[:3]))
