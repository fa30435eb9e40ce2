"""The undervaluation rule over the item frame: who is flagged, with what weight, channel,
reason and evidence; a batch gives each declaration the hits it gets alone."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import polars as pl
import pytest

from clearway.risk.engine.decision import Area, Channel, Source
from clearway.risk.engine.fields import ROW_KEYS, SCHEMA
from clearway.risk.engine.frame import with_references
from clearway.valuation.model import ValuationRule, as_lookup, compute_references

RULE = ValuationRule()


def item_frame(*rows: dict[str, Any]) -> pl.DataFrame:
    base = {"declaration_type": "IM", "item": 1, "hs6": "610910", "origin_country": "CN"}
    records = [{"_decl": n, "_key": f"K{n}", **base, **row} for n, row in enumerate(rows)]
    return pl.DataFrame(records, schema={**ROW_KEYS, **SCHEMA})


def priced(uv: float | None, ref: float | None, spread: float | None,
           **other: Any) -> dict[str, Any]:
    ratio = uv / ref if uv is not None and ref else None
    return {"unit_value": uv, "reference_unit_value": ref, "reference_spread": spread,
            "unit_value_ratio": ratio, **other}


# unit value, reference, spread, rule, flagged, min_channel
FLAGGING = [
    (1.2, 8.0, 0.2, RULE, True, None),            # 85 % below, 9.5 spreads
    (0.5, 8.0, 0.2, RULE, True, Channel.YELLOW),  # below a tenth: documentary check
    (3.9, 8.0, 0.05, RULE, True, None),           # just under half, tight group
    (4.1, 8.0, 0.05, RULE, False, None),          # many spreads but above half
    (1.0, 8.0, 1.0, RULE, False, None),           # an eighth, but prices vary that much
    (1.0, 8.0, 1.0, ValuationRule(threshold_sigma=1.5), True, None),
    (3.0, 8.0, 0.2, ValuationRule(max_ratio=0.3), False, None),
    (1.2, 8.0, None, RULE, True, None),           # spread unknown: the ratio alone
    (None, 8.0, 0.2, RULE, False, None),          # no unit value (no mass, zero mass)
    (0.0, 8.0, 0.2, RULE, False, None),           # zero value: not a price to compare
    (1.2, None, None, RULE, False, None),         # no reference
    (1.2, 0.0, 0.2, RULE, False, None),
    (12.0, 8.0, 0.2, RULE, False, None),          # above the reference
]


@pytest.mark.parametrize(("uv", "ref", "spread", "rule", "flagged", "channel"), FLAGGING)
def test_flagging_table(uv: float | None, ref: float | None, spread: float | None,
                        rule: ValuationRule, flagged: bool, channel: Channel | None) -> None:
    hits = rule.hits(item_frame(priced(uv, ref, spread)))
    assert bool(hits) is flagged
    if flagged:
        (decl, hit), = hits
        assert decl == 0 and hit.item == 1
        assert (hit.source, hit.area, hit.hard) == (Source.VALUATION, Area.VALUATION, False)
        assert hit.min_channel == channel
        assert rule.min_weight <= hit.weight <= rule.max_weight


@pytest.mark.parametrize("declaration_type", ["EX", "CO", "ENS"])
def test_only_imports_are_compared(declaration_type: str) -> None:
    frame = item_frame(priced(1.2, 8.0, 0.2, declaration_type=declaration_type))
    assert RULE.hits(frame) == []


@pytest.mark.parametrize(("ratio", "weight"), [
    (0.5, 0.3), (0.1, 0.8), (0.01, 0.8), (math.sqrt(0.05), 0.55)])
def test_weight_grows_on_a_log_scale_from_max_ratio_to_extreme_ratio(ratio: float,
                                                                     weight: float) -> None:
    assert RULE.weight(ratio) == pytest.approx(weight, abs=1e-4)


def test_reason_and_evidence_name_the_figures() -> None:
    lookup = pl.DataFrame({"hs6": ["610910"], "origin_country": ["CN"],
                           "reference_unit_value": [8.0], "reference_spread": [0.25],
                           "reference_observations": [42]})
    frame = with_references(item_frame({"unit_value": 1.2}), lookup)
    (_, hit), = ValuationRule(references=lookup).hits(frame)
    assert hit.reason == ("declared unit value 1.20 EUR/kg is 85 % below the reference "
                          "8.00 EUR/kg for HS 610910 from CN (n=42)")
    assert hit.evidence == {"reference": 8.0, "declared": 1.2, "ratio": 0.15,
                            "deviation_sigma": round(math.log(8 / 1.2) / 0.25, 2),
                            "observations": 42, "origin_scope": "CN"}


def test_the_all_origins_reference_says_so() -> None:
    refs = compute_references(pl.DataFrame(
        {"hs6": ["610910"] * 6, "origin_country": ["CN", "BD", "VN", "CN", "BD", "TR"],
         "date": [date(2024, 5, 1)] * 6, "unit_value": [8.0] * 6}),
        start=date(2024, 1, 1), end=date(2024, 12, 31))
    lookup = as_lookup(refs)
    frame = with_references(item_frame({"unit_value": 1.0, "origin_country": "PK"}), lookup)
    (_, hit), = ValuationRule(references=lookup).hits(frame)
    assert hit.reason.endswith("for HS 610910 (all origins, n=6)")
    assert hit.evidence["origin_scope"] == "all"


def test_the_origin_reference_wins_over_the_all_origins_one() -> None:
    lookup = pl.DataFrame({"hs6": ["610910", "610910"], "origin_country": ["CN", None],
                           "reference_unit_value": [2.0, 8.0], "reference_spread": [0.1, 0.1],
                           "reference_observations": [10, 30]})
    frame = with_references(item_frame({"unit_value": 1.5}, {"unit_value": 1.5,
                                                             "origin_country": "BD"}), lookup)
    assert frame["reference_unit_value"].to_list() == [2.0, 8.0]
    assert frame["reference_spread"].to_list() == [0.1, 0.1]
    hits = ValuationRule(references=lookup).hits(frame)
    assert [(d, h.evidence["origin_scope"]) for d, h in hits] == [(1, "all")]


def test_a_batch_gives_each_declaration_the_hits_it_gets_alone() -> None:
    rows = [priced(1.2, 8.0, 0.2), priced(9.0, 8.0, 0.2), priced(None, 8.0, 0.2),
            priced(0.4, 8.0, 0.2, item=3), priced(3.0, 8.0, None)]
    batch = RULE.hits(item_frame(*rows))
    alone = [(n, hit) for n, row in enumerate(rows) for _, hit in RULE.hits(item_frame(row))]
    assert batch == alone and len(batch) == 3


def test_an_empty_frame_has_no_hits() -> None:
    assert RULE.hits(item_frame()) == []
