"""The pieces of the replay: weekly capacity, random draws, top-k, the estimate, the rules."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from clearway.balance.model import sample_estimate, unseen_estimate
from clearway.balance.rules import learn_value_rule, risk_fields
from clearway.balance.stream import Records, capacities, prepare, random_draws, top_k
from unit.balance.synthetic import START, stream


@pytest.mark.parametrize(("sizes", "rate", "expected"), [
    ([100, 100, 100], 5.0, [5, 5, 5]),
    ([30, 30, 30, 30], 5.0, [2, 1, 2, 1]),  # 1.5 a week: the running total keeps 6
    ([10, 10, 10], 1.0, [0, 0, 0]),
    ([700, 10], 100.0, [700, 10]),
    ([3], 50.0, [2]),
])
def test_capacities(sizes: list[int], rate: float, expected: list[int]) -> None:
    assert capacities(sizes, rate) == expected


def test_random_draws_are_uniform_and_capped() -> None:
    rng = np.random.default_rng(1)
    counts = np.zeros(50)
    for _ in range(4000):
        counts[random_draws(rng, 50, 0.1, 50)] += 1
    assert counts.min() > 300 and counts.max() < 500  # each item about 400 times
    assert len(random_draws(rng, 1000, 0.5, 7)) == 7


@pytest.mark.parametrize(("score", "k", "exclude", "expected"), [
    ([0.1, 0.9, 0.5, 0.7], 2, None, [1, 3]),
    ([0.1, 0.9, 0.5, 0.7], 2, [1], [2, 3]),
    ([0.1, 0.9, 0.5, 0.7], 0, None, []),
    ([0.3, 0.3, 0.3], 3, None, [0, 1, 2]),
])
def test_top_k(score: list[float], k: int, exclude: list[int] | None,
               expected: list[int]) -> None:
    chosen = top_k(np.array(score), k, np.random.default_rng(0),
                   None if exclude is None else np.array(exclude))
    assert chosen.tolist() == expected


@pytest.mark.parametrize(("found", "sample", "rate", "low", "high"), [
    (38, 168, 0.22619, 0.169461, 0.295162),  # the KCS 5 % run (docs/balance.md)
    (0, 20, 0.0, 0.0, 0.161125),
    (0, 0, None, None, None),
])
def test_sample_estimate(found: int, sample: int, rate: float | None, low: float | None,
                         high: float | None) -> None:
    estimate = sample_estimate(found, sample)
    assert estimate.as_dict() == {"rate": rate, "low": low, "high": high,
                                  "random_inspections": sample, "irregular_found": found}


def test_unseen_estimate_maps_the_interval() -> None:
    overall = sample_estimate(20, 100)  # 20 %, 95 % 13.3 % to 28.9 %
    unseen = unseen_estimate(overall, items=1000, inspected=100, caught=60)
    assert unseen.rate == pytest.approx((200 - 60) / 900)
    assert unseen.low is not None and overall.low is not None
    assert unseen.low == pytest.approx(max(0.0, (1000 * overall.low - 60) / 900))
    assert unseen_estimate(overall, items=100, inspected=100, caught=20).rate is None


def test_prepare_skips_empty_weeks_and_keeps_history() -> None:
    frame = stream(400, weeks=6, seed=3).filter(
        (pl.col("date") < START + timedelta(days=28)) | (pl.col("date") >= START + timedelta(
            days=35)))
    s = prepare(frame, START + timedelta(days=14), 10.0)
    assert len(s.weeks) == 3  # the third week (days 28 to 34) had nothing
    assert [w.first_day for w in s.weeks] == [(START + timedelta(days=d)).isoformat()
                                              for d in (14, 21, 35)]
    assert s.history["date"].max() < START + timedelta(days=14)
    assert sum(w.items for w in s.weeks) == s.items.height
    assert s.critical is not None and s.trader is not None


def test_the_learnt_rule_finds_the_planted_column() -> None:
    history = stream(2000, weeks=4, seed=2)
    rule = learn_value_rule(history, 10.0, [])
    assert rule.column in ("importer_id", "hs6")  # the two planted columns
    assert rule.score(history).max() > 2 * rule.prior  # its worst values stand out


def test_risk_fields_of_canonical_rows() -> None:
    rows = pl.DataFrame({"declaration_id": ["A"], "date": [date(2024, 1, 2)],
                         "commodity_code": ["8471.30"], "departure_country": ["CN"],
                         "office_id": ["RS001"], "value": [100.0], "net_mass": [4.0],
                         "importer_id": ["IMP"]})
    fields = risk_fields(rows).row(0, named=True)
    assert fields | {"_decl": 0} == {
        "_decl": 0, "_key": "A", "item": 1, "declaration_type": "IM",
        "declaration_date": date(2024, 1, 2), "office": "RS001", "dispatch_country": "CN",
        "importer_id": "IMP", "commodity_code": "8471.30", "value": 100.0, "net_mass": 4.0,
        "hs6": "847130", "hs4": "8471", "hs2": "84", "unit_value": 25.0, "trader_id": "IMP"}


def test_records_know_clean_traders_from_history_and_own_inspections() -> None:
    start = date(2024, 1, 8)
    frame = pl.DataFrame({
        "date": [date(2024, 1, 1)] * 3 + [start] * 4,
        "importer_id": ["A", "B", "B", "A", "B", "C", "C"],
        "label_irregular": [0, 0, 1, 0, 0, 1, 0],
    }).with_columns(pl.col("label_irregular").cast(pl.Int8))
    s = prepare(frame, start, 100.0)
    records = Records(s)
    assert s.trader is not None
    a, b, c = (int(s.trader[i]) for i in (0, 1, 2))
    # A: one regular control (clean); B: one irregular (not); C: never controlled (no record)
    assert [records.clean(np.array([t])) for t in (a, b, c)] == [1, 0, 0]
    records.learn(np.array([c]), np.array([0]))
    assert records.clean(np.array([c, c, a])) == 3
    records.learn(np.array([a]), np.array([1]))
    assert records.clean(np.array([a])) == 0
