"""The safety and security rules run on exit summaries (EXS) as on entry summaries (ENS),
through the same item frame, with the parties mirrored: the party abroad (ENS consignor, EXS
consignee) must be identifiable, the party here (ENS consignee, EXS consignor) known."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clearway.declarations.model import EntrySummaryDeclaration, ExitSummaryDeclaration
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.decision import EnsOutcome
from clearway.risk.engine.ens import EnsRules, ens_outcome
from clearway.risk.engine.frame import TraderRecord, flatten, trader_of

REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
DAY = date(2026, 11, 20)
RULES = EnsRules.load()
HERE = {"id": "RS100234567", "name": "Dunav Trade d.o.o. Beograd"}
ABROAD = {"id": "CN3206825541173", "name": "Foshan Huayu Ceramics", "address": {"country": "CN"}}
KNOWN = {"RS100234567": TraderRecord(declarations=5, first_seen=date(2020, 1, 1))}


def doc(kind: str, **changes: Any) -> EntrySummaryDeclaration | ExitSummaryDeclaration:
    data: dict[str, Any] = {
        "lrn": "S-1", "declarant": HERE, "carrier": HERE,
        "consignor": ABROAD if kind == "ENS" else HERE,
        "consignee": HERE if kind == "ENS" else ABROAD,
        "route_countries": ["CN"], "place_of_loading": "CNSHA",
        "items": [{"sequence": 1, "hs6": "690721", "description": "Porcelain floor tiles"}]}
    data.update(changes)
    model = EntrySummaryDeclaration if kind == "ENS" else ExitSummaryDeclaration
    return model.model_validate(data)


def hits(d: EntrySummaryDeclaration | ExitSummaryDeclaration) -> list[Any]:
    frame = flatten([d], [DAY], REF, traders=KNOWN)
    return [h for _, h in RULES.hits(frame)]


CASES = [  # kind, changes, hit refs, outcome, words in the first reason
    ("ENS", {}, [], EnsOutcome.NO_RISK, None),
    ("EXS", {}, [], EnsOutcome.NO_RISK, None),
    ("EXS", {"consignee": {"id": "CN1", "address": {"country": "CN"}}}, ["ENS-CONSIGNOR"],
     EnsOutcome.RFI, "consignee name missing"),
    ("EXS", {"consignor": {"id": "RS999000111", "name": "New d.o.o."}}, ["ENS-CONSIGNEE"],
     EnsOutcome.RFI, "consignor RS999000111 never declared"),
    ("EXS", {"route_countries": ["SY"]}, ["ENS-ROUTE"], EnsOutcome.HRS, "SY"),
    ("EXS", {"items": [{"sequence": 1, "hs6": "310230", "description": "FAK",
                        "dangerous_goods_un": "1942"}]},
     ["ENS-VAGUE", "ENS-DG"], EnsOutcome.HRS, "vague"),
    ("EXS", {"route_countries": ["SY"], "consignee": {"id": "CN1"},
             "items": [{"sequence": 1, "hs6": "690721", "description": "general cargo"}]},
     ["ENS-DNL", "ENS-CONSIGNOR", "ENS-ROUTE", "ENS-VAGUE"], EnsOutcome.DNL, "do not load"),
]


@pytest.mark.parametrize(("kind", "changes", "refs", "outcome", "words"), CASES)
def test_the_same_rules_answer_entry_and_exit(kind: str, changes: dict[str, Any],
                                              refs: list[str], outcome: EnsOutcome,
                                              words: str | None) -> None:
    found = hits(doc(kind, **changes))
    assert [h.ref for h in found] == refs
    assert ens_outcome(found) == outcome
    if words:
        assert words in found[0].reason


def test_the_trader_of_an_exs_is_its_consignor() -> None:
    assert trader_of(doc("EXS")) == "RS100234567"
    assert trader_of(doc("ENS")) == "RS100234567"
    frame = flatten([doc("EXS")], [DAY], REF, traders=KNOWN)
    assert frame["office"].to_list() == [None]
    assert frame["consignee_country"].to_list() == ["CN"]
