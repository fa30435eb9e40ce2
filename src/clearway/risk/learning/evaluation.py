"""Evaluation harness: the risk model against random selection and a plain baseline.

Metrics are computed with numpy only. Top-k% selections take ceil(k% of the rows); rows tied
with the last selected score count with their expected share (as if ties were broken at random),
so a constant score gets exactly the random-selection figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from clearway.risk.learning.features import FeatureConfig, build_features
from clearway.risk.learning.mapping import Mapping
from clearway.risk.learning.model import RiskModel

DEFAULT_RATES = (1.0, 2.0, 5.0, 10.0)
# Told the name of each phase as it starts (the command line shows them on stderr).
Progress = Callable[[str], None]


def _key(rate: float) -> str:
    return f"{rate:g}"


def top_share(values: np.ndarray, score: np.ndarray, rate: float) -> float:
    """Sum of `values` over the top `rate`% rows by score (ties: expected share)."""
    n = len(score)
    need = min(n, math.ceil(n * rate / 100 - 1e-9))
    if need <= 0:
        return 0.0
    cut = np.sort(score)[::-1][need - 1]
    above = score > cut
    tied = score == cut
    rest = need - int(above.sum())
    return float(values[above].sum() + rest * values[tied].mean())


def precision_at(y: np.ndarray, score: np.ndarray, rate: float) -> float:
    """Share of irregular rows among the top `rate`% scored rows."""
    need = min(len(y), math.ceil(len(y) * rate / 100 - 1e-9))
    return top_share(y.astype(float), score, rate) / need if need else 0.0


def recall_at(y: np.ndarray, score: np.ndarray, rate: float) -> float:
    """Share of all irregular rows that the top `rate`% contains."""
    total = float(y.sum())
    return top_share(y.astype(float), score, rate) / total if total else 0.0


def revenue_at(revenue: np.ndarray, score: np.ndarray, rate: float) -> float:
    """Share of the total revenue that the top `rate`% recovers."""
    total = float(revenue.sum())
    return top_share(revenue.astype(float), score, rate) / total if total else 0.0


def _average_ranks(score: np.ndarray) -> np.ndarray:
    _, inverse, counts = np.unique(score, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return (ends - (counts - 1) / 2.0)[inverse]


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney with average ranks for ties)."""
    pos = int(y.sum())
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    ranks = _average_ranks(score)
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def average_precision(y: np.ndarray, score: np.ndarray) -> float:
    """Sum over distinct thresholds of (recall gained) x precision, as scikit-learn does."""
    pos = int(y.sum())
    if pos == 0:
        return float("nan")
    order = np.argsort(-score, kind="stable")
    s, t = score[order], y[order].astype(float)
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]  # end of each tie group
    tp = np.cumsum(t)[last]
    precision = tp / (last + 1)
    recall_gain = np.diff(np.r_[0.0, tp]) / pos
    return float((recall_gain * precision).sum())


def metrics(y: np.ndarray, score: np.ndarray, rates: Sequence[float] = DEFAULT_RATES,
            revenue: np.ndarray | None = None,
            revenue_score: np.ndarray | None = None) -> dict[str, float]:
    """precision@k, recall@k, revenue@k (when `revenue`), roc_auc, average_precision."""
    out: dict[str, float] = {}
    for rate in rates:
        out[f"precision@{_key(rate)}"] = precision_at(y, score, rate)
        out[f"recall@{_key(rate)}"] = recall_at(y, score, rate)
        if revenue is not None:
            ranking = revenue_score if revenue_score is not None else score
            out[f"revenue@{_key(rate)}"] = revenue_at(revenue, ranking, rate)
    out["roc_auc"] = roc_auc(y, score)
    out["average_precision"] = average_precision(y, score)
    return out


def random_metrics(y: np.ndarray, rates: Sequence[float] = DEFAULT_RATES,
                   revenue: np.ndarray | None = None) -> dict[str, float]:
    """Expected metrics of random selection."""
    base = float(y.mean()) if len(y) else 0.0
    out: dict[str, float] = {}
    for rate in rates:
        out[f"precision@{_key(rate)}"] = base
        out[f"recall@{_key(rate)}"] = rate / 100
        if revenue is not None:
            out[f"revenue@{_key(rate)}"] = rate / 100
    out["roc_auc"] = 0.5
    out["average_precision"] = base
    return out


def raw_features(frame: pl.DataFrame, mapping: Mapping) -> pl.DataFrame:
    """The baseline's inputs: the mapped columns as they are, no history."""
    keep = [c for c in ("declaration_id", "date", *mapping.labels) if c in frame.columns]
    return frame.select(*keep, *mapping.categorical_names(), *mapping.numeric_names())


def split_until(frame: pl.DataFrame, until: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows dated up to `until` (inclusive) and the rows after."""
    return frame.filter(pl.col("date") <= until), frame.filter(pl.col("date") > until)


@dataclass
class Evaluation:
    model: RiskModel
    baseline: RiskModel
    report: dict[str, dict[str, Any]]
    test_rows: int
    train_rows: int


def label_rate(frame: pl.DataFrame) -> float:
    """Share of irregular rows among the labelled ones (0 when none)."""
    rate = frame.select(pl.col("label_irregular").cast(pl.Float64).mean()).item()
    return float(rate) if rate is not None else 0.0


def mapped_features(frame: pl.DataFrame, history: pl.DataFrame | None, mapping: Mapping, *,
                    frame_labels: bool = True, prior: float | None = None,
                    config: FeatureConfig | None = None) -> pl.DataFrame:
    """`build_features` with the extra columns that `mapping` declares."""
    return build_features(frame, history, frame_labels=frame_labels, prior=prior,
                          config=config, extra_categorical=list(mapping.categorical),
                          extra_numeric=list(mapping.numeric))


def _quiet(phase: str) -> None:
    """The default progress report: none."""


def _fit_and_score(train: pl.DataFrame, test: pl.DataFrame, mapping: Mapping,
                   config: FeatureConfig, online: bool, seed: int,
                   rounds: int | None, progress: Progress = _quiet
                   ) -> tuple[RiskModel, pl.DataFrame]:
    prior = label_rate(train)
    progress(f"histories of {train.height} training rows")
    f_train = mapped_features(train, None, mapping, prior=prior, config=config)
    progress(f"histories of {test.height} test rows")
    f_test = mapped_features(test, train, mapping, frame_labels=online, prior=prior,
                             config=config)
    progress("training the model (LightGBM)")
    return RiskModel.train(f_train, seed=seed, num_boost_round=rounds), f_test


def _labelled(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("label_irregular").is_not_null())


def evaluate(train: pl.DataFrame, test: pl.DataFrame, mapping: Mapping, *,
             rates: Sequence[float] = DEFAULT_RATES, online: bool = False,
             config: FeatureConfig | None = None, seed: int = 7,
             rounds: int | None = None, progress: Progress = _quiet) -> Evaluation:
    """Train the model and the baseline on `train`, score `test`, and compare.

    Test histories start from the training rows with their labels; earlier test rows add to
    the counts, and their labels only when `online` (revealed day by day after control).
    `rounds`: fixed boosting rounds (default: early stopping inside the training window).
    `progress` is told each phase as it starts (the command line shows it).
    """
    train, test = _labelled(train), _labelled(test)
    if train.height == 0 or test.height == 0:
        raise ValueError("evaluation needs labelled training and test rows")
    # The baseline needs no histories: it trains in a second thread while the model's
    # features are built and the model trains (LightGBM releases the GIL; each booster runs
    # on one thread for data of this size, so the two use two cores; same trees as in turn).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(RiskModel.train, raw_features(train, mapping), seed=seed,
                              num_boost_round=rounds)
        model, f_test = _fit_and_score(train, test, mapping, config or FeatureConfig(),
                                       online, seed, rounds, progress)
        progress("training the baseline (raw columns)")
        baseline = pending.result()
    y = f_test["label_irregular"].cast(pl.Int64).to_numpy()
    revenue = None
    if mapping.has_revenue:
        revenue = f_test["label_revenue"].cast(pl.Float64).fill_null(0.0).to_numpy()
    raw_test = raw_features(test, mapping)
    progress("scoring the test rows")
    report = {
        "model": metrics(y, model.predict(f_test), rates, revenue, model.predict_revenue(f_test)),
        "random": random_metrics(y, rates, revenue),
        "baseline": metrics(y, baseline.predict(raw_test), rates, revenue,
                            baseline.predict_revenue(raw_test)),
    }
    return Evaluation(model, baseline, report, test.height, train.height)


def holdout_metrics(rows: pl.DataFrame, mapping: Mapping, *, config: FeatureConfig | None = None,
                    share: float = 0.15, rates: Sequence[float] = DEFAULT_RATES,
                    seed: int = 7, rounds: int | None = None,
                    progress: Progress = _quiet) -> dict[str, float]:
    """Model metrics on the latest `share` of dates, trained on the earlier ones (for `train`)."""
    rows = _labelled(rows)
    dates = rows["date"].unique().sort()
    if len(dates) < 2:
        raise ValueError("a holdout needs rows on at least two dates")
    cut = dates[min(len(dates) - 1, max(1, int(len(dates) * (1 - share))))]
    train, test = rows.filter(pl.col("date") < cut), rows.filter(pl.col("date") >= cut)
    model, f_test = _fit_and_score(train, test, mapping, config or FeatureConfig(), False, seed,
                                   rounds, progress)
    y = f_test["label_irregular"].cast(pl.Int64).to_numpy()
    return metrics(y, model.predict(f_test), rates)


def synthetic_declarations(n: int, *, seed: int = 0, start: date = date(2024, 1, 1),
                           days: int = 60, revenue: bool = False) -> pl.DataFrame:
    """A canonical frame with planted risk (risky importers and goods), for tests/benchmarks."""
    rng = np.random.default_rng(seed)
    importers, goods = max(4, n // 8), max(4, n // 20)
    imp = rng.integers(0, importers, n)
    hs = rng.integers(0, goods, n)
    logit = (2.5 * rng.normal(size=importers)[imp] + 1.5 * rng.normal(size=goods)[hs]
             - 1.5 + 0.3 * rng.normal(size=n))
    label = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    mass = np.round(np.exp(rng.normal(4, 1.5, n)), 1)
    value = np.round(mass * np.exp(rng.normal(3, 0.5, goods))[hs], 2)
    frame = pl.DataFrame({
        "declaration_id": [f"D{i:07d}" for i in range(n)],
        "date": pl.Series(np.sort(rng.integers(0, days, n)) + (start - date(1970, 1, 1)).days,
                          dtype=pl.Int32).cast(pl.Date),
        "importer_id": [f"IMP{i}" for i in imp],
        "declarant_id": [f"DEC{i}" for i in rng.integers(0, 6, n)],
        "commodity_code": [f"{10000 + i:06d}" for i in hs],
        "origin_country": rng.choice(["CN", "TR", "US", "DE", "VN"], n),
        "office_id": rng.choice(["RS001", "RS002", "RS003"], n),
        "net_mass": mass, "value": value,
        "tax_rate": np.round(rng.choice([0.0, 5.0, 8.0, 12.0], n), 1),
        "label_irregular": label,
    })
    if revenue:
        frame = frame.with_columns((pl.col("label_irregular") * pl.col("value") * 0.1)
                                   .alias("label_revenue"))
    return frame
