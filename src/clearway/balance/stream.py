"""The replayed stream: labelled history before the start, weekly batches after it, each
week's inspection capacity, the random draws, and each strategy's view of traders' records.

Protocol (the KCS data set's authors, "DATE", Customs-Fraud-Detection): the rows dated before
`start` are the administration's past controls, their labels known to every strategy; from
`start` on, items arrive in weeks of seven days; each week a strategy inspects `rate` % of the
week's items, and only the items it inspected reveal their label to it, after the week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from clearway.balance.model import Week

TRADER_COLUMNS = ("importer_id", "declarant_id")  # whose record facilitation is about


class BalanceError(ValueError):
    """The data cannot be replayed (no history, no labelled items after the start...)."""


@dataclass(frozen=True)
class Stream:
    """`history`: rows before the start (labels as given); `items`: labelled rows from the
    start on, sorted by date, with `_week` (0, 1, ...); `bounds[w]:bounds[w+1]` are week w's
    rows; `critical` (0/1 per item) when the data has that label."""

    history: pl.DataFrame
    items: pl.DataFrame
    start: date
    bounds: np.ndarray
    weeks: list[Week]
    label: np.ndarray
    critical: np.ndarray | None
    trader: np.ndarray | None  # trader code per item (-1: none), for facilitation
    trader_name: str | None  # the column the codes come from

    def week_rows(self, w: int) -> pl.DataFrame:
        return self.items.slice(int(self.bounds[w]), int(self.bounds[w + 1] - self.bounds[w]))


def capacities(sizes: list[int], rate: float) -> list[int]:
    """Inspections per week: `rate` % of the items, rounded on the running total so that no
    week's rounding is lost (over the replay exactly round(rate % of all items))."""
    total, done, out = 0, 0, []
    for size in sizes:
        total += size
        upto = int(np.floor(total * rate / 100 + 0.5))
        out.append(min(size, upto - done))
        done += out[-1]
    return out


def prepare(frame: pl.DataFrame, start: date, rate: float) -> Stream:
    """Split `frame` (canonical rows, `label_irregular`, optional `label_critical`)."""
    if "label_irregular" not in frame.columns:
        raise BalanceError("the data has no label_irregular: map one")
    frame = frame.sort("date", maintain_order=True)
    history = frame.filter(pl.col("date") < start)
    labelled = history.filter(pl.col("label_irregular").is_not_null())
    if labelled.height == 0 or labelled["label_irregular"].n_unique() < 2:
        raise BalanceError(f"no labelled history of both outcomes before {start}: the "
                           "strategies have nothing to learn their first selection from")
    items = frame.filter((pl.col("date") >= start) & pl.col("label_irregular").is_not_null())
    if items.height == 0:
        raise BalanceError(f"no labelled items from {start} on")
    days = items.select((pl.col("date") - pl.lit(start)).dt.total_days())["date"].to_numpy()
    items = items.with_columns(pl.Series("_week", days // 7, dtype=pl.Int64))
    week_no = items["_week"].to_numpy()
    present = np.unique(week_no)
    # Weeks without items are skipped: a replay of weeks with nothing to inspect says nothing.
    dense = np.searchsorted(present, week_no)
    items = items.with_columns(pl.Series("_week", dense, dtype=pl.Int64))
    bounds = np.searchsorted(dense, np.arange(len(present) + 1))
    label = items["label_irregular"].cast(pl.Int64).to_numpy()
    sizes = np.diff(bounds).tolist()
    caps = capacities(sizes, rate)
    weeks = [Week(i, (start + timedelta(days=7 * int(present[i]))).isoformat(), sizes[i],
                  int(label[bounds[i]:bounds[i + 1]].sum()), caps[i])
             for i in range(len(present))]
    critical = None
    if "label_critical" in items.columns:
        critical = items["label_critical"].cast(pl.Int64).fill_null(0).to_numpy()
    column = next((c for c in TRADER_COLUMNS
                   if c in items.columns and items[c].null_count() < items.height), None)
    return Stream(history, items, start, bounds, weeks, label, critical,
                  None if column is None else _codes(items[column]), column)


def _codes(names: pl.Series) -> np.ndarray:
    """One integer per trader name (-1: none)."""
    return names.cast(pl.Categorical).to_physical().cast(pl.Int64).fill_null(-1).to_numpy()


def random_draws(rng: np.random.Generator, size: int, probability: float,
                 capacity: int) -> np.ndarray:
    """Positions (in a week of `size` items) drawn for a random inspection: each item with
    the same `probability`, independently of every score, so the draws over the whole replay
    are a uniform sample of the stream; never more than the week's capacity (then a random
    subset of those drawn, which keeps the sample uniform)."""
    drawn = np.flatnonzero(rng.random(size) < probability)
    if len(drawn) > capacity:
        drawn = np.sort(rng.choice(drawn, capacity, replace=False))
    return drawn


def top_k(score: np.ndarray, k: int, rng: np.random.Generator,
          exclude: np.ndarray | None = None) -> np.ndarray:
    """Positions of the `k` highest scores; ties broken at random; `exclude` never chosen."""
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((rng.random(len(score)), -score))
    if exclude is not None and len(exclude):
        order = order[~np.isin(order, exclude)]
    return np.sort(order[:k])


class Records:
    """A strategy's knowledge of traders: per trader code, controls known and irregular ones
    found (the history's controls to begin with, then what the strategy itself inspected)."""

    def __init__(self, stream: Stream) -> None:
        self.controls: dict[int, int] = {}
        self.irregular: dict[int, int] = {}
        column = stream.trader_name
        if stream.trader is None or column is None or column not in stream.history.columns:
            return
        known = stream.history.filter(pl.col("label_irregular").is_not_null())
        # The items' trader codes come from the stream's categories; map history names there.
        names = stream.items[column]
        code_of = {n: i for n, i in zip(names.to_list(), stream.trader.tolist(), strict=True)}
        for name, label in zip(known[column].to_list(), known["label_irregular"].to_list(),
                               strict=True):
            code = code_of.get(name)
            if code is not None:
                self._add(code, int(label))

    def _add(self, code: int, label: int) -> None:
        self.controls[code] = self.controls.get(code, 0) + 1
        self.irregular[code] = self.irregular.get(code, 0) + label

    def clean(self, codes: np.ndarray) -> int:
        """How many of these traders have a clean record: controls known, none irregular."""
        return sum(1 for c in codes.tolist()
                   if c >= 0 and self.controls.get(c, 0) > 0 and not self.irregular.get(c, 0))

    def learn(self, codes: np.ndarray, labels: np.ndarray) -> None:
        for code, label in zip(codes.tolist(), labels.tolist(), strict=True):
            if code >= 0:
                self._add(code, int(label))
