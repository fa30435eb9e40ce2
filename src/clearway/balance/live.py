"""The live balance report's arithmetic (pure): the selection's figures by office and month.

Input: counts of risk decisions per day, office, random draw (yes/no) and control outcome
(irregular 1, regular 0, none: not controlled), as `repository.decision_counts` reads them.
Per group (in total, per month, per office, per month and office):
- declarations decided; inspected (with a control outcome); irregular found;
- precision of the selection: irregular / inspected, with its Wilson 95 % interval;
- random selections (drawn at random), those with an outcome, irregular among them;
- the estimate of non-compliance from the random sample (Wilson 95 %), and of the
  non-compliance left unseen among the declarations nobody inspected (`model.unseen_estimate`);
- targeted precision (inspections not drawn at random) and its lift over the estimate.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from clearway.balance.model import sample_estimate, unseen_estimate
from clearway.feedback.model import wilson

SCHEMA = {"day": pl.Date(), "office": pl.String(), "random": pl.Boolean(),
          "irregular": pl.Int64(), "n": pl.Int64()}
GROUPINGS = {"total": [], "by_month": ["month"], "by_office": ["office"],
             "by_month_office": ["month", "office"]}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _sums(counts: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    n, inspected = pl.col("n"), pl.col("irregular").is_not_null()
    irregular, drawn = pl.col("irregular") == 1, pl.col("random")
    return counts.group_by(by or pl.lit(0).alias("_all")).agg(
        n.sum().alias("declarations"),
        n.filter(inspected).sum().alias("inspected"),
        n.filter(irregular).sum().alias("irregular"),
        n.filter(drawn).sum().alias("random_selected"),
        n.filter(drawn & inspected).sum().alias("random_inspected"),
        n.filter(drawn & irregular).sum().alias("random_irregular"),
    ).sort(by or "_all")


def figures(row: dict[str, Any]) -> dict[str, Any]:
    """One group's report from its sums."""
    inspected, irregular = row["inspected"], row["irregular"]
    precision = wilson(irregular, inspected)
    estimate = sample_estimate(row["random_irregular"], row["random_inspected"])
    unseen = unseen_estimate(estimate, row["declarations"], inspected, irregular)
    targeted_n = inspected - row["random_inspected"]
    targeted = (irregular - row["random_irregular"]) / targeted_n if targeted_n else None
    return {
        "declarations": row["declarations"], "inspected": inspected, "irregular": irregular,
        "precision": _r(irregular / inspected) if inspected else None,
        "precision_ci": precision and precision.as_dict(),
        "random_selected": row["random_selected"],
        "random_inspected": row["random_inspected"],
        "random_irregular": row["random_irregular"],
        "estimate": {k: _r(getattr(estimate, k)) for k in ("rate", "low", "high")},
        "unseen_estimate": {k: _r(getattr(unseen, k)) for k in ("rate", "low", "high")},
        "targeted_precision": _r(targeted),
        "lift": _r(targeted / estimate.rate) if targeted is not None and estimate.rate
        else None,
    }


def summarize(counts: pl.DataFrame) -> dict[str, Any]:
    """The report's groups; an empty period gives a total of zeros and empty lists."""
    counts = counts.with_columns(pl.col("day").dt.strftime("%Y-%m").alias("month"),
                                 pl.col("office").fill_null(""))
    out: dict[str, Any] = {}
    for name, by in GROUPINGS.items():
        rows = [{**{k: row[k] for k in by}, **figures(row)}
                for row in _sums(counts, by).iter_rows(named=True)]
        out[name] = rows
    if not out["total"]:
        out["total"] = [figures(dict.fromkeys(
            ("declarations", "inspected", "irregular", "random_selected", "random_inspected",
             "random_irregular"), 0))]
    out["total"] = out["total"][0]
    return out
