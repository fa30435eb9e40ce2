"""Model: deterministic, explained; registry: versions, promotion, refusals."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from clearway.risk.learning.evaluation import synthetic_declarations
from clearway.risk.learning.features import build_features, feature_names
from clearway.risk.learning.model import RiskModel, describe
from clearway.risk.learning.registry import (
    FeatureMismatchError,
    IntegrityError,
    ModelNotFoundError,
    ModelRegistry,
)

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


@cache
def features() -> pl.DataFrame:
    frame = synthetic_declarations(800, seed=5, revenue=True)
    return build_features(frame, extra_categorical=())


@cache
def trained() -> RiskModel:
    return RiskModel.train(features(), num_boost_round=30, min_category_count=5)


def save(registry: ModelRegistry) -> str:
    return registry.save(trained(), created_at=NOW, train_from=date(2024, 1, 1),
                         train_to=date(2024, 2, 29), metrics={"roc_auc": 0.9}).version


def test_training_is_deterministic_and_predicts_probabilities() -> None:
    again = RiskModel.train(features(), num_boost_round=30, min_category_count=5)
    p = trained().predict(features())
    assert np.array_equal(p, again.predict(features()))
    assert ((p > 0) & (p < 1)).all()
    revenue = trained().predict_revenue(features())
    assert revenue is not None and revenue.shape == p.shape


def test_explanations_sum_to_the_score_and_read_as_words() -> None:
    model, rows = trained(), features().head(3)
    explained = model.explain(rows, top=len(model.features))
    raw = model.booster.predict(model.matrix(rows), raw_score=True)
    bias = model.booster.predict(model.matrix(rows), pred_contrib=True)[:, -1]
    for contributions, score, b in zip(explained, raw, bias, strict=True):
        assert sum(c.contribution for c in contributions) + b == pytest.approx(score)
    top = model.explain(rows, top=3)[0]
    assert len(top) == 3
    assert abs(top[0].contribution) >= abs(top[1].contribution) >= abs(top[2].contribution)
    assert describe("importer_rate") == "past irregularity rate of the importer"
    assert describe("hs6_origin_n") == "past declarations of the HS6 from this origin"


def test_save_load_and_promote(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "models")
    first, second = save(registry), save(registry)
    assert (first, second) == ("v0001", "v0002")
    with pytest.raises(ModelNotFoundError):
        registry.load(expected_features=trained().features)
    registry.promote(first)
    assert registry.active_version() == first
    assert [r.active for r in registry.records()] == [True, False]
    loaded = registry.load(expected_features=feature_names(features()))
    assert np.array_equal(loaded.predict(features()), trained().predict(features()))
    meta = json.loads((tmp_path / "models" / first / "metadata.json").read_text())
    assert meta["training_window"] == {"from": "2024-01-01", "to": "2024-02-29"}
    assert meta["features"] == trained().features and len(meta["sha256"]) == 64
    assert meta["metrics"] == {"roc_auc": 0.9} and "revenue_sha256" in meta


def test_load_refuses_other_features(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    version = save(registry)
    names = trained().features
    for changed in (names[:-1], [*names, "new_feature"], list(reversed(names))):
        with pytest.raises(FeatureMismatchError):
            registry.load(version, expected_features=changed)


def test_load_and_promote_refuse_a_changed_model_file(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    version = save(registry)
    path = tmp_path / version / "model.txt"
    path.write_text(path.read_text().replace("shrinkage=", "shrinkage=1", 1))
    with pytest.raises(IntegrityError):
        registry.load(version, expected_features=trained().features)
    with pytest.raises(IntegrityError):
        registry.promote(version)
    with pytest.raises(ModelNotFoundError):
        registry.promote("v0099")
