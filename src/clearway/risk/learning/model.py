"""LightGBM risk model: P(irregular), expected revenue, and per-row feature contributions.

`RiskModel.train(features)` fits on the output of `features.build_features` (or any frame of
feature columns plus `label_irregular`, e.g. the raw baseline). Categorical feature columns
(strings) are encoded with a vocabulary learnt from the training rows: values seen at least
`min_category_count` times get a code, others are missing. The number of boosting rounds is
chosen by early stopping on the latest dates of the training window (time-based, never on the
rows being scored), then the model is refit on the whole window. Everything is seeded.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import polars as pl

from clearway.risk.learning.features import KEEP

DEFAULT_PARAMS: dict[str, Any] = {
    "objective": "binary", "learning_rate": 0.03, "num_leaves": 31, "min_data_in_leaf": 40,
    "feature_fraction": 0.7, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
    "cat_smooth": 10.0, "min_data_per_group": 50, "max_cat_threshold": 32,
}
FIXED_PARAMS: dict[str, Any] = {"verbosity": -1, "deterministic": True, "force_row_wise": True}
# Training matrices smaller than this (rows x features) train on one thread (see `_threads`).
SMALL_CELLS = 10_000_000


@dataclass(frozen=True)
class Contribution:
    """One feature's share of a row's score (log-odds, LightGBM `pred_contrib`)."""

    feature: str
    description: str
    value: float | str | None
    contribution: float


@dataclass
class RiskModel:
    booster: lgb.Booster
    features: list[str]
    categories: dict[str, list[str]]
    prior: float
    revenue_booster: lgb.Booster | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def train(cls, frame: pl.DataFrame, *, features: Sequence[str] | None = None,
              params: dict[str, Any] | None = None, seed: int = 7,
              num_boost_round: int | None = None, max_rounds: int = 2000,
              validation_share: float = 0.15, min_category_count: int = 20) -> RiskModel:
        """Fit on labelled rows (`label_irregular` not null) of a feature frame."""
        frame = frame.filter(pl.col("label_irregular").is_not_null())
        if frame.height == 0 or frame["label_irregular"].n_unique() < 2:
            raise ValueError("training needs labelled rows of both classes")
        names = list(features) if features is not None else \
            [c for c in frame.columns if c not in KEEP]
        categories = {c: _vocabulary(frame[c], min_category_count)
                      for c in names if frame.schema[c] == pl.String}
        p = {**DEFAULT_PARAMS, "num_threads": _threads(frame.height * len(names)),
             **(params or {}), **FIXED_PARAMS, "seed": seed}
        y = frame["label_irregular"].cast(pl.Float64).to_numpy()
        weights = _weights(frame)
        prior = (float(frame.select(pl.col("label_irregular").cast(pl.Float64).mean()).item())
                 if weights is None else float(np.average(y, weights=weights)))

        def dataset(part: pl.DataFrame, target: np.ndarray) -> lgb.Dataset:
            cats = [i for i, c in enumerate(names) if c in categories]
            return lgb.Dataset(_matrix(part, names, categories), target, feature_name=names,
                               categorical_feature=cats or "auto", weight=_weights(part))

        rounds = num_boost_round
        if rounds is None:  # early stopping on the latest dates, scaled up for the refit
            dates = frame["date"].unique().sort()
            cut = dates[min(len(dates) - 1, int(len(dates) * (1 - validation_share)))]
            fit = (frame["date"] < cut).to_numpy()
            rounds = 200
            if fit.any() and not fit.all() and len(np.unique(y[~fit])) == 2:
                mask = pl.Series(fit)
                early = lgb.train({**p, "metric": "auc"}, dataset(frame.filter(mask), y[fit]),
                                  num_boost_round=max_rounds,
                                  valid_sets=[dataset(frame.filter(~mask), y[~fit])],
                                  callbacks=[lgb.early_stopping(100, verbose=False)])
                rounds = max(20, math.ceil(early.best_iteration * len(y) / fit.sum()))
        booster = lgb.train(p, dataset(frame, y), num_boost_round=rounds)
        revenue = None
        if "label_revenue" in frame.columns and frame["label_revenue"].drop_nulls().len():
            rev = frame.filter(pl.col("label_revenue").is_not_null())
            r = rev["label_revenue"].cast(pl.Float64).to_numpy()
            objective = "tweedie" if r.min() >= 0 else "regression"
            revenue = lgb.train({**p, "objective": objective}, dataset(rev, r),
                                num_boost_round=rounds)
        info = {"rounds": rounds, "params": p, "rows": frame.height}
        return cls(booster, names, categories, prior, revenue, info)

    def matrix(self, frame: pl.DataFrame) -> np.ndarray:
        """The feature matrix (float64, NaN for missing) in the model's feature order."""
        return _matrix(frame, self.features, self.categories)

    def predict(self, frame: pl.DataFrame) -> np.ndarray:
        """P(irregular) for each row."""
        return np.asarray(self.booster.predict(self.matrix(frame)), dtype=np.float64)

    def predict_revenue(self, frame: pl.DataFrame) -> np.ndarray | None:
        """Expected additional revenue per row (None without a revenue label in training)."""
        if self.revenue_booster is None:
            return None
        return np.asarray(self.revenue_booster.predict(self.matrix(frame)), dtype=np.float64)

    def explain(self, frame: pl.DataFrame, top: int = 5) -> list[list[Contribution]]:
        """Per row, the `top` features that moved its score most, largest |log-odds| first."""
        contrib = np.asarray(self.booster.predict(self.matrix(frame), pred_contrib=True))
        values = frame.select(self.features).rows()
        result: list[list[Contribution]] = []
        for row, shares in zip(values, contrib[:, :-1], strict=True):
            order = np.argsort(-np.abs(shares), kind="stable")[:top]
            result.append([Contribution(self.features[i], describe(self.features[i]), row[i],
                                        float(shares[i])) for i in order])
        return result


def _weights(frame: pl.DataFrame) -> np.ndarray | None:
    """Each row's `sample_weight` (a thinned training sample), None: all weigh 1."""
    if "sample_weight" not in frame.columns:
        return None
    return frame["sample_weight"].cast(pl.Float64).fill_null(1.0).to_numpy()


def _threads(cells: int) -> int:
    """Threads for a training matrix of `cells` values: one below SMALL_CELLS (waking and
    joining OpenMP threads for every histogram costs more than the histogram, and spinning
    threads starve anything else running), else the CPUs this process may use (OpenMP's
    default can oversubscribe a limited container). The trees are the same either way."""
    if cells < SMALL_CELLS:
        return 1
    try:
        return max(1, min(16, len(os.sched_getaffinity(0))))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, min(16, os.cpu_count() or 1))


def _matrix(frame: pl.DataFrame, features: Sequence[str],
            categories: dict[str, list[str]]) -> np.ndarray:
    missing = [c for c in features if c not in frame.columns]
    if missing:
        raise ValueError(f"feature columns missing: {missing}")
    cols = []
    for name in features:
        if name in categories:
            codes = {v: float(i) for i, v in enumerate(categories[name])}
            col = frame[name].cast(pl.String).replace_strict(
                codes, default=None, return_dtype=pl.Float64)
        else:
            col = frame[name].cast(pl.Float64)
        cols.append(col.fill_null(float("nan")).to_numpy())
    return np.column_stack(cols) if cols else np.empty((frame.height, 0))


def _vocabulary(column: pl.Series, min_count: int) -> list[str]:
    counts = column.drop_nulls().cast(pl.String).value_counts()
    counts = counts.filter(pl.col("count") >= min_count)
    return counts.sort(["count", column.name], descending=[True, False])[column.name].to_list()


_ENTITY_WORDS = {
    "importer": "importer", "declarant": "declarant", "seller": "seller (supplier)",
    "courier": "courier", "office": "customs office", "hs6": "HS6 subheading",
    "hs4": "HS4 heading", "hs2": "HS chapter", "origin": "country of origin",
    "departure": "country of departure", "transport": "transport mode",
    "importer_hs6": "importer with this HS6", "seller_hs6": "seller with this HS6",
    "importer_seller": "importer with this seller",
    "declarant_importer": "declarant with this importer",
    "declarant_hs6": "declarant with this HS6", "importer_origin": "importer with this origin",
    "hs6_origin": "HS6 from this origin", "route": "route origin -> departure",
    "office_hs4": "HS4 at this office", "hs6_value": "HS6 in this value band",
    "hs6_mass": "HS6 in this mass band", "hs6_value_fine": "HS6 in this narrow value band",
    "hs6_mass_fine": "HS6 in this narrow mass band",
    "hs6_origin_value": "HS6 from this origin in this value band",
    "hs6_departure_mass": "HS6 from this departure country in this mass band",
    "lot": "identical lot (HS6, origin, mass, value)",
}
_PLAIN = {
    "uv_dev_hs6": "unit value vs past HS6 median (log ratio)",
    "uv_dev_hs6_origin": "unit value vs past HS6-origin median (log ratio)",
    "log_unit_value": "unit value (log)", "log_value": "declared value (log)",
    "log_net_mass": "net mass (log)", "tax_rate": "tax rate", "day_of_week": "day of week",
    "month": "month",
}


def describe(feature: str) -> str:
    """Words for a feature name, for an officer reading a decision."""
    if feature in _PLAIN:
        return _PLAIN[feature]
    for suffix, words in (("_rate", "past irregularity rate of the {}"),
                          ("_n", "past declarations of the {}")):
        if feature.endswith(suffix):
            entity = feature[: -len(suffix)]
            return words.format(_ENTITY_WORDS.get(entity, entity.replace("_", " ")))
    return feature.replace("_", " ")
