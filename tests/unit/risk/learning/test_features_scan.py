"""The streaming path (Parquet part files read lazily) gives the in-memory path's figures:
features row for row, trader records trader for trader, and a model that trains on a
weighted sample when the outcomes exceed the bound."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from clearway.clock import FixedClock
from clearway.risk.learning.evaluation import label_rate, synthetic_declarations
from clearway.risk.learning.features import build_features
from clearway.risk.learning.features_scan import scan_features
from clearway.risk.learning.history_files import scan, write_parts
from clearway.risk.learning.registry import ModelRegistry
from clearway.risk.learning.training import TrainingError, _sample, train_on_history
from clearway.risk.trader_summary import records_from


def history(n: int = 3000, unlabelled_every: int = 3) -> pl.DataFrame:
    """Synthetic canonical rows over 60 days; every `unlabelled_every`-th row never
    controlled (history that counts but does not train)."""
    rows = synthetic_declarations(n, seed=3, revenue=True)
    return rows.with_columns(
        pl.when(pl.int_range(pl.len()) % unlabelled_every == 0).then(None)
        .otherwise(pl.col("label_irregular")).alias("label_irregular"))


def parts(rows: pl.DataFrame, folder: Path, size: int) -> pl.LazyFrame:
    write_parts(rows.iter_slices(size), folder, part_rows=size)
    return scan(folder)


LABELLED = pl.col("label_irregular").is_not_null()
DRAWN = LABELLED & (pl.col("importer_id").str.ends_with("7") | (pl.col("label_irregular") == 1))


@pytest.mark.parametrize(("part_size", "slice_rows", "part_rows", "chosen"), [
    (1000, 1_000_000, 2_000_000, LABELLED),  # three part files, one slice, one partition
    (700, 400, 500, LABELLED),  # five part files, eight time slices, six partitions
    (3000, 1, 1000, DRAWN),  # a sample of the labelled rows; a slice per day
])
def test_scanned_features_are_the_in_memory_ones(tmp_path: Path, part_size: int,
                                                 slice_rows: int, part_rows: int,
                                                 chosen: pl.Expr) -> None:
    rows = history()
    prior = label_rate(rows.filter(LABELLED))
    got = scan_features(parts(rows, tmp_path, part_size), chosen, prior=prior,
                        slice_rows=slice_rows, part_rows=part_rows)
    want = build_features(rows, prior=prior).filter(rows.select(chosen).to_series())
    assert got.height == rows.filter(chosen).height > 0
    assert_frame_equal(got, want)


def test_part_files_hold_every_row_in_order(tmp_path: Path) -> None:
    rows = history(2500)
    assert write_parts(rows.iter_slices(300), tmp_path, part_rows=1000) == 2500
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert_frame_equal(scan(tmp_path).collect(), rows)


AT = datetime(2026, 3, 1, 9, tzinfo=UTC)
# (trader, day of March, label: 1 irregular, 0 regular, None not controlled)
DECLARATIONS = [("A", 3, 1), ("A", 1, None), ("A", 2, 0), ("B", 5, None), ("B", 4, 0),
                (None, 1, 1), ("C", 9, 1)]
RECORDS = [  # trader, declarations, controls, irregular, first seen
    ("A", 3, 2, 1, date(2026, 3, 1)), ("B", 2, 1, 0, date(2026, 3, 4)),
    ("C", 1, 1, 1, date(2026, 3, 9))]


def test_trader_records_from_part_files(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {"trader": [t for t, _d, _l in DECLARATIONS],
         "at": [AT.replace(day=d) for _t, d, _l in DECLARATIONS],
         "irregular": [lab for _t, _d, lab in DECLARATIONS]},
        schema={"trader": pl.String, "at": pl.Datetime("us", "UTC"), "irregular": pl.Int32})
    got = records_from(parts(frame, tmp_path, 3))
    assert got.rows() == RECORDS


@pytest.mark.parametrize(("labels", "positives", "bound", "share"), [
    (20_000, 2_000, 30_000, 1.0),  # under the bound: every labelled row, unweighted
    (20_000, 2_000, 8_000, 1 / 3),  # 6,000 of 18,000 regular ones
    (20_000, 12_000, 8_000, 0.01),  # irregular alone exceed the bound: the floor share
])
def test_sample_keeps_every_irregular_row_and_weighs_the_regular_ones(
        labels: int, positives: int, bound: int, share: float) -> None:
    frame = pl.DataFrame({
        "declaration_id": [f"D{i // 2}" for i in range(labels + 10)],  # two items each
        "label_irregular": [1] * positives + [0] * (labels - positives) + [None] * 10},
        schema_overrides={"label_irregular": pl.Int8})
    chosen, weight = _sample(labels, positives, bound, seed=7)
    kept = frame.filter(chosen).with_columns(
        (weight if weight is not None else pl.lit(1.0)).alias("w"))
    regular = kept.filter(pl.col("label_irregular") == 0)
    assert kept.filter(pl.col("label_irregular") == 1).height == positives
    assert kept["label_irregular"].null_count() == 0
    assert regular.height / (labels - positives) == pytest.approx(share, abs=0.02)
    assert regular["w"].unique().to_list() == [pytest.approx(1 / share)]
    assert (weight is None) == (share == 1.0)


def ctx() -> Any:
    return SimpleNamespace(clock=FixedClock(datetime(2024, 3, 5, tzinfo=UTC)))


def test_training_on_a_bounded_sample_scores_and_keeps_the_rates(tmp_path: Path) -> None:
    rows = synthetic_declarations(6000, seed=5, days=90)
    lazy = parts(rows, tmp_path / "history", 2000)
    labels, positives = rows.height, int(rows["label_irregular"].sum())
    record = train_on_history(ctx(), lazy, tmp_path / "models", rounds=30, max_labels=3000)
    meta = record.metadata
    assert (meta["labels"], meta["rows"]) == (labels, rows.height)
    assert positives < meta["sample"]["rows"] < labels
    model = ModelRegistry(tmp_path / "models").load(record.version,
                                                    expected_features=record.features)
    assert model.prior == pytest.approx(positives / labels, rel=0.05)  # the weights undo the sample
    scores = model.predict(scan_features(lazy, LABELLED, prior=model.prior))
    assert len(scores) == labels and 0 < scores.min() < scores.max() < 1
    assert record.metrics["roc_auc"] is not None and record.metrics["roc_auc"] > 0.7


def test_training_needs_both_outcomes(tmp_path: Path) -> None:
    rows = synthetic_declarations(500, seed=5).with_columns(pl.lit(0, pl.Int8)
                                                            .alias("label_irregular"))
    with pytest.raises(TrainingError, match="500 control outcomes"):
        train_on_history(ctx(), rows.lazy(), tmp_path, min_labels=10)
