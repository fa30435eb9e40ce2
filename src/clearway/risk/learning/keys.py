"""Integer keys for the history snapshot: vocabularies, mixed-radix keys, lookup tables.

Every key column's history values are sorted into a `Vocabulary` (a value's code is its
position); an entity's key is one int64 made of its columns' codes (`combine`); a `Table` maps
that key to a row of precomputed values. Small frames (one declaration) find codes and keys by
binary search in numpy; large ones by Polars hash joins (a join hashes the whole table on each
call: tens of milliseconds, too slow for one row), or by direct addressing where the key space
is small. Every way gives the same positions, so the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

DIRECT_MAX = 1 << 21  # key spaces up to this size get a direct-address index (int32)
_LIMIT = 1 << 62  # mixed-radix keys stay below this, so int64 arithmetic never overflows
MISSING, NULL = -2, -1  # positions of the rows "key not in the history" and "null key"


def _numpy(values: pl.Series) -> np.ndarray:
    array = values.to_numpy()
    return array.astype(np.str_) if array.dtype == object else array


@dataclass(frozen=True)
class Vocabulary:
    """One key column's history values, sorted; a value's code is its position."""

    values: np.ndarray  # numpy order, for binary search
    frame: pl.DataFrame  # the same values and their codes, for joins

    @classmethod
    def build(cls, column: pl.Series) -> Vocabulary:
        unique = column.drop_nulls().unique()
        order = np.argsort(_numpy(unique), kind="stable")
        return cls(_numpy(unique)[order],
                   pl.DataFrame({"_v": unique.gather(order), "_code": np.arange(len(order))}))

    def search(self, values: np.ndarray, present: np.ndarray) -> np.ndarray:
        """Codes (-1: null or not in the history) of `values` (nulls filled), by bisection."""
        if not len(self.values):
            return np.full(len(values), -1)
        values = values.astype(np.str_) if values.dtype == object else values
        pos = np.minimum(np.searchsorted(self.values, values), len(self.values) - 1)
        return np.where(present & (self.values[pos] == values), pos, -1)

    def join(self, column: pl.Series) -> np.ndarray:
        """The same codes by a hash join."""
        joined = column.rename("_v").to_frame().join(self.frame, on="_v", how="left",
                                                     maintain_order="left")
        return joined["_code"].fill_null(-1).to_numpy()


def combine(codes: Sequence[np.ndarray], radices: Sequence[int],
            prefixes: dict[int, np.ndarray] | None
            ) -> tuple[np.ndarray, np.ndarray, dict[int, np.ndarray]]:
    """(key, found): one int64 per row from its columns' codes (mixed radix). Where the radix
    would pass 2**62 the partial key becomes its rank among the history's partial keys
    (`prefixes`, learnt from the history when None); one the history lacks is not found."""
    steps: dict[int, np.ndarray] = {} if prefixes is None else prefixes
    found = np.logical_and.reduce([c >= 0 for c in codes])
    key = np.where(found, codes[0], 0)
    span = radices[0]
    for i in range(1, len(codes)):
        if span * radices[i] >= _LIMIT:
            if prefixes is None:
                steps[i] = np.unique(key)
            vocab = steps[i]
            pos = np.minimum(np.searchsorted(vocab, key), len(vocab) - 1)
            found = found & (vocab[pos] == key)
            key, span = np.where(found, pos, 0), len(vocab)
        key = key * radices[i] + np.where(found, codes[i], 0)
        span *= radices[i]
    return key, found, steps


@dataclass(frozen=True)
class Table:
    """Values per key of one entity or unit-value group, at positions 0..n-1, followed by the
    row for a key the history lacks and the row for a null key (positions -2 and -1)."""

    columns: tuple[str, ...]
    radices: tuple[int, ...]
    prefixes: dict[int, np.ndarray]
    keys: np.ndarray  # sorted int64 keys
    dense: np.ndarray | None  # key -> position (or -2), when the key space is small
    frame: pl.DataFrame  # {_key, _pos}, for joins
    values: dict[str, np.ndarray]

    @classmethod
    def build(cls, columns: tuple[str, ...], keys: np.ndarray, radices: tuple[int, ...],
              prefixes: dict[int, np.ndarray], values: dict[str, np.ndarray],
              missing: dict[str, float]) -> Table:
        """`keys` sorted and unique; `missing`: the values of a key the history lacks."""
        span = int(np.prod([float(r) for r in radices])) if not prefixes else _LIMIT
        dense = None
        if span <= DIRECT_MAX and span <= 64 * max(len(keys), 1024):
            dense = np.full(span, MISSING, np.int32)
            dense[keys] = np.arange(len(keys), dtype=np.int32)
        frame = pl.DataFrame({"_key": keys, "_pos": np.arange(len(keys), dtype=np.int64)})
        padded = {c: np.concatenate([v.astype(np.float64), [missing[c], np.nan]])
                  for c, v in values.items()}
        return cls(columns, radices, prefixes, keys, dense, frame, padded)

    def lookup(self, codes: dict[str, np.ndarray], valid: np.ndarray, search: bool) -> np.ndarray:
        """Position of each row's key (-2: not in the history, -1: a key column is null)."""
        key, found, _ = combine([codes[c] for c in self.columns], self.radices, self.prefixes)
        if self.dense is not None:
            pos = self.dense[np.where(found, key, 0)].astype(np.int64)
        elif search and len(self.keys):
            pos = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
            pos = np.where(self.keys[pos] == key, pos, MISSING)
        elif len(self.keys):
            pos = pl.DataFrame({"_key": key}).join(self.frame, on="_key", how="left",
                                                   maintain_order="left")["_pos"] \
                .fill_null(MISSING).to_numpy()
        else:
            pos = np.full(len(key), MISSING)
        return np.where(valid, np.where(found, pos, MISSING), NULL)
