"""A small labelled stream with a planted signal, for the balance simulation's tests.

Irregularity depends on the importer and on the goods together: a quarter of the importers
and a quarter of the goods are risky, and the items where both meet are mostly irregular, the
items where one is risky seldom. A rule on one column finds part of the signal, a model that
learns both finds more, and random finds the base rate. Importers and goods recur every week,
so their histories can be learnt.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

START = date(2024, 1, 1)


def stream(n: int = 2400, *, weeks: int = 8, seed: int = 0) -> pl.DataFrame:
    """`n` items over `weeks` weeks from START, as mapped canonical rows."""
    rng = np.random.default_rng(seed)
    importers, goods = 40, 30
    imp = rng.integers(0, importers, n)
    hs = rng.integers(0, goods, n)
    risky = (rng.random(importers) < 0.25)[imp].astype(int) + (rng.random(goods) < 0.25)[hs]
    label = (rng.random(n) < np.array([0.03, 0.15, 0.85])[risky]).astype(np.int8)
    days = np.sort(rng.integers(0, 7 * weeks, n))
    mass = np.round(np.exp(rng.normal(4, 1.0, n)), 1)
    return pl.DataFrame({
        "declaration_id": [f"D{i:06d}" for i in range(n)],
        "date": [START + timedelta(days=int(d)) for d in days],
        "importer_id": [f"IMP{i}" for i in imp],
        "declarant_id": [f"DEC{i}" for i in rng.integers(0, 5, n)],
        "commodity_code": [f"{100000 + 37 * i:06d}" for i in hs],
        "origin_country": rng.choice(["CN", "TR", "US"], n),
        "office_id": rng.choice(["RS001", "RS002"], n),
        "net_mass": mass, "value": np.round(mass * 3.0, 2),
        "label_irregular": label,
        "label_critical": (label * (rng.random(n) < 0.2)).astype(np.int8),
    }).with_columns(pl.col("date").cast(pl.Date))
