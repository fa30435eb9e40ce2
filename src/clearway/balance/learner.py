"""Clearway's strategy in the replay: the learned risk model, retrained on what it learnt.

The model (`risk.learning.model.RiskModel`, the one Clearway promotes) starts from the history
before the start, every label known. Each week it scores the week's items with the as-of
history features of `risk.learning.features`, computed from the history and the earlier
weeks' items, whose labels it knows only where it inspected them (a control's result is known
after the control; the others count as declarations, not as outcomes). The features a week's
items got when they were scored are kept: once an item is inspected, its row (features as
they stood, and the revealed label) joins the training rows. Every `retrain_every` weeks the
model is trained again on the history and every inspection so far.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from clearway.risk.learning.evaluation import label_rate, mapped_features
from clearway.risk.learning.mapping import Mapping
from clearway.risk.learning.model import RiskModel

DEFAULT_RETRAIN_WEEKS = 4


@dataclass(frozen=True)
class LearnerSettings:
    retrain_every: int = DEFAULT_RETRAIN_WEEKS  # weeks between two trainings
    rounds: int | None = None  # fixed boosting rounds; None: early stopping (Clearway's)
    seed: int = 7
    params: dict[str, Any] = field(default_factory=dict)  # LightGBM overrides (lighter tests)


class Learner:
    """The model's side of Clearway's strategy; `stream_items` are the replay's items."""

    def __init__(self, history: pl.DataFrame, stream_items: pl.DataFrame, mapping: Mapping,
                 settings: LearnerSettings) -> None:
        self.mapping, self.settings = mapping, settings
        self.history = history.drop([c for c in ("label_critical",) if c in history.columns])
        self.columns = self.history.columns
        self.items = stream_items.select(self.columns)
        self.revealed = np.zeros(self.items.height, dtype=bool)
        self.prior = label_rate(self.history)
        self.base = mapped_features(self.history, None, mapping, prior=self.prior)
        self.learnt: list[pl.DataFrame] = []  # features of inspected items, with labels
        self.trainings = 0
        self.model = self._train()

    def _train(self) -> RiskModel:
        rows = pl.concat([self.base, *self.learnt], how="vertical_relaxed")
        self.trainings += 1
        return RiskModel.train(rows, seed=self.settings.seed,
                               num_boost_round=self.settings.rounds,
                               params=self.settings.params or None)

    def score(self, first: int, last: int) -> tuple[np.ndarray, pl.DataFrame]:
        """P(irregular) of items [first, last) (one week) and their features."""
        known = self.items.slice(0, first).with_columns(
            pl.when(pl.Series(self.revealed[:first])).then(pl.col("label_irregular"))
            .otherwise(None).alias("label_irregular"))
        history = pl.concat([self.history, known], how="vertical_relaxed")
        week = self.items.slice(first, last - first)
        features = mapped_features(week, history, self.mapping, frame_labels=False,
                                   prior=self.prior)
        return self.model.predict(features), features

    def learn(self, first: int, features: pl.DataFrame, chosen: np.ndarray) -> None:
        """The week's inspected items (positions in the week) reveal their labels."""
        self.revealed[first + chosen] = True
        self.learnt.append(features[chosen.tolist()])

    def week_done(self, week: int) -> None:
        """After week `week` (0-based): retrain when the cadence says so."""
        if (week + 1) % self.settings.retrain_every == 0:
            self.model = self._train()
