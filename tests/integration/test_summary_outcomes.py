"""ENS and EXS as the carrier sees them: each outcome its own notification with what to do
(never a channel), the request for information and its answer loop."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clearway.clearance import lodging, summary_actions
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.storage.orm import AuditRow
from clearway.summaries import repository as rfi_repo
from summary_helpers import CARRIER, OFFICE, lodge, notes, rfis, status, summary, with_summary_rules

VAGUE = [{"sequence": 1, "hs6": "870830", "gross_mass": "500", "description": "spare parts"}]
NAMELESS = {"id": "CN3206825541173", "address": {"country": "CN"}}  # abroad, no name
PRECISE = [{"sequence": 1, "hs6": "870830", "gross_mass": "500",
            "description": "Brake pads for passenger cars, ceramic"}]


@pytest.fixture
def sctx(ctx: Context, tmp_path: Path) -> Context:
    with_summary_rules(ctx, tmp_path)
    return ctx


OUTCOMES = [  # name, type, changes, status, kind, words in the message
    ("no risk", "ENS", {}, "released", "no_risk_identified", ["may be loaded"]),
    ("RFI: vague", "ENS", {"items": VAGUE}, "risk_assessed", "request_for_information",
     ["do not load", "precise description of the goods of item 1", "spare parts",
      "/rfi/answer", "amends_mrn"]),
    ("RFI: consignor", "ENS", {"consignor": NAMELESS}, "risk_assessed",
     "request_for_information", ["consignor's identity"]),
    ("HRS: route", "ENS", {"route_countries": ["SY", "GR"]}, "risk_assessed",
     "high_risk_screening", ["present the consignment", "screening", OFFICE]),
    ("DNL", "ENS", {"route_countries": ["SY"], "items": VAGUE,
                    "consignor": NAMELESS},
     "risk_assessed", "do_not_load", ["must not be loaded", "barred until customs clear"]),
    ("EXS no risk", "EXS", {}, "released", "no_risk_identified", ["EXS", "may be loaded"]),
    ("EXS RFI: consignee abroad", "EXS", {"consignee": NAMELESS},
     "risk_assessed", "request_for_information", ["consignee's identity"]),
    ("EXS HRS", "EXS", {"route_countries": ["SY"]}, "risk_assessed", "high_risk_screening",
     [OFFICE]),
]


@pytest.mark.parametrize(("name", "kind", "changes", "final", "told", "words"), OUTCOMES,
                         ids=[c[0] for c in OUTCOMES])
def test_each_outcome_is_its_own_notification(sctx: Context, name: str, kind: str,
                                              changes: dict[str, Any], final: str, told: str,
                                              words: list[str]) -> None:
    row = lodge(sctx, summary(kind, **changes))
    assert status(sctx, row) == final
    outcome_notes = [n for n in notes(sctx, row) if n.kind not in ("accepted",)]
    assert [n.kind for n in outcome_notes] == [told]
    payload = outcome_notes[0].payload
    assert payload["outcome"] == {"no_risk_identified": "no_risk"}.get(told, told)
    for word in words:
        assert word in payload["message"], (word, payload["message"])
    for never in ("Channel", "channel", "present the goods", "reason"):
        assert never not in payload["message"]
    assert "channel" not in payload
    asked = payload.get("information_requested")
    assert (asked is not None) == (told == "request_for_information")
    assert [r.status for r in rfis(sctx, row)] == (["open"] if asked else [])


def test_rfi_answered_by_amendment_is_reassessed_and_closed(sctx: Context) -> None:
    row = lodge(sctx, summary(items=VAGUE))
    [rfi] = rfis(sctx, row)
    assert rfi.status == "open" and rfi.asked_at is not None and rfi.answered_at is None
    amended = summary(items=PRECISE, function_code="13", amends_mrn=row.mrn,
                      amendment_reason="precise description")
    lodge(sctx, amended)
    [rfi] = rfis(sctx, row)
    assert (rfi.status, rfi.answered_by, rfi.answer_version, rfi.outcome_after) == (
        "closed", "amendment", 2, "no_risk")
    assert rfi.answered_at == rfi.closed_at == sctx.clock.now()
    assert status(sctx, row) == "released"
    assert [n.kind for n in notes(sctx, row)][-2:] == ["amended", "no_risk_identified"]
    with sctx.uow() as uow:
        actions = list(uow.session.execute(select(AuditRow.action)).scalars())
    assert "summary.rfi_answered" in actions and "declaration.risk_reassessed" in actions
    assert actions.index("summary.rfi_asked") < actions.index("summary.rfi_answered")


def test_an_amendment_still_vague_asks_again(sctx: Context) -> None:
    row = lodge(sctx, summary(items=VAGUE))
    lodge(sctx, summary(items=VAGUE, function_code="13", amends_mrn=row.mrn,
                        route_countries=["CN"]))
    first, second = rfis(sctx, row)
    assert (first.status, first.outcome_after, second.status) == (
        "closed", "request_for_information", "open")
    assert status(sctx, row) == "risk_assessed"


def test_rfi_answered_in_words_closes_it_and_unanswered_stays_open(sctx: Context) -> None:
    answered = lodge(sctx, summary(items=VAGUE))
    waiting = lodge(sctx, summary(lrn="S-2", items=VAGUE))
    summary_actions.answer_rfi(sctx, answered.mrn or "", "Brake pads, ceramic, 40 cartons",
                               CARRIER)
    [rfi] = rfis(sctx, answered)
    assert (rfi.status, rfi.answered_by, rfi.answer) == (
        "closed", "text", "Brake pads, ceramic, 40 cartons")
    assert notes(sctx, answered)[-1].kind == "rfi_answered"
    with sctx.uow() as uow:
        still = rfi_repo.open_requests(uow.session)
    assert [r.declaration_id for r in still] == [waiting.id]
    with pytest.raises(ClearwayError) as again:
        summary_actions.answer_rfi(sctx, answered.mrn or "", "once more", CARRIER)
    assert again.value.code == "CW-RFI-NOT-OPEN"
    with pytest.raises(ClearwayError) as empty:
        summary_actions.answer_rfi(sctx, waiting.mrn or "", "  ", CARRIER)
    assert empty.value.code == "CW-RFI-ANSWER"


def test_an_amendment_never_lowers_a_do_not_load(sctx: Context) -> None:
    row = lodge(sctx, summary(route_countries=["SY"], items=VAGUE,
                              consignor=NAMELESS))
    lodge(sctx, summary(route_countries=["SY"], items=PRECISE, function_code="13",
                        amends_mrn=row.mrn, consignor=NAMELESS))
    assert status(sctx, row) == "risk_assessed"
    assert notes(sctx, row)[-1].kind == "do_not_load"


def test_exs_is_refused_with_coded_errors_when_its_office_of_exit_is_wrong(
        sctx: Context) -> None:
    doc = summary("EXS", offices={"first_entry": OFFICE})
    out = lodging.submit(sctx, json.dumps(doc).encode(), "application/json", CARRIER)
    assert out.kind == "rejected"
    assert {e.code for e in out.errors} == {"CW-EXS-OFFICE-EXIT", "CW-EXS-FIRST-ENTRY"}
