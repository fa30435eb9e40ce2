"""History snapshot: the history features of `features.build_features`, precomputed once.

`build_features` groups the whole history on every call: right for training and evaluation, far
too slow to decide one declaration in milliseconds. `HistorySnapshot.build(history, ...)` does
the grouping once: per key of every entity its past declarations, labelled ones and irregular
sum (kept as the `_n` feature and the smoothed rate), and per unit-value group the median log
unit value. `features(frame)` then only looks keys up.

For rows dated after every history row, `features` gives exactly the columns and values of
`build_features(frame, history, frame_labels=False, prior=prior, config=config, ...)` on a frame
whose rows share one date, except that rows of the frame never count each other: a batch is
scored as many single declarations (build_features counts earlier-dated frame rows). The
rolling median of build_features spans the whole data, so for such rows it is the plain median
of the group's history rows (tests/unit/risk/test_scoring.py proves both equalities).

Keys are looked up as integers (see `keys`): by binary search for small frames, by joins or
direct addressing for large ones, with the same results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Literal

import numpy as np
import polars as pl

# The builder's own helpers: the same code derives bands, codes and entities on both sides.
from clearway.risk.learning.features import (
    KEEP,
    UNIT_VALUE_GROUPS,
    FeatureConfig,
    _derived,
    _entity_keys,
    _raw_categorical,
)
from clearway.risk.learning.keys import Table, Vocabulary, combine

SEARCH_MAX_ROWS = 50_000  # up to this many rows: binary search; above: joins (measured)
Method = Literal["auto", "join", "search"]


# A history feature: values[positions], or base - values[positions] (unit-value deviations).
Source = tuple[np.ndarray, np.ndarray, np.ndarray | None]


@dataclass(frozen=True)
class FeatureParts:
    """Features of some rows: `plain` = keys (`lead` columns) and the row's own features; the
    history features `history_names` as table values and the rows' positions in the tables
    (`sources`), gathered into float64 (NaN = null) on demand, a block of rows at a time."""

    plain: pl.DataFrame
    lead: int
    history_names: tuple[str, ...]
    sources: tuple[Source, ...]

    def fill(self, out: np.ndarray, start: int, stop: int) -> None:
        """History features of rows [start, stop) into out[:stop - start, :len(names)].
        The values were computed with build_features' arithmetic (float64, the same
        operations in the same order), so the IEEE results are identical."""
        for j, (values, positions, base) in enumerate(self.sources):
            gathered = values[positions[start:stop]]
            out[:stop - start, j] = gathered if base is None else base[start:stop] - gathered

    def subset(self, rows: np.ndarray) -> FeatureParts:
        """The parts of these rows only (positions into this block)."""
        return FeatureParts(self.plain[rows], self.lead, self.history_names, tuple(
            (values, positions[rows], None if base is None else base[rows])
            for values, positions, base in self.sources))

    @cached_property
    def history(self) -> np.ndarray:
        out = np.empty((self.plain.height, len(self.history_names)))
        self.fill(out, 0, self.plain.height)
        return out

    def frame(self) -> pl.DataFrame:
        """build_features' layout: keys, history features, the row's own features."""
        plain = self.plain.get_columns()
        history = pl.from_numpy(self.history, schema=list(self.history_names), orient="row") \
            .select(pl.all().fill_nan(None)).get_columns() if self.history_names else []
        return pl.DataFrame([*plain[:self.lead], *history, *plain[self.lead:]])


@dataclass(frozen=True)
class HistorySnapshot:
    """The history, grouped once per entity key and unit-value group (see the module doc)."""

    config: FeatureConfig
    prior: float
    columns: tuple[str, ...]  # canonical input columns a scored frame must have
    schema: dict[str, pl.DataType]  # their types, as in the history
    extra_categorical: tuple[str, ...]
    extra_numeric: tuple[str, ...]
    entities: dict[str, tuple[str, ...]]
    groups: dict[str, tuple[str, ...]]  # unit-value groups
    vocab: dict[str, Vocabulary]
    tables: dict[str, Table]  # entity name or "uv_<group>" -> table
    rows: int
    last_date: date | None  # the latest history date

    @classmethod
    def build(cls, history: pl.DataFrame, *, config: FeatureConfig, prior: float,
              extra_categorical: Sequence[str] = (),
              extra_numeric: Sequence[str] = ()) -> HistorySnapshot:
        if not config.smoothing > 0:
            raise ValueError("live scoring needs smoothing > 0 (0 makes 0/0 rates)")
        columns = tuple(c for c in history.columns if c not in KEEP or c == "date")
        rows = _derived(history.select(columns), config)
        entities = _entity_keys(rows.columns, config, extra_categorical)
        groups = {name: key for name, key in UNIT_VALUE_GROUPS.items()
                  if "_log_uv" in rows.columns and all(c in rows.columns for c in key)}
        used = dict.fromkeys(c for k in (*entities.values(), *groups.values()) for c in k)
        vocab = {c: Vocabulary.build(rows[c]) for c in used}
        codes = {c: v.join(rows[c]) for c, v in vocab.items()}
        label = history["label_irregular"].cast(pl.Float64).to_numpy() \
            if "label_irregular" in history.columns else np.full(history.height, np.nan)
        labelled, irregular = ~np.isnan(label), np.nan_to_num(label)
        shrink, m = config.smoothing * prior, config.smoothing
        tables: dict[str, Table] = {}
        for name, key in entities.items():
            radices = tuple(max(1, len(vocab[c].values)) for c in key)
            keys, found, prefixes = combine([codes[c] for c in key], radices, None)
            unique, inverse, n = np.unique(keys[found], return_inverse=True, return_counts=True)
            n_l = np.bincount(inverse, weights=labelled[found], minlength=len(unique))
            s = np.bincount(inverse, weights=irregular[found], minlength=len(unique))
            tables[name] = Table.build(key, unique, radices, prefixes,
                                        {"n": n, "rate": (s + shrink) / (n_l + m)},
                                        {"n": 0.0, "rate": (0.0 + shrink) / (0.0 + m)})
        log_uv = rows["_log_uv"].to_numpy() if groups else np.empty(0)
        for name, key in groups.items():
            radices = tuple(max(1, len(vocab[c].values)) for c in key)
            keys, found, prefixes = combine([codes[c] for c in key], radices, None)
            found &= ~np.isnan(log_uv)
            # Polars' median: the one build_features' rolling median equals (tested)
            medians = pl.DataFrame({"k": keys[found], "v": log_uv[found]}).group_by("k") \
                .agg(pl.col("v").median()).sort("k")
            tables[f"uv_{name}"] = Table.build(key, medians["k"].to_numpy(), radices, prefixes,
                                                {"median": medians["v"].to_numpy()},
                                                {"median": np.nan})
        last = history["date"].max()
        return cls(config, prior, columns, dict(history.select(columns).schema),
                   tuple(extra_categorical), tuple(extra_numeric), entities, groups, vocab,
                   tables, history.height, last if isinstance(last, date) else None)

    @cached_property
    def feature_names(self) -> tuple[str, ...]:
        """The feature columns `features` gives, in order (a model must have these)."""
        empty = self.features(pl.DataFrame(schema=self.schema))
        return tuple(c for c in empty.columns if c not in KEEP)

    @property
    def history_names(self) -> tuple[str, ...]:
        return tuple([f"{e}_{s}" for e in self.entities for s in ("n", "rate")] +
                     [f"uv_dev_{g}" for g in self.groups])

    def features(self, frame: pl.DataFrame, *, method: Method = "auto") -> pl.DataFrame:
        """`declaration_id` (when present), `date`, then the features in the builder's order.

        `method`: "join", "search" (numpy binary search) or "auto" (search up to
        SEARCH_MAX_ROWS rows); both give identical results.
        """
        return self.parts(frame, method=method).frame()

    def parts(self, frame: pl.DataFrame, *, method: Method = "auto") -> FeatureParts:
        """The features in two blocks: the row's own (a frame) and the history ones (numpy)."""
        missing = [c for c in self.columns if c not in frame.columns]
        if missing:
            raise ValueError(f"columns missing for the model's history features: {missing}")
        head = [pl.col(c) for c in ("declaration_id", "date") if c in frame.columns]
        typed = [pl.col(c).cast(self.schema[c]) for c in self.columns]  # as in the history
        rows = _derived(frame.select(*head[:-1], *typed), self.config)
        search = method == "search" or (method == "auto" and rows.height <= SEARCH_MAX_ROWS)
        flags, fills = self._key_exprs
        keys = rows.select(*flags, *(fills if search else []))
        present = {c: keys[f"_k{i}"].to_numpy() for i, c in enumerate(self._flagged)}
        codes = {c: v.search(keys[c].to_numpy(), present[c]) if search else v.join(rows[c])
                 for c, v in self.vocab.items()}
        positions = {name: table.lookup(
            codes, np.logical_and.reduce([present[c] for c in table.columns]), search)
            for name, table in self.tables.items()}
        return FeatureParts(rows.select(*head, *self._own_exprs), len(head),
                            self.history_names, self._sources(rows, present, positions))

    def _sources(self, rows: pl.DataFrame, present: dict[str, np.ndarray],
                 positions: dict[str, np.ndarray]) -> tuple[Source, ...]:
        out: list[Source] = []
        for name in self.entities:
            values, pos = self.tables[name].values, positions[name]
            out += [(values["n"], pos, None), (values["rate"], pos, None)]
        if self.groups:
            log_uv = np.where(present["_log_uv"], rows["_log_uv"].fill_null(0.0).to_numpy(),
                              np.nan)
            out += [(self.tables[f"uv_{name}"].values["median"], positions[f"uv_{name}"],
                     log_uv) for name in self.groups]
        return tuple(out)

    # Expressions built once (a frozen dataclass still takes cached properties).
    @cached_property
    def _flagged(self) -> list[str]:
        return [*self.vocab, *(["_log_uv"] if self.groups else [])]

    @cached_property
    def _key_exprs(self) -> tuple[list[pl.Expr], list[pl.Expr]]:
        flags = [pl.col(c).is_not_null().alias(f"_k{i}") for i, c in enumerate(self._flagged)]
        fills = [pl.col(c).fill_null("" if v.values.dtype.kind == "U" else 0)
                 for c, v in self.vocab.items()]
        return flags, fills

    @cached_property
    def _own_exprs(self) -> list[pl.Expr]:
        """The features of the row itself, as build_features computes them."""
        columns = _derived(pl.DataFrame(schema=self.schema), self.config).columns
        out: list[pl.Expr] = []
        if "_log_uv" in columns:
            out.append(pl.col("_log_uv").alias("log_unit_value"))
        for col, feat in (("value", "log_value"), ("net_mass", "log_net_mass")):
            if col in columns:
                out.append(pl.col(col).clip(lower_bound=0).log1p().alias(feat))
        out += [pl.col(c).cast(pl.Float64) for c in ("tax_rate", *self.extra_numeric)
                if c in columns]
        if self.config.calendar:
            out += [pl.col("date").dt.weekday().cast(pl.Float64).alias("day_of_week"),
                    pl.col("date").dt.month().cast(pl.Float64).alias("month")]
        raw = [c for c in (*_raw_categorical(columns), *self.extra_categorical) if c in columns]
        return out + [pl.col(c).cast(pl.String) for c in raw]
