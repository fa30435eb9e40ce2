"""As-of features: no row ever sees its own label, same-day labels, or anything later."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from clearway.risk.learning.evaluation import synthetic_declarations
from clearway.risk.learning.features import FeatureConfig, build_features, feature_names

D1, D2, D3 = date(2024, 3, 1), date(2024, 3, 2), date(2024, 3, 3)
M = 2.0  # smoothing used in the hand-computed tables
CFG = FeatureConfig(smoothing=M)


def rows(*specs: tuple[str, date, str, int | None, float]) -> pl.DataFrame:
    """(id, date, importer, label, value) rows of one HS6 from one origin, mass 10 kg."""
    return pl.DataFrame(
        {"declaration_id": [s[0] for s in specs], "date": [s[1] for s in specs],
         "importer_id": [s[2] for s in specs], "commodity_code": ["610910"] * len(specs),
         "origin_country": ["CN"] * len(specs), "net_mass": [10.0] * len(specs),
         "value": [s[4] for s in specs], "label_irregular": [s[3] for s in specs]},
        schema_overrides={"label_irregular": pl.Int8})


FRAME = rows(("a", D1, "I1", 1, 100.0), ("b", D1, "I1", 1, 100.0), ("c", D2, "I1", 0, 100.0),
             ("d", D2, "I2", 1, 100.0), ("e", D3, "I1", 1, 400.0))


def by_id(features: pl.DataFrame, column: str) -> dict[str, float | None]:
    return dict(zip(features["declaration_id"], features[column], strict=True))


# (row, column, expected): prior p = 4/5 (mean of the frame's labels), rate = (s + M p)/(n + M).
P = 4 / 5
TABLE = [
    ("a", "importer_n", 0.0),  # the first day sees nothing, not even its same-day twin
    ("b", "importer_n", 0.0),
    ("a", "importer_rate", P),
    ("c", "importer_n", 2.0),  # a and b, from the day before
    ("c", "importer_rate", (2 + M * P) / (2 + M)),
    ("d", "importer_n", 0.0),  # another importer
    ("d", "hs6_n", 2.0),
    ("e", "importer_n", 3.0),  # a, b, c; c's label 0 counts, d is another importer
    ("e", "importer_rate", (2 + M * P) / (3 + M)),
    ("e", "hs6_rate", (3 + M * P) / (4 + M)),
    ("a", "uv_dev_hs6", None),  # no earlier unit value
    ("e", "uv_dev_hs6", pytest.approx(1.3862943611198906)),  # log(40 / 10)
]


@pytest.mark.parametrize(("row", "column", "expected"), TABLE)
def test_hand_computed_history_features(row: str, column: str, expected: float | None) -> None:
    features = build_features(FRAME, config=CFG)
    assert by_id(features, column)[row] == expected


def test_own_and_same_day_labels_never_change_a_rows_features() -> None:
    base = build_features(FRAME, config=CFG, prior=0.5)
    for flipped in ("a", "b", "c", "d", "e"):
        changed = FRAME.with_columns(
            pl.when(pl.col("declaration_id") == flipped).then(1 - pl.col("label_irregular"))
            .otherwise(pl.col("label_irregular")).alias("label_irregular"))
        other = build_features(changed, config=CFG, prior=0.5)
        day = FRAME.filter(pl.col("declaration_id") == flipped)["date"][0]
        same_or_earlier = pl.col("date") <= day
        names = feature_names(base)
        assert_frame_equal(base.filter(same_or_earlier).select(names),
                           other.filter(same_or_earlier).select(names))


def test_features_of_a_day_do_not_depend_on_later_rows() -> None:
    frame = synthetic_declarations(400, seed=3, days=20)
    full = build_features(frame, prior=0.3)
    cut = date(2024, 1, 10)
    prefix = build_features(frame.filter(pl.col("date") <= cut), prior=0.3)
    assert_frame_equal(full.filter(pl.col("date") <= cut), prefix)


def test_later_history_rows_are_ignored() -> None:
    test = rows(("t", D2, "I1", None, 100.0))
    history = rows(("h1", D1, "I1", 1, 100.0), ("h2", D2, "I1", 1, 100.0),
                   ("h3", D3, "I1", 1, 100.0))
    features = build_features(test, history, prior=0.5, config=CFG)
    assert by_id(features, "importer_n")["t"] == 1.0
    assert by_id(features, "importer_rate")["t"] == (1 + M * 0.5) / (1 + M)


def test_frame_labels_off_counts_earlier_test_rows_without_their_labels() -> None:
    history = rows(("h", D1, "I1", 1, 100.0))
    test = rows(("t1", D2, "I1", 1, 100.0), ("t2", D3, "I1", 1, 100.0))
    hidden = build_features(test, history, frame_labels=False, prior=0.5, config=CFG)
    assert by_id(hidden, "importer_n") == {"t1": 1.0, "t2": 2.0}
    assert by_id(hidden, "importer_rate")["t2"] == (1 + M * 0.5) / (1 + M)  # history only
    online = build_features(test, history, frame_labels=True, prior=0.5, config=CFG)
    assert by_id(online, "importer_rate")["t2"] == (2 + M * 0.5) / (2 + M)  # t1 revealed


def test_output_keeps_input_order_and_shape() -> None:
    frame = synthetic_declarations(300, seed=1).sample(fraction=1.0, shuffle=True, seed=1)
    features = build_features(frame)
    assert features.height == frame.height
    assert features["declaration_id"].to_list() == frame["declaration_id"].to_list()
    assert "label_irregular" not in feature_names(features)
    assert {"importer_rate", "hs6_origin_n", "lot_rate", "log_value"} <= set(features.columns)


def test_config_round_trip() -> None:
    config = FeatureConfig(smoothing=3.0, entities=("importer", "hs6"))
    assert FeatureConfig.from_dict(config.to_dict()) == config
