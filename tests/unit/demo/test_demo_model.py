"""The demo's hidden rule is learnable from what the risk model sees: declarations from the
generator, outcomes from the hidden rule for the share of them that officers control, the
label store's columns only (no outcome, nothing derived from it), the features and the
holdout of `clearway model train-store`. A model trained that way ranks the holdout's
outcomes well (ROC-AUC >= 0.75); shuffled outcomes teach it nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl
import pytest

from clearway.demo.generator import DeclarationGenerator
from clearway.demo.history import ROUNDS
from clearway.demo.outcomes import control_outcome
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.frame import flatten
from clearway.risk.learning.evaluation import holdout_metrics
from clearway.risk.learning.scoring import canonical_rows
from clearway.risk.learning.training import STORE_COLUMNS, store_mapping

REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
END = date(2026, 11, 20)
TRADERS = ["RS100234567", "RS101456782", "RS102678903", "RS103890124", "RS104012345"]
CONTROLLED = 0.45  # about the share the seeded history controls (red, yellow, blue, spot checks)


def store_rows(n: int, seed: int, days: int = 60) -> pl.DataFrame:
    """What the label store would hold after `n` demo declarations over `days` days."""
    rng = random.Random(seed)
    gen = DeclarationGenerator(REF, rng, END)
    docs, dates, labels = [], [], []
    for i in range(n):
        gen.today = END - timedelta(days=days) + timedelta(days=i * days // n)
        doc = gen.declaration(f"L{i}", declarant=rng.choice(TRADERS))
        outcome, _ = control_outcome(doc, REF, rng)
        docs.append(doc)
        dates.append(gen.today)
        labels.append(int(outcome == "irregular") if rng.random() < CONTROLLED else None)
    items = flatten(docs, dates, REF, keys=[f"L{i}" for i in range(n)])
    rows = canonical_rows(items)
    assert set(rows.columns) == {*STORE_COLUMNS}  # nothing the hidden rule computed
    return rows.with_columns(
        pl.Series("label_irregular", labels, dtype=pl.Int8).gather(items["_decl"].to_numpy()))


def auc(rows: pl.DataFrame, seed: int) -> float:
    return holdout_metrics(rows, store_mapping(rows), seed=seed, rounds=ROUNDS)["roc_auc"]


@pytest.fixture(scope="module")
def rows() -> pl.DataFrame:
    return store_rows(1500, seed=2026)


def test_a_model_learns_the_hidden_rule_from_the_demo_history(rows: pl.DataFrame) -> None:
    labelled = rows.filter(pl.col("label_irregular").is_not_null())
    assert 0.15 < labelled["label_irregular"].mean() < 0.5  # type: ignore[operator]
    assert auc(rows, 2026) >= 0.75


def test_shuffled_outcomes_teach_the_model_nothing(rows: pl.DataFrame) -> None:
    shuffled = rows["label_irregular"].shuffle(seed=1)
    assert auc(rows.with_columns(shuffled), 2026) < 0.65
