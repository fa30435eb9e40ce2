"""Scoring live declarations with the learned model: item frame in, probabilities out.

`canonical_rows` maps the engine's item frame (see `fields`) onto the model's canonical
columns; `HistorySnapshot` (see `snapshot`) turns them into the history features without
grouping the history again; `ModelScorer` predicts per item row and aggregates per declaration:
probability = the maximum over its items (the declaration is as risky as its riskiest item; a
noisy-OR would call every long declaration risky, since items of one filing are not
independent), expected revenue = the sum over its items (expectations add up whatever the
dependence). Contributions (LightGBM `pred_contrib`) cost a tree walk per row: they are computed
only on request, for the riskiest item of the declarations asked for. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from clearway.risk.engine.decision import ModelReason
from clearway.risk.learning.model import RiskModel, describe
from clearway.risk.learning.registry import FeatureMismatchError
from clearway.risk.learning.snapshot import FeatureParts, HistorySnapshot

__all__ = ["ITEM_COLUMNS", "MODEL_DECLARATION_TYPES", "EngineScorer", "HistorySnapshot",
           "ItemScores", "ModelScorer", "canonical_rows"]

# Canonical column <- item frame column, and its type.
ITEM_COLUMNS: dict[str, tuple[str, pl.DataType]] = {
    "declaration_id": ("_key", pl.String()),
    "date": ("declaration_date", pl.Date()),
    "importer_id": ("importer_id", pl.String()),
    "declarant_id": ("declarant_id", pl.String()),
    "seller_id": ("seller_id", pl.String()),
    "office_id": ("office", pl.String()),
    "commodity_code": ("commodity_code", pl.String()),
    "origin_country": ("origin_country", pl.String()),
    "departure_country": ("dispatch_country", pl.String()),
    "transport_mode": ("transport_mode", pl.String()),
    "net_mass": ("net_mass", pl.Float64()),
    "value": ("value", pl.Float64()),
    "tax_rate": ("tax_rate", pl.Float64()),
}
# Goods declarations: the model's history and scores leave ENS (no values, masses or parties
# in the model's sense) and cancellation requests aside.
MODEL_DECLARATION_TYPES = ("IM", "EX", "CO")
SMALL_ROWS = 256  # up to this many rows, LightGBM predicts on one thread
CHUNK_ROWS = 32_768  # rows per prediction block (a 17 MB buffer with 64 features)


def canonical_rows(item_frame: pl.DataFrame) -> pl.DataFrame:
    """The model's canonical columns (see `ITEM_COLUMNS`), one row per item row, same order."""
    missing = sorted({src for src, _ in ITEM_COLUMNS.values()} - set(item_frame.columns))
    if missing:
        raise ValueError(f"item frame lacks the columns the model reads: {missing}")
    return item_frame.select([pl.col(src).cast(dtype).alias(canon)
                              for canon, (src, dtype) in ITEM_COLUMNS.items()])


class ModelScorer:
    """A model and the history snapshot its features come from (they must agree)."""

    def __init__(self, model: RiskModel, snapshot: HistorySnapshot,
                 version: str | None = None) -> None:
        if list(model.features) != list(snapshot.feature_names):
            stored, built = list(model.features), list(snapshot.feature_names)
            raise FeatureMismatchError(
                "the model was trained on other features than the snapshot produces "
                f"(not produced: {[f for f in stored if f not in built]}; "
                f"new: {[f for f in built if f not in stored]}); rebuild or retrain")
        if model.prior != snapshot.prior:
            raise FeatureMismatchError(f"the snapshot shrinks rates towards {snapshot.prior}, "
                                       f"the model was trained with {model.prior}")
        self.model, self.snapshot = model, snapshot
        # The row's own features as RiskModel.matrix encodes them (expressions built once).
        self._own_columns = [
            pl.col(f).cast(pl.String).replace_strict(
                {v: float(i) for i, v in enumerate(model.categories[f])}, default=None,
                return_dtype=pl.Float64) if f in model.categories
            else pl.col(f).cast(pl.Float64)
            for f in model.features[len(snapshot.history_names):]]
        info_version = model.info.get("version")
        self.version = version if version is not None else \
            (str(info_version) if info_version is not None else None)

    def features(self, item_frame: pl.DataFrame) -> pl.DataFrame:
        return self.snapshot.features(canonical_rows(item_frame))

    def matrix(self, parts: FeatureParts) -> np.ndarray:
        """`RiskModel.matrix(parts.frame())` without building the frame: the model's features
        are the snapshot's, history ones first (checked in __init__)."""
        matrix = np.empty((parts.plain.height, len(self.model.features)))
        parts.fill(matrix, 0, parts.plain.height)
        matrix[:, len(parts.history_names):] = self._own(parts)
        return matrix

    def _own(self, parts: FeatureParts) -> np.ndarray:
        return parts.plain.select(self._own_columns).to_numpy()

    def score(self, item_frame: pl.DataFrame, *, explain_top: int = 3) -> ItemScores:
        """P(irregular) and expected revenue of every item row (explanations on request).

        The model's matrix is assembled and predicted CHUNK_ROWS rows at a time in one reused
        buffer: a matrix of a million rows would cost more in fresh memory than in trees."""
        parts = self.snapshot.parts(canonical_rows(item_frame))
        n, history = parts.plain.height, len(parts.history_names)
        own = self._own(parts)
        # One declaration: waking OpenMP threads costs more than the trees (and the results
        # do not depend on the thread count).
        threads: dict[str, Any] = {"num_threads": 1} if n <= SMALL_ROWS else {}
        boosters = [b for b in (self.model.booster, self.model.revenue_booster) if b is not None]
        predicted = [np.empty(n) for _ in boosters]
        block = np.empty((min(n, CHUNK_ROWS), len(self.model.features)))
        for start in range(0, n, CHUNK_ROWS):
            stop = min(n, start + CHUNK_ROWS)
            parts.fill(block, start, stop)
            block[:stop - start, history:] = own[start:stop]
            for booster, out in zip(boosters, predicted, strict=True):
                out[start:stop] = booster.predict(block[:stop - start], **threads)
        revenue = predicted[1] if len(predicted) > 1 else None
        return ItemScores(item_frame, self, parts, predicted[0], revenue, explain_top)

    def explain(self, item_frame: pl.DataFrame, rows: Sequence[int], *,
                top: int = 3) -> list[tuple[ModelReason, ...]]:
        """The `top` contributions of each of these rows of the item frame, largest first:
        `RiskModel.explain` (same order, values and log-odds) on the fast matrix."""
        if not len(rows):
            return []
        return self.explain_parts(self.snapshot.parts(canonical_rows(item_frame[list(rows)])),
                                  top=top)

    def explain_parts(self, parts: FeatureParts, *, top: int = 3
                      ) -> list[tuple[ModelReason, ...]]:
        """`explain` of rows whose features are already computed."""
        matrix = self.matrix(parts)
        threads: dict[str, Any] = {"num_threads": 1} if len(matrix) <= SMALL_ROWS else {}
        shares = np.asarray(self.model.booster.predict(matrix, pred_contrib=True, **threads))
        names = self.model.features
        raw = {f: parts.plain[f].to_list() for f in self.model.categories}
        explained = []
        for r, row in enumerate(shares[:, :-1]):
            order = np.argsort(-np.abs(row), kind="stable")[:top]
            explained.append(tuple(
                ModelReason(names[i], describe(names[i]),
                            raw[names[i]][r] if names[i] in raw else _number(matrix[r, i]),
                            float(row[i])) for i in order))
        return explained


def _number(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


@dataclass(frozen=True)
class ItemScores:
    """Scores of an item frame, row by row (same order as the frame)."""

    items: pl.DataFrame = field(repr=False)
    scorer: ModelScorer = field(repr=False)
    parts: FeatureParts = field(repr=False)  # kept: explanations need no new lookups
    probability: np.ndarray
    expected_revenue: np.ndarray | None
    explain_top: int = 3

    def per_declaration(self) -> pl.DataFrame:
        """One row per `_decl` (ascending): `_key`, `probability` (max over items),
        `expected_revenue` (sum; null without a revenue model), `riskiest_row` (row of the item
        frame with the highest probability, the first one on ties) and its `item` number."""
        decl = self.items["_decl"].to_numpy()
        ids, first, dense = np.unique(decl, return_index=True, return_inverse=True)
        top = np.full(len(ids), -np.inf)
        np.maximum.at(top, dense, self.probability)
        is_top = self.probability == top[dense]
        _, where = np.unique(dense[is_top], return_index=True)
        riskiest = np.flatnonzero(is_top)[where]
        # bincount adds in row order, so a declaration's sum is the same alone or in a batch
        revenue = None if self.expected_revenue is None else \
            np.bincount(dense, weights=self.expected_revenue, minlength=len(ids))
        item = self.items["item"].gather(riskiest) if "item" in self.items.columns else None
        return pl.DataFrame({
            "_decl": ids, "_key": self.items["_key"].gather(first),
            "probability": top,
            "expected_revenue": pl.Series(revenue, dtype=pl.Float64) if revenue is not None
            else pl.Series([None] * len(ids), dtype=pl.Float64),
            "riskiest_row": riskiest.astype(np.int64),
            "item": item if item is not None else pl.Series([None] * len(ids), dtype=pl.Int64),
        })

    def reasons(self, decls: Iterable[int], *,
                top: int | None = None) -> dict[int, tuple[ModelReason, ...]]:
        """Contributions of the riskiest item of each of these declarations (by `_decl`)."""
        wanted = set(decls)
        table = self.per_declaration().filter(pl.col("_decl").is_in(list(wanted)))
        rows = table["riskiest_row"].to_numpy()
        found = self.scorer.explain_parts(self.parts.subset(rows), top=top or self.explain_top) \
            if len(rows) else []
        return dict(zip(table["_decl"].to_list(), found, strict=True))


class EngineScorer:
    """The model as `engine.Scorer`: per declaration of a frame, P(irregular) and expected
    revenue, None for declaration types the model does not score. The last scores are kept
    (with their frame) so that `reasons` on the same frame does not score it again."""

    def __init__(self, scorer: ModelScorer,
                 declaration_types: Sequence[str] = MODEL_DECLARATION_TYPES) -> None:
        self.scorer = scorer
        self.version = scorer.version
        self.declaration_types = list(declaration_types)
        self._last: tuple[pl.DataFrame, ItemScores] | None = None

    def _scores(self, frame: pl.DataFrame) -> ItemScores:
        last = self._last  # one read: another thread may replace it meanwhile
        if last is not None and last[0] is frame:
            return last[1]
        rows = frame.filter(pl.col("declaration_type").is_in(self.declaration_types))
        scores = self.scorer.score(rows)
        self._last = (frame, scores)
        return scores

    def score(self, frame: pl.DataFrame) -> tuple[list[float | None], list[float | None]]:
        n = int(frame["_decl"].to_numpy().max()) + 1 if frame.height else 0
        probs: list[float | None] = [None] * n
        revenue: list[float | None] = [None] * n
        table = self._scores(frame).per_declaration()
        for decl, p, r in table.select("_decl", "probability", "expected_revenue").iter_rows():
            probs[decl], revenue[decl] = p, r
        return probs, revenue

    def reasons(self, frame: pl.DataFrame, decls: Sequence[int],
                top: int) -> dict[int, tuple[ModelReason, ...]]:
        return self._scores(frame).reasons(decls, top=top)

