"""The "rules only" strategy: a fixed rule set, never updated during the replay.

Either profiles written in Clearway's profile language (`--rules FILE.yaml`), evaluated by the
profile engine (`profiles.matcher.ProfileSet`) on the risk fields that a mapped data set can
fill (`risk_fields`), or, without a file, the best single-feature rule that an analyst could
have drawn from the labelled history before the start: for one column, the values whose past
irregularity rate is highest ("inspect HS6 codes with the worst record first").

The profiles also serve Clearway's own strategy when `--profiles` is given (hard profiles
select first, soft ones add their weight to the model's probability).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from clearway.profiles.matcher import ProfileSet
from clearway.profiles.model import Profile

SMOOTHING = 20.0  # pseudo-declarations at the prior rate, as the model's history features
HOLDOUT = 0.25  # latest share of the history's dates that ranks the candidate columns
# Risk field <- canonical column of a mapped data set (docs/risk-model.md, "Mapping file").
FIELD_OF = {
    "office": "office_id", "dispatch_country": "departure_country",
    "transport_mode": "transport_mode", "declarant_id": "declarant_id",
    "importer_id": "importer_id", "seller_id": "seller_id",
    "commodity_code": "commodity_code", "origin_country": "origin_country",
    "net_mass": "net_mass", "value": "value", "tax_rate": "tax_rate",
}


def risk_fields(frame: pl.DataFrame) -> pl.DataFrame:
    """The profile engine's item frame for canonical rows: one declaration per row (`_decl`
    = row number), the risk fields the mapping fills; every other field is null (the
    matcher adds them), so a profile testing one never hits."""
    cols = [pl.int_range(pl.len(), dtype=pl.Int64).alias("_decl"),
            pl.col("declaration_id").cast(pl.String).alias("_key")
            if "declaration_id" in frame.columns else pl.lit(None, pl.String).alias("_key"),
            pl.lit(1, pl.Int64).alias("item"), pl.lit("IM").alias("declaration_type"),
            pl.col("date").alias("declaration_date")]
    for name, canon in FIELD_OF.items():
        if canon in frame.columns:
            cols.append(pl.col(canon).alias(name))
    if "commodity_code" in frame.columns:
        code = pl.col("commodity_code").str.replace_all(r"\D", "")
        cols += [code.str.slice(0, n).alias(f"hs{n}") for n in (6, 4, 2)]
    if "value" in frame.columns and "net_mass" in frame.columns:
        mass = pl.col("net_mass")
        cols.append(pl.when(mass > 0).then(pl.col("value") / mass).alias("unit_value"))
    trader = next((c for c in ("importer_id", "declarant_id") if c in frame.columns), None)
    if trader is not None:
        cols.append(pl.col(trader).alias("trader_id"))
    return frame.select(cols)


HARD_FIRST = 1e6  # a hard profile's hit ranks above any probability plus soft weights


@dataclass(frozen=True)
class ProfileScores:
    """Per row: hit by a hard profile (selects first), and the sum of the hitting weights."""

    hard: np.ndarray
    weight: np.ndarray

    def priority(self) -> np.ndarray:
        """Hard hits first, then by weight (added to a probability by Clearway's strategy)."""
        return self.weight + HARD_FIRST * self.hard


def profile_scores(profiles: ProfileSet, frame: pl.DataFrame) -> ProfileScores:
    """Evaluate the profiles on canonical rows."""
    n = frame.height
    hard, weight = np.zeros(n, dtype=bool), np.zeros(n)
    if len(profiles) == 0 or n == 0:
        return ProfileScores(hard, weight)
    masks = profiles.masks(risk_fields(frame))
    for profile, column in zip(profiles.profiles, masks.iter_columns(), strict=True):
        hit = column.fill_null(False).to_numpy()
        weight += hit * profile.weight
        if profile.hard:
            hard |= hit
    return ProfileScores(hard, weight)


def profile_rule(profiles: list[Profile]) -> tuple[ProfileSet, str]:
    return ProfileSet(profiles), f"profiles: {', '.join(p.code for p in profiles)}"


@dataclass(frozen=True)
class ValueRule:
    """Inspect items whose `column` value had the highest smoothed past irregularity rate."""

    column: str
    rates: dict[str, float]
    prior: float

    def describe(self) -> str:
        return (f"best single-feature rule: {self.column} by its past irregularity rate "
                f"({len(self.rates)} values known)")

    def score(self, frame: pl.DataFrame) -> np.ndarray:
        values = _candidate(frame, self.column)
        return values.replace_strict(self.rates, default=self.prior,
                                     return_dtype=pl.Float64).to_numpy()


def _candidate(frame: pl.DataFrame, column: str) -> pl.Series:
    if column in ("hs6", "hs4", "hs2"):
        return frame["commodity_code"].str.slice(0, int(column[2:])).fill_null("")
    return frame[column].cast(pl.String).fill_null("")


def _rates(rows: pl.DataFrame, column: str, prior: float) -> dict[str, float]:
    keyed = rows.select(_candidate(rows, column).alias("v"),
                        pl.col("label_irregular").cast(pl.Float64).alias("y"))
    grouped = keyed.group_by("v").agg(pl.col("y").sum().alias("s"), pl.len().alias("n"))
    rates = (grouped["s"] + SMOOTHING * prior) / (grouped["n"] + SMOOTHING)
    return dict(zip(grouped["v"].to_list(), rates.to_list(), strict=True))


def candidates(frame: pl.DataFrame, extra: list[str]) -> list[str]:
    fixed = ["importer_id", "declarant_id", "seller_id", "courier_id", "office_id",
             "origin_country", "departure_country", "transport_mode"]
    names = [c for c in (*fixed, *extra) if c in frame.columns]
    if "commodity_code" in frame.columns:
        names += ["hs6", "hs4", "hs2"]
    return names


def learn_value_rule(history: pl.DataFrame, rate: float, extra: list[str]) -> ValueRule:
    """The column whose value table, learnt on the earlier history, catches most in the top
    `rate` % of the latest `HOLDOUT` of the history; then relearnt on the whole history."""
    rows = history.filter(pl.col("label_irregular").is_not_null())
    prior = float(rows.select(pl.col("label_irregular").cast(pl.Float64).mean()).item() or 0.0)
    dates = rows["date"].unique().sort()
    cut = dates[min(len(dates) - 1, int(len(dates) * (1 - HOLDOUT)))]
    early, late = rows.filter(pl.col("date") < cut), rows.filter(pl.col("date") >= cut)
    if early.height == 0:
        early = late
    y = late["label_irregular"].cast(pl.Int64).to_numpy()
    k = max(1, math.ceil(late.height * rate / 100))
    best, best_caught = None, -1.0
    for column in candidates(rows, extra):
        score = ValueRule(column, _rates(early, column, prior), prior).score(late)
        order = np.lexsort((np.arange(len(score)), -score))  # deterministic ties
        caught = float(y[order[:k]].sum())
        if caught > best_caught:
            best, best_caught = column, caught
    if best is None:
        raise ValueError("the data maps no column a rule could test")
    return ValueRule(best, _rates(rows, best, prior), prior)
