"""What the carrier of an ENS/EXS is told: the outcome as its own kind with what to do, the
information a request asks for (from the hits' conditions, in fixed words), the outcome a
channel implies, and what a security officer may clear a held result to."""

from __future__ import annotations

from typing import Any

import pytest

from clearway.errors import ClearwayError
from clearway.risk.engine.decision import Area, Channel, EnsOutcome, Hit, Source
from clearway.summaries.model import (
    GENERIC_ASK,
    answer_text,
    carrier_outcome,
    check_clearance,
    information_requested,
    words,
)


def hit(condition: str, item: int | None = None, outcome: EnsOutcome = EnsOutcome.RFI,
        **evidence: Any) -> Hit:
    return Hit(Source.ENS, "ENS-X", Area.SECURITY, "staff reason: listed on R-17", item=item,
               ens_outcome=outcome, evidence={"condition": condition, **evidence})


ASKED = [  # hits -> the lines asked
    ([hit("vague_description", 2, description="spare parts")],
     ['a precise description of the goods of item 2: what they are, their material or use, '
      'and their quantity, instead of "spare parts"']),
    ([hit("incomplete_consignor", missing=["name"])],
     ["the consignor's identity: EORI number (if any), full name and address"]),
    ([hit("incomplete_consignor", missing=["name"], role="consignee")],
     ["the consignee's identity: EORI number (if any), full name and address"]),
    ([hit("new_consignee", consignee_id=None)],
     ["the consignee's identity: EORI number, full name and address"]),
    ([hit("new_consignee", consignor_id="RS1")],
     ["the consignor's identity: EORI number, full name and address"]),
    ([hit("elevated_risk_route", country="YE"), hit("elevated_risk_route", country="LY")],
     ["the full itinerary of the consignment: every country of routing, in order"]),
    ([hit("high_risk_route", outcome=EnsOutcome.HRS)], [GENERIC_ASK]),
    ([], [GENERIC_ASK]),
]


@pytest.mark.parametrize(("hits", "asked"), ASKED)
def test_the_information_requested_follows_the_conditions(hits: list[Hit],
                                                          asked: list[str]) -> None:
    found = information_requested(hits)
    assert found == asked
    assert not any("R-17" in line or "YE" in line for line in found)  # never a risk list


WORDS = [  # outcome, kind, words in the message
    (EnsOutcome.NO_RISK, "no_risk_identified", ["No risk identified", "may be loaded"]),
    (EnsOutcome.RFI, "request_for_information", ["do not load", "Information requested: X",
                                                 "/api/v1/summaries/M1/rfi/answer"]),
    (EnsOutcome.HRS, "high_risk_screening", ["screening", "customs office RS001002",
                                             "before loading"]),
    (EnsOutcome.DNL, "do_not_load", ["must not be loaded", "contact customs at customs "
                                     "office RS001002", "amended ENS"]),
]


@pytest.mark.parametrize(("outcome", "kind", "said"), WORDS)
def test_each_outcome_says_what_to_do(outcome: EnsOutcome, kind: str,
                                      said: list[str]) -> None:
    told = words(outcome, doc_type="ENS", mrn="M1", office="RS001002", asked=["X"])
    assert told.kind == kind and told.extra["outcome"] == str(outcome)
    for text in said:
        assert text in told.message
    assert "hannel" not in told.message and "present the goods" not in told.message


CHANNELS = [  # engine outcome, channel -> what the carrier is told
    (None, Channel.GREEN, EnsOutcome.NO_RISK),
    (None, Channel.BLUE, EnsOutcome.NO_RISK),
    (None, Channel.YELLOW, EnsOutcome.RFI),
    ("no_risk", Channel.RED, EnsOutcome.HRS),
    ("request_for_information", Channel.YELLOW, EnsOutcome.RFI),
    ("do_not_load", Channel.RED, EnsOutcome.DNL),
]


@pytest.mark.parametrize(("engine", "channel", "told"), CHANNELS)
def test_a_selection_without_an_outcome_still_says_what_to_do(
        engine: str | None, channel: Channel, told: EnsOutcome) -> None:
    assert carrier_outcome(engine, channel) == told


CLEARANCES = [  # held, to, allowed
    (EnsOutcome.DNL, EnsOutcome.NO_RISK, True), (EnsOutcome.DNL, EnsOutcome.HRS, True),
    (EnsOutcome.DNL, EnsOutcome.RFI, False), (EnsOutcome.HRS, EnsOutcome.NO_RISK, True),
    (EnsOutcome.HRS, EnsOutcome.DNL, False), (EnsOutcome.RFI, EnsOutcome.NO_RISK, False),
]


@pytest.mark.parametrize(("held", "to", "allowed"), CLEARANCES)
def test_what_a_held_result_may_be_cleared_to(held: EnsOutcome, to: EnsOutcome,
                                              allowed: bool) -> None:
    if allowed:
        check_clearance(held, to)
    else:
        with pytest.raises(ClearwayError) as refused:
            check_clearance(held, to)
        assert refused.value.code == "CW-SECURITY-CLEAR"


@pytest.mark.parametrize(("text", "ok"), [("Brake pads", True), ("", False), ("   ", False),
                                          ("x" * 4001, False), ("x" * 4000, True)])
def test_an_answer_holds_words(text: str, ok: bool) -> None:
    if ok:
        assert answer_text(f" {text} ") == text
    else:
        with pytest.raises(ClearwayError):
            answer_text(text)
