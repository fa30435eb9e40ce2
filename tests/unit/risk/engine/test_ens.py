"""ENS safety and security rules: the outcome table as data, vague descriptions, the rules
file, and the strongest outcome."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from clearway.risk.engine.decision import Area, Channel, EnsOutcome, Hit, Source
from clearway.risk.engine.ens import EnsRules, EnsRulesError, ens_outcome
from clearway.risk.engine.fields import ROW_KEYS, SCHEMA

RULES = EnsRules.load()
KNOWN = {"declaration_type": "ENS", "consignor_id": "CN9100000001", "consignor_name": "Acme",
         "consignee_id": "RS100234567", "trader_days_known": 400, "route_countries": ["CN"],
         "place_of_loading": "CNSHA", "item": 1, "description": "Cotton T-shirts"}
VAGUE = {"description": "FAK"}
NO_CONSIGNOR = {"consignor_id": None}
NEW_CONSIGNEE = {"trader_days_known": 3}
SY = {"route_countries": ["CN", "SY"]}
YE = {"route_countries": ["YE"]}
LATAKIA = {"place_of_loading": "SYLTK"}
NITRATE = {"dangerous_goods_un": "UN1942"}


def ens_frame(*declarations: list[dict[str, Any]]) -> pl.DataFrame:
    records = [{"_decl": n, "_key": f"E{n}", **KNOWN, "item": i + 1, **item}
               for n, items in enumerate(declarations) for i, item in enumerate(items)]
    return pl.DataFrame(records, schema={**ROW_KEYS, **SCHEMA})


def merged(*parts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for part in parts for k, v in part.items()}


# changes to a known, clean consignment -> (refs of the hits in order, outcome)
OUTCOMES = [
    ({}, [], EnsOutcome.NO_RISK),
    (VAGUE, ["ENS-VAGUE"], EnsOutcome.RFI),
    (NO_CONSIGNOR, ["ENS-CONSIGNOR"], EnsOutcome.RFI),
    ({"consignor_name": " "}, ["ENS-CONSIGNOR"], EnsOutcome.RFI),
    (NEW_CONSIGNEE, ["ENS-CONSIGNEE"], EnsOutcome.RFI),
    ({"trader_days_known": None}, ["ENS-CONSIGNEE"], EnsOutcome.RFI),
    ({"consignee_id": None}, ["ENS-CONSIGNEE"], EnsOutcome.RFI),
    ({"trader_days_known": 30}, [], EnsOutcome.NO_RISK),
    (YE, ["ENS-ROUTE"], EnsOutcome.RFI),
    (SY, ["ENS-ROUTE"], EnsOutcome.HRS),
    (LATAKIA, ["ENS-LOADING"], EnsOutcome.HRS),
    ({"place_of_loading": "sy ltk"}, ["ENS-LOADING"], EnsOutcome.HRS),
    (NITRATE, ["ENS-DG"], EnsOutcome.HRS),
    ({"dangerous_goods_un": "1203"}, [], EnsOutcome.NO_RISK),  # petrol: not listed
    (merged(SY, VAGUE), ["ENS-ROUTE", "ENS-VAGUE"], EnsOutcome.HRS),
    (merged(VAGUE, NO_CONSIGNOR), ["ENS-CONSIGNOR", "ENS-VAGUE"], EnsOutcome.RFI),
    (merged(SY, VAGUE, NO_CONSIGNOR),
     ["ENS-DNL", "ENS-CONSIGNOR", "ENS-ROUTE", "ENS-VAGUE"], EnsOutcome.DNL),
    (merged(SY, VAGUE, NEW_CONSIGNEE),
     ["ENS-DNL", "ENS-CONSIGNEE", "ENS-ROUTE", "ENS-VAGUE"], EnsOutcome.DNL),
    (merged(LATAKIA, VAGUE, NO_CONSIGNOR),
     ["ENS-DNL", "ENS-CONSIGNOR", "ENS-LOADING", "ENS-VAGUE"], EnsOutcome.DNL),
    (merged(SY, NITRATE, NEW_CONSIGNEE),
     ["ENS-DNL", "ENS-CONSIGNEE", "ENS-ROUTE", "ENS-DG"], EnsOutcome.DNL),
    # an elevated-risk route is not a high-risk one: no do-not-load
    (merged(YE, VAGUE, NO_CONSIGNOR), ["ENS-CONSIGNOR", "ENS-ROUTE", "ENS-VAGUE"],
     EnsOutcome.RFI),
]


@pytest.mark.parametrize(("changes", "refs", "outcome"), OUTCOMES)
def test_outcome_table(changes: dict[str, Any], refs: list[str], outcome: EnsOutcome) -> None:
    hits = [hit for _, hit in RULES.hits(ens_frame([changes]))]
    assert [h.ref for h in hits] == refs
    assert ens_outcome(hits) == outcome
    for hit in hits:
        assert (hit.source, hit.area, hit.hard) == (Source.ENS, Area.SECURITY, True)
        assert hit.min_channel == (Channel.YELLOW if hit.ens_outcome == EnsOutcome.RFI
                                   else Channel.RED)
        assert hit.reason and hit.instructions and hit.evidence["condition"]


# description -> vague?
DESCRIPTIONS = [
    ("FAK", True), ("freight  all kinds", True), ("General Cargo", True),
    ("consolidated cargo as per invoice", True), ("MISC.", True),
    ("spare parts", True), ("Parts", True), ("samples", True), ("various goods", True),
    ("said to contain 20 cartons", True), ("STC 3 pallets of goods", True),
    ("personal effects", True), ("", True), (None, True),
    ("said to contain 20 cartons of shoes", False), ("brake pads and spare parts", False),
    ("Cotton T-shirts", False), ("Electric shavers", False), ("goodwill cards", False),
    ("STCW training manuals", False), ("partsfaktor", False), ("Ventilatorteile", False),
    ("ролики подшипников", False), ("ball bearings, 200 pcs", False),
]


@pytest.mark.parametrize(("description", "vague"), DESCRIPTIONS)
def test_vague_descriptions(description: str | None, vague: bool) -> None:
    refs = [h.ref for _, h in RULES.hits(ens_frame([{"description": description}]))]
    assert (refs == ["ENS-VAGUE"]) is vague


def test_item_hits_name_their_item_and_header_hits_none() -> None:
    frame = ens_frame([{"consignor_id": None}, VAGUE, NITRATE])
    found = [(h.ref, h.item) for _, h in RULES.hits(frame)]
    assert found == [("ENS-CONSIGNOR", None), ("ENS-VAGUE", 2), ("ENS-DG", 3)]


def test_reasons_say_what_was_found() -> None:
    hits = {h.ref: h for _, h in RULES.hits(ens_frame([merged(SY, VAGUE, NO_CONSIGNOR)]))}
    assert hits["ENS-DNL"].reason == ("do not load: high risk route, unknown party and vague "
                                      "description together")
    assert hits["ENS-ROUTE"].reason.startswith("routed through SY (high-risk routing country")
    assert hits["ENS-VAGUE"].reason == 'goods description "FAK" is too vague to assess (FAK)'
    assert hits["ENS-CONSIGNOR"].evidence["missing"] == ["id"]


def test_only_ens_rows_are_assessed() -> None:
    frame = ens_frame([merged(SY, VAGUE, NO_CONSIGNOR, {"declaration_type": "IM"})])
    assert RULES.hits(frame) == []


def test_a_batch_gives_each_declaration_the_hits_it_gets_alone() -> None:
    cases = [[c] for c, _, _ in OUTCOMES] + [[VAGUE, NITRATE, {}]]
    batch = RULES.hits(ens_frame(*cases))
    alone = [(n, hit) for n, case in enumerate(cases) for _, hit in RULES.hits(ens_frame(case))]
    assert batch == alone


@pytest.mark.parametrize(("hits", "outcome"), [
    ([], EnsOutcome.NO_RISK),
    ([Hit(Source.PROFILE, "P1", Area.SECURITY, "x")], EnsOutcome.NO_RISK),
    ([Hit(Source.ENS, "a", Area.SECURITY, "x", ens_outcome=EnsOutcome.RFI),
      Hit(Source.SCREENING, "b", Area.SECURITY, "x", ens_outcome=EnsOutcome.DNL),
      Hit(Source.ENS, "c", Area.SECURITY, "x", ens_outcome=EnsOutcome.HRS)], EnsOutcome.DNL),
])
def test_ens_outcome_is_the_strongest(hits: list[Hit], outcome: EnsOutcome) -> None:
    assert ens_outcome(hits) == outcome


def test_configured_outcomes_and_consignor_requirements(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('consignor_required = ["name"]\n[outcomes]\nnew_consignee = "HRS"\n'
                    '[routing_countries]\nXX = { severity = "high" }\n')
    rules = EnsRules.load(path)
    found = [h for _, h in rules.hits(ens_frame([merged(NO_CONSIGNOR, NEW_CONSIGNEE, VAGUE)]))]
    assert [(h.ref, h.ens_outcome) for h in found] == [("ENS-CONSIGNEE", EnsOutcome.HRS)]


@pytest.mark.parametrize("text", [
    '[outcomes]\nvague_description = "MAYBE"\n',
    '[outcomes]\nweather = "RFI"\n',
    '[[do_not_load]]\nwhen = ["vague_description", "full_moon"]\n',
    '[routing_countries]\nSY = { severity = "extreme" }\n',
    '[descriptions]\nalways_vague = ["(unclosed"]\n',
    'consignor_required = ["eori"]\n',
    'not toml at all [',
])
def test_bad_rules_files_are_refused_with_a_reason(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    with pytest.raises(EnsRulesError):
        EnsRules.load(path)
