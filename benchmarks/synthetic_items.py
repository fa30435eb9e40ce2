"""Synthetic item frames for the risk benchmark: the engine's columns, realistic mixes.

`item_frame(n_items, seed)` gives a frame with every column of `clearway.risk.engine.fields` (one to
five items per declaration; imports, exports and ENS; 2,000 offices' worth of traders; HS codes
from the packaged nomenclature; party names drawn from pools so that parties repeat as they do
in real traffic). `profiles(n, seed)` gives risk profiles over those fields with the operators
analysts use (HS prefixes, origins, ranges, regexes, field comparisons, route countries, AEO).
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from clearway.profiles.model import Profile
from clearway.profiles.parse import parse_profile
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.fields import ROW_KEYS, SCHEMA

DAY = date(2026, 11, 20)
COUNTRIES = ["CN", "TR", "DE", "IT", "IN", "VN", "BD", "US", "GB", "RU", "AE", "IR", "MY",
             "TH", "PK", "BR", "FR", "NL", "PL", "UA", "SY", "KP", "JP", "KR", "MX"]
WORDS = ["cotton", "steel", "plastic", "parts", "machine", "frozen", "fresh", "electric",
         "leather", "shoes", "phones", "tyres", "chemicals", "toys", "furniture", "bags",
         "watches", "perfume", "cigarettes", "medicines", "fabric", "pumps", "valves",
         "general cargo", "FAK", "samples", "spare"]
BRANDS = ["Nike", "Rolex", "Apple", "Adidas", "Chanel", "Gucci", "Sony", "Bosch"]
BRAND_SHARE = 0.005  # items whose description names a protected brand


def hs_codes() -> list[tuple[str, str]]:
    ref = RefDataSnapshot.from_texts(read_directory(package_dir()))
    return [(r["code"], r["description"]) for r in ref.rows("hs_codes") if len(r["code"]) == 6]


def item_frame(n_items: int, seed: int = 7, *, names: list[str] | None = None) -> pl.DataFrame:
    """`n_items` rows of the item frame; `names` is the pool party names are drawn from."""
    rng = np.random.default_rng(seed)
    per_decl = rng.integers(1, 6, size=n_items)  # 1-5 items, mean 3
    decl = np.repeat(np.arange(n_items), per_decl)[:n_items]
    n_decl = int(decl[-1]) + 1
    item = np.concatenate([np.arange(1, k + 1) for k in per_decl])[:n_items]
    codes = hs_codes()
    pick = rng.integers(0, len(codes), size=n_items)
    hs6 = np.array([c for c, _ in codes])[pick]
    base_desc = np.array([d[:40] for _, d in codes])[pick]
    extra = np.where(rng.random(n_items) < BRAND_SHARE,
                     np.array(BRANDS)[rng.integers(0, len(BRANDS), size=n_items)],
                     np.array(WORDS)[rng.integers(0, len(WORDS), size=n_items)])
    kind_d = rng.choice(np.array(["IM", "EX", "ENS"]), p=[0.8, 0.15, 0.05], size=n_decl)
    office_d = np.array([f"RS{n:06d}" for n in rng.integers(1000, 1040, size=n_decl)])
    trader_d = rng.integers(0, 50_000, size=n_decl)
    pool = names or [f"Trader {i} d.o.o." for i in range(20_000)]
    imp_d = np.array(pool)[rng.integers(0, len(pool), size=n_decl)]
    exp_d = np.array(pool)[rng.integers(0, len(pool), size=n_decl)]
    country = np.array(COUNTRIES)
    dispatch_d = country[rng.integers(0, len(COUNTRIES), size=n_decl)]
    origin = country[rng.integers(0, len(COUNTRIES), size=n_items)]
    mass = np.round(rng.lognormal(4, 1.5, size=n_items), 1) + 0.1
    uv = rng.lognormal(2, 1.2, size=n_items)
    value = np.round(mass * uv, 2)
    aeoc_d = rng.random(n_decl) < 0.15
    aeos_d = aeoc_d & (rng.random(n_decl) < 0.6)
    history_d = rng.poisson(40, size=n_decl)
    controls_d = rng.binomial(history_d, 0.1)
    irregular_d = rng.binomial(controls_d, 0.2)
    docs_pool = [["N935"], ["N380", "N935"], ["C506"], [], ["X002"], ["Y901"], ["N954"]]
    doc_pick = rng.integers(0, len(docs_pool), size=n_items)
    d = decl
    frame = pl.DataFrame({
        "_decl": d, "_key": [f"D{i}" for i in d],
        "declaration_type": kind_d[d], "additional_type": "A",
        "declaration_date": [DAY] * n_items, "office": office_d[d],
        "dispatch_country": dispatch_d[d], "destination_country": "RS",
        "transport_mode": np.array(["1", "3", "4", "2"])[rng.integers(0, 4, n_decl)][d],
        "border_nationality": dispatch_d[d], "incoterm": "CIF", "invoice_currency": "EUR",
        "invoice_amount": value, "total_gross_mass": mass * 1.1,
        "item_count": per_decl[d],
        "container": rng.random(n_items) < 0.5,
        "route_countries": [[a, b] for a, b in zip(dispatch_d[d], origin, strict=True)],
        "place_of_loading": "CNSHA", "place_of_unloading": "RSBEG",
        "declarant_id": [f"RS{t:09d}" for t in trader_d[d]],
        "declarant_name": imp_d[d], "importer_id": [f"RS{t:09d}" for t in trader_d[d]],
        "importer_name": imp_d[d], "exporter_id": None, "exporter_name": exp_d[d],
        "exporter_country": dispatch_d[d], "consignor_id": None,
        "consignor_name": [n if k == "ENS" else None
                           for n, k in zip(exp_d[d], kind_d[d], strict=True)],
        "consignor_country": dispatch_d[d], "consignee_id": None, "consignee_name": None,
        "seller_id": None, "seller_name": None,
        "trader_id": [f"RS{t:09d}" for t in trader_d[d]],
        "aeo_types": [["AEOC"] if a else [] for a in aeoc_d[d]],
        "aeoc": aeoc_d[d], "aeos": aeos_d[d], "item": item, "commodity_code": hs6,
        "hs6": hs6, "hs4": [h[:4] for h in hs6], "hs2": [h[:2] for h in hs6],
        "description": [f"{b} {e}" for b, e in zip(base_desc, extra, strict=True)],
        "origin_country": origin, "preferential_origin_country": None, "procedure": "40",
        "previous_procedure": "00", "additional_procedures": [[] for _ in range(n_items)],
        "preference": None, "net_mass": mass, "gross_mass": mass * 1.1,
        "supplementary_units": None, "value": value, "unit_value": value / mass,
        "tax_rate": rng.choice(np.array([0.0, 5.0, 10.0, 20.0]), size=n_items),
        "document_codes": [docs_pool[i] for i in doc_pick], "valuation_method": "1",
        "dangerous_goods_un": None, "trader_declarations": history_d[d],
        "trader_controls": controls_d[d], "trader_irregular": irregular_d[d],
        "trader_irregular_rate": pl.Series(np.where(
            controls_d[d] > 0, irregular_d[d] / np.maximum(controls_d[d], 1), np.nan)
        ).fill_nan(None),
        "trader_days_known": rng.integers(0, 3000, n_decl)[d],
        "reference_unit_value": None, "unit_value_ratio": None,
    }, schema_overrides={**ROW_KEYS, **SCHEMA}, strict=False)
    missing = [pl.lit(None, dtype).alias(c) for c, dtype in SCHEMA.items()
               if c not in frame.columns]
    return frame.with_columns(missing).select([*ROW_KEYS, *SCHEMA]).cast(
        {**ROW_KEYS, **SCHEMA})  # type: ignore[arg-type]


def _condition(rng: random.Random, codes: list[str]) -> dict[str, Any]:
    choice = rng.randrange(8)
    if choice == 0:
        return {"field": "hs6", "prefix": [rng.choice(codes)[:4]]}
    if choice == 1:
        return {"field": "origin_country", "in": rng.sample(COUNTRIES, 3)}
    if choice == 2:
        return {"field": "net_mass", "range": {"min": rng.randint(10, 500)}}
    if choice == 3:
        return {"field": "description", "regex": f"(?i)\\b{rng.choice(WORDS)}\\b"}
    if choice == 4:
        return {"field": "unit_value", "less_than": round(rng.uniform(0.5, 3), 2)}
    if choice == 5:
        return {"field": "route_countries", "any_of": rng.sample(COUNTRIES, 2)}
    if choice == 6:
        return {"field": "aeoc", "equals": False}
    return {"field": "trader_declarations", "range": {"max": rng.randint(1, 20)}}


def profiles(n: int, seed: int = 7) -> list[Profile]:
    """`n` active profiles of two to four conditions each (an HS prefix in most)."""
    rng = random.Random(seed)
    codes = [c for c, _ in hs_codes()]
    areas = ["valuation", "classification", "origin", "prohibitions_restrictions", "health",
             "security_safety"]
    out = []
    for i in range(n):
        conds = [{"field": "hs6", "prefix": [rng.choice(codes)[:4]]}]
        conds += [_condition(rng, codes) for _ in range(rng.randint(1, 3))]
        spec: dict[str, Any] = {
            "code": f"BENCH-{i:04d}", "name": f"Benchmark profile {i}",
            "area": rng.choice(areas), "weight": round(rng.uniform(0.2, 0.9), 2),
            "owner": "benchmark", "when": {"all": conds}}
        if rng.random() < 0.2:
            spec["min_channel"] = rng.choice(["yellow", "red"])
            spec["instructions"] = "Check the goods against the invoice"
        out.append(parse_profile(spec))
    return out
