"""Live scoring: the snapshot gives build_features' numbers; batch and single score alike."""

from __future__ import annotations

from dataclasses import astuple, replace
from datetime import date, timedelta
from functools import cache

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from clearway.risk.learning import keys, scoring
from clearway.risk.learning import snapshot as snapshot_module
from clearway.risk.learning.evaluation import synthetic_declarations
from clearway.risk.learning.features import FeatureConfig, build_features
from clearway.risk.learning.model import RiskModel
from clearway.risk.learning.registry import FeatureMismatchError
from clearway.risk.learning.scoring import (
    EngineScorer,
    HistorySnapshot,
    ItemScores,
    ModelScorer,
    canonical_rows,
)

PRIOR = 0.3


def declarations(n: int = 3000, seed: int = 3) -> pl.DataFrame:
    """Synthetic rows with holes: unlabelled rows, missing origins, an extra category and
    number, repeated lots (the same mass and value) and non-positive values."""
    i = pl.int_range(pl.len())
    return synthetic_declarations(n, seed=seed, days=30).with_columns(
        pl.when(i % 7 == 0).then(None).otherwise(pl.col("label_irregular"))
        .alias("label_irregular"),
        pl.when(i % 11 == 0).then(None).otherwise(pl.col("origin_country"))
        .alias("origin_country"),
        pl.when(i % 13 == 0).then(pl.lit(0.0)).otherwise(pl.col("value")).alias("value"),
        pl.when(i % 5 == 0).then(pl.lit(12.5)).otherwise(pl.col("net_mass")).alias("net_mass"),
        pl.format("A{}", i % 3).alias("aeo"), (i % 4).cast(pl.Float64).alias("gross"))


def split(data: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """History = every earlier date, frame = the last date (labels dropped: not known yet)."""
    last = data["date"].max()
    return (data.filter(pl.col("date") < last),
            data.filter(pl.col("date") == last).drop("label_irregular"))


CASES = [  # (config, extra categorical, extra numeric)
    (FeatureConfig(), (), ()),
    (FeatureConfig(smoothing=2.0, calendar=False), ("aeo",), ("gross",)),
    (FeatureConfig(band=2.0, band_fine=32.0, extra_entities=False), ("aeo",), ()),
    (FeatureConfig(entities=("importer", "lot", "hs6_origin_value")), (), ("gross",)),
]


@pytest.mark.parametrize(("config", "cats", "nums"), CASES)
@pytest.mark.parametrize("method", ["join", "search"])
def test_snapshot_equals_build_features_on_a_later_date(
        config: FeatureConfig, cats: tuple[str, ...], nums: tuple[str, ...],
        method: snapshot_module.Method) -> None:
    data = declarations()
    if not cats:
        data = data.drop("aeo")
    if not nums:
        data = data.drop("gross")
    history, frame = split(data)
    expected = build_features(frame, history, frame_labels=False, prior=PRIOR, config=config,
                              extra_categorical=cats, extra_numeric=nums)
    snapshot = HistorySnapshot.build(history, config=config, prior=PRIOR,
                                     extra_categorical=cats, extra_numeric=nums)
    assert frame.height > 50 and expected["importer_n"].max() > 0  # type: ignore[operator]
    assert_frame_equal(snapshot.features(frame, method=method), expected, check_exact=True)
    assert list(snapshot.feature_names) == [c for c in expected.columns
                                            if c not in ("declaration_id", "date")]


@pytest.mark.parametrize(("limit", "direct"), [(1 << 62, 1 << 21), (1 << 12, 0), (1 << 20, 64)])
def test_large_key_spaces_give_the_same_features(monkeypatch: pytest.MonkeyPatch, limit: int,
                                                 direct: int) -> None:
    """Keys whose radix would overflow are ranked (prefixes); tables without a direct index
    are searched or joined: the numbers never change."""
    monkeypatch.setattr(keys, "_LIMIT", limit)
    monkeypatch.setattr(keys, "DIRECT_MAX", direct)
    history, frame = split(declarations(seed=8).drop("aeo", "gross"))
    expected = build_features(frame, history, frame_labels=False, prior=PRIOR)
    snapshot = HistorySnapshot.build(history, config=FeatureConfig(), prior=PRIOR)
    assert any(t.prefixes for t in snapshot.tables.values()) == (limit < 1 << 62)
    for method in ("join", "search"):
        assert_frame_equal(snapshot.features(frame, method=method), expected, check_exact=True)


def test_single_rows_equal_build_features_and_the_batch() -> None:
    history, frame = split(declarations(seed=4).drop("aeo", "gross"))
    snapshot = HistorySnapshot.build(history, config=FeatureConfig(), prior=PRIOR)
    batch = snapshot.features(frame, method="join")
    for i in range(0, frame.height, 9):
        one = frame[i:i + 1]
        alone = build_features(one, history, frame_labels=False, prior=PRIOR)
        assert_frame_equal(snapshot.features(one), alone, check_exact=True)
        assert_frame_equal(snapshot.features(one), batch[i:i + 1], check_exact=True)


def test_rows_of_a_batch_never_count_each_other() -> None:
    """Unlike build_features on a frame spanning days: a batch is many single declarations."""
    history, frame = split(declarations(seed=4).drop("aeo", "gross"))
    twice = pl.concat([frame, frame.with_columns(pl.col("date") + timedelta(days=1))])
    snapshot = HistorySnapshot.build(history, config=FeatureConfig(), prior=PRIOR)
    got = snapshot.features(twice).drop("date", "day_of_week", "month")
    first, second = got[:frame.height], got[frame.height:]
    assert_frame_equal(first, second, check_exact=True)
    spanning = build_features(twice, history, frame_labels=False, prior=PRIOR)
    assert (spanning["importer_n"][frame.height:] >= second["importer_n"]).all()
    assert not spanning["importer_n"][frame.height:].equals(second["importer_n"])


def test_unit_value_reference_is_the_median_of_all_history_rows() -> None:
    days = [date(2024, 3, d) for d in (1, 2, 3, 4)]
    history = pl.DataFrame({"declaration_id": list("abcd"), "date": days,
                            "commodity_code": ["610910"] * 4, "net_mass": [1.0] * 4,
                            "value": [1.0, 2.0, 4.0, 100.0], "label_irregular": [0, 1, 0, 1]})
    frame = history.head(1).with_columns(pl.lit(date(2024, 3, 9)).alias("date"),
                                         pl.lit(8.0).alias("value")).drop("label_irregular")
    got = HistorySnapshot.build(history, config=FeatureConfig(), prior=PRIOR).features(frame)
    median = (np.log(2.0) + np.log(4.0)) / 2
    assert got["uv_dev_hs6"][0] == pytest.approx(np.log(8.0) - median)
    assert got["hs6_n"][0] == 4.0
    assert got["hs6_rate"][0] == pytest.approx((2 + 20 * PRIOR) / (4 + 20))


def test_smoothing_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="smoothing"):
        HistorySnapshot.build(declarations(100), config=FeatureConfig(smoothing=0), prior=PRIOR)


# -- the item frame and the scorer -------------------------------------------------------------

ITEM_NAMES = {"declaration_id": "_key", "date": "declaration_date", "office_id": "office",
              "departure_country": "dispatch_country"}


def item_frame(rows: pl.DataFrame, per_declaration: int = 3) -> pl.DataFrame:
    """The engine's item frame for canonical rows: `per_declaration` rows = one declaration."""
    n = pl.int_range(pl.len(), dtype=pl.Int64)
    missing = [pl.lit(None, dtype=pl.String).alias(c) for c in
               ("seller_id", "departure_country", "transport_mode") if c not in rows.columns]
    return rows.with_columns(*missing).select(
        (n // per_declaration).alias("_decl"), (n % per_declaration + 1).alias("item"),
        pl.lit("IM").alias("declaration_type"),
        *[pl.col(c).alias(ITEM_NAMES.get(c, c)) for c in (
            "declaration_id", "date", "importer_id", "declarant_id", "seller_id", "office_id",
            "commodity_code", "origin_country", "departure_country", "transport_mode",
            "net_mass", "value", "tax_rate")])


@pytest.mark.parametrize(("canonical", "source"), [
    ("declaration_id", "_key"), ("date", "declaration_date"), ("office_id", "office"),
    ("departure_country", "dispatch_country"), ("importer_id", "importer_id"),
    ("commodity_code", "commodity_code"), ("net_mass", "net_mass"), ("tax_rate", "tax_rate")])
def test_canonical_rows_map_the_item_frame(canonical: str, source: str) -> None:
    items = item_frame(declarations(60).drop("aeo", "gross"))
    rows = canonical_rows(items)
    assert rows.columns[:2] == ["declaration_id", "date"] and rows.height == items.height
    assert rows[canonical].to_list() == items[source].to_list()


def test_canonical_rows_need_the_item_columns() -> None:
    with pytest.raises(ValueError, match="dispatch_country"):
        canonical_rows(item_frame(declarations(30).drop("aeo", "gross")).drop("dispatch_country"))


@cache
def scenario() -> tuple[ModelScorer, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """A model trained on canonical rows, its snapshot, and the next day's item frame."""
    data = declarations(4000, seed=6).drop("aeo", "gross").with_columns(
        [pl.lit(None, dtype=pl.String).alias(c)
         for c in ("seller_id", "departure_country", "transport_mode")])
    data = data.select("declaration_id", "date", *canonical_rows(item_frame(data)).columns[2:],
                       "label_irregular")
    data = data.with_columns((pl.col("label_irregular") * 10.0).alias("label_revenue"))
    history, frame = split(data)
    model = RiskModel.train(build_features(history), num_boost_round=25, min_category_count=5)
    snapshot = HistorySnapshot.build(history, config=FeatureConfig(), prior=model.prior)
    return ModelScorer(model, snapshot, "v0007"), history, frame.drop("label_revenue"), \
        item_frame(frame.drop("label_revenue"))


def test_scores_equal_the_model_on_build_features() -> None:
    scorer, history, frame, items = scenario()
    scores = scorer.score(items)
    expected = build_features(frame, history, frame_labels=False, prior=scorer.model.prior)
    assert np.array_equal(scores.probability, scorer.model.predict(expected))
    revenue = scorer.model.predict_revenue(expected)
    assert scores.expected_revenue is not None and revenue is not None
    assert np.array_equal(scores.expected_revenue, revenue)


def test_batch_and_single_declarations_score_alike() -> None:
    scorer, _, _, items = scenario()
    batch = scorer.score(items).per_declaration()
    for decl in range(0, batch.height, 5):
        one = items.filter(pl.col("_decl") == decl)
        alone = scorer.score(one).per_declaration()
        assert alone.drop("riskiest_row").row(0) == batch.drop("riskiest_row").row(decl)


def scores(decl: list[int], p: list[float], revenue: list[float] | None) -> ItemScores:
    """Scores of a made-up item frame (`_decl`, `_key`, `item`) with these probabilities."""
    items = pl.DataFrame({"_decl": decl, "_key": [f"K{d}" for d in decl],
                          "item": list(range(1, len(decl) + 1))})
    scorer, _, _, real = scenario()
    return replace(scorer.score(real.head(len(decl))), items=items, probability=np.array(p),
                   expected_revenue=None if revenue is None else np.array(revenue))


@pytest.mark.parametrize(("decl", "p", "revenue", "expected"), [
    # expected per declaration: (probability, expected revenue, riskiest row)
    ([0, 0, 1], [0.2, 0.7, 0.1], [1.0, 2.5, 4.0], [(0.7, 3.5, 1), (0.1, 4.0, 2)]),
    ([0, 0, 0], [0.4, 0.4, 0.3], [1.0, 1.0, 1.0], [(0.4, 3.0, 0)]),  # tie: the first item
    ([3, 3, 5], [0.9, 0.1, 0.5], None, [(0.9, None, 0), (0.5, None, 2)]),
])
def test_per_declaration_takes_the_riskiest_item_and_sums_revenue(
        decl: list[int], p: list[float], revenue: list[float] | None,
        expected: list[tuple[float, float | None, int]]) -> None:
    table = scores(decl, p, revenue).per_declaration()
    assert table["_decl"].to_list() == sorted(set(decl))
    got = list(zip(table["probability"], table["expected_revenue"], table["riskiest_row"],
                   strict=True))
    assert got == [(pt, pytest.approx(r) if r is not None else None, row)
                   for pt, r, row in expected]
    assert table["item"].to_list() == [row + 1 for _, _, row in expected]


def test_reasons_explain_the_riskiest_item_only() -> None:
    scorer, _, _, items = scenario()
    scores = scorer.score(items, explain_top=2)
    table = scores.per_declaration()
    decl = int(table.sort("probability", descending=True)["_decl"][0])
    reasons = scores.reasons([decl])
    assert list(reasons) == [decl] and len(reasons[decl]) == 2
    row = int(table.filter(pl.col("_decl") == decl)["riskiest_row"][0])
    expected = scorer.model.explain(scorer.features(items[row:row + 1]), top=2)[0]
    assert [astuple(r) for r in reasons[decl]] == [astuple(c) for c in expected]


@pytest.mark.parametrize("top", [1, 4, 100])
def test_explanations_are_the_models_own(top: int) -> None:
    """Same features, words, values (raw categories included) and log-odds, in order."""
    scorer, _, _, items = scenario()
    rows = list(range(0, items.height, 17))
    expected = scorer.model.explain(scorer.features(items[rows]), top=top)
    got = scorer.explain(items, rows, top=top)
    assert [[astuple(r) for r in row] for row in got] == \
        [[astuple(c) for c in row] for row in expected]
    if top == 100:  # every feature, the raw categories among them
        assert any(isinstance(r.value, str) for row in got for r in row)


def test_a_model_with_other_features_or_prior_is_refused() -> None:
    scorer, history, _, _ = scenario()
    other = HistorySnapshot.build(history, config=FeatureConfig(calendar=False),
                                  prior=scorer.model.prior)
    with pytest.raises(FeatureMismatchError, match="day_of_week"):
        ModelScorer(scorer.model, other)
    shifted = HistorySnapshot.build(history, config=FeatureConfig(), prior=0.5)
    with pytest.raises(FeatureMismatchError, match=r"0\.5"):
        ModelScorer(scorer.model, shifted)
    assert ModelScorer(scorer.model, scorer.snapshot).version is None
    assert scorer.version == "v0007"


def test_engine_scorer_answers_per_declaration_and_skips_entry_summaries() -> None:
    scorer, _, _, items = scenario()
    items = items.with_columns(pl.when(pl.col("_decl") == 1).then(pl.lit("ENS"))
                               .otherwise(pl.col("declaration_type")).alias("declaration_type"))
    engine = EngineScorer(scorer)
    probs, revenue = engine.score(items)
    table = scorer.score(items.filter(pl.col("_decl") != 1)).per_declaration()
    assert len(probs) == len(revenue) == int(items["_decl"].max()) + 1  # type: ignore[arg-type]
    assert probs[1] is None and revenue[1] is None
    assert [probs[d] for d in table["_decl"]] == table["probability"].to_list()
    assert [revenue[d] for d in table["_decl"]] == table["expected_revenue"].to_list()
    top = int(table.sort("probability", descending=True)["_decl"][0])
    reasons = engine.reasons(items, [top, 1], 2)
    assert list(reasons) == [top] and len(reasons[top]) == 2
    assert engine.reasons(items.clone(), [top], 2) == reasons  # another frame: scored again
    assert engine.version == "v0007"


def test_an_empty_frame_scores_nothing() -> None:
    scorer, _, _, items = scenario()
    scores = scorer.score(items.head(0))
    assert len(scores.probability) == 0 and scores.per_declaration().height == 0
    assert EngineScorer(scorer).score(items.head(0)) == ([], [])
    only_ens = items.filter(pl.col("_decl") == 0).with_columns(pl.lit("ENS")
                                                               .alias("declaration_type"))
    assert EngineScorer(scorer).score(only_ens) == ([None], [None])


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_prediction_blocks_do_not_change_the_scores(monkeypatch: pytest.MonkeyPatch,
                                                    chunk: int) -> None:
    scorer, _, _, items = scenario()
    whole = scorer.model.booster.predict(scorer.matrix(scorer.snapshot.parts(
        canonical_rows(items))))
    monkeypatch.setattr(scoring, "CHUNK_ROWS", chunk)
    assert np.array_equal(scorer.score(items).probability, whole)
