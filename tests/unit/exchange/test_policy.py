"""Policy as data: each message that may not leave or enter, with the code that refuses it,
and minimisation of every message type of the example agreement."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from clearway.exchange import policy
from clearway.exchange.model import Agreement, Envelope, ExchangeRefused, Partner
from unit.exchange.exchange_data import NOW, TODAY, envelope, example, partner

WINDOW = timedelta(minutes=5)
AGREEMENT = example()
EXPIRED = replace(AGREEMENT, valid_to=TODAY - timedelta(days=1))
NOT_YET = replace(AGREEMENT, valid_from=TODAY + timedelta(days=1))
OTHERS = replace(AGREEMENT, parties=frozenset({"RS", "AL"}))
PING = envelope(action="ping", payload_type="ping")

# (case, envelope, agreement, code): refused the same way going out and coming in.
BOTH_WAYS: list[tuple[str, Envelope, Agreement | None, str]] = [
    ("no agreement", envelope(), None, "CW-EXCH-AGREEMENT-MISSING"),
    ("another agreement's id", envelope(agreement_ref="RS-AL-1"), AGREEMENT,
     "CW-EXCH-AGREEMENT-MISSING"),
    ("recipient not a party", envelope(), OTHERS, "CW-EXCH-AGREEMENT-MISSING"),
    ("expired", envelope(), EXPIRED, "CW-EXCH-AGREEMENT-EXPIRED"),
    ("not yet in force", envelope(), NOT_YET, "CW-EXCH-AGREEMENT-EXPIRED"),
    ("type not agreed", envelope(action="surveillance-request"), AGREEMENT, "CW-EXCH-TYPE"),
    ("purpose not agreed", envelope(purpose="tax-collection"), AGREEMENT, "CW-EXCH-PURPOSE"),
]
OUT_ONLY: list[tuple[str, Envelope, Agreement | None, str]] = [
    ("no legal article", envelope(legal_article=" "), AGREEMENT, "CW-EXCH-BASIS"),
    ("no purpose", envelope(purpose=""), AGREEMENT, "CW-EXCH-BASIS"),
    ("no sender", envelope(from_party=""), AGREEMENT, "CW-EXCH-BASIS"),
]


@pytest.mark.parametrize(("case", "sent", "agreement", "code"), BOTH_WAYS + OUT_ONLY,
                         ids=[c[0] for c in BOTH_WAYS + OUT_ONLY])
def test_a_message_that_may_not_leave_is_refused(case: str, sent: Envelope,
                                                 agreement: Agreement | None, code: str) -> None:
    with pytest.raises(ExchangeRefused) as refused:
        policy.outgoing(sent, {"mrn": "26RS000000000001X1"}, agreement, TODAY)
    assert refused.value.code == code


# (case, envelope, payload, partner, code): refusals only the receiver makes.
IN_ONLY: list[tuple[str, Envelope, dict[str, Any], Partner | None, str]] = [
    ("unknown sender", envelope(), {}, None, "CW-EXCH-UNKNOWN-PARTNER"),
    ("suspended sender", envelope(), {}, partner(status="suspended"), "CW-EXCH-UNKNOWN-PARTNER"),
    ("the register's entry is another's", envelope(), {}, partner(code="AL"),
     "CW-EXCH-UNKNOWN-PARTNER"),
    ("for another administration", envelope(to_party="AL"), {}, partner(), "CW-EXCH-NOT-FOR-US"),
    ("too old", envelope(created_at=NOW - WINDOW - timedelta(seconds=1)), {}, partner(),
     "CW-EXCH-STALE"),
    ("from the future", envelope(created_at=NOW + WINDOW + timedelta(seconds=1)), {}, partner(),
     "CW-EXCH-STALE"),
    ("field not agreed", envelope(), {"mrn": "x", "exporter_name": "Jane Roe"}, partner(),
     "CW-EXCH-FIELD"),
    ("field of another purpose", envelope(purpose="risk-analysis"), {"question": "?"}, partner(),
     "CW-EXCH-FIELD"),
]


@pytest.mark.parametrize(("case", "sent", "agreement", "code"), BOTH_WAYS,
                         ids=[c[0] for c in BOTH_WAYS])
def test_an_agreement_that_does_not_cover_the_message_refuses_it_on_arrival(
        case: str, sent: Envelope, agreement: Agreement | None, code: str) -> None:
    with pytest.raises(ExchangeRefused) as refused:
        policy.incoming(sent, {}, partner=partner(), agreement=agreement, own_code="MK",
                        now=NOW, window=WINDOW)
    assert refused.value.code == code


@pytest.mark.parametrize(("case", "sent", "payload", "sender", "code"), IN_ONLY,
                         ids=[c[0] for c in IN_ONLY])
def test_a_message_that_may_not_enter_is_refused(case: str, sent: Envelope,
                                                 payload: dict[str, Any],
                                                 sender: Partner | None, code: str) -> None:
    with pytest.raises(ExchangeRefused) as refused:
        policy.incoming(sent, payload, partner=sender, agreement=AGREEMENT, own_code="MK",
                        now=NOW, window=WINDOW)
    assert refused.value.code == code


def test_a_refused_field_is_named() -> None:
    with pytest.raises(ExchangeRefused, match="'exporter_name'"):
        policy.incoming(envelope(), {"mrn": "x", "exporter_name": "Jane Roe"}, partner=partner(),
                        agreement=AGREEMENT, own_code="MK", now=NOW, window=WINDOW)


def test_a_message_within_the_window_and_agreement_enters() -> None:
    for moment in (NOW - WINDOW, NOW + WINDOW):
        policy.incoming(envelope(created_at=moment), {"mrn": "x", "goods_items": []},
                        partner=partner(), agreement=AGREEMENT, own_code="MK", now=NOW,
                        window=WINDOW)


@pytest.mark.parametrize(("created", "sent", "refused"), [
    (NOW - timedelta(hours=6), NOW, False),  # held through an outage, signed anew: fresh
    (NOW, NOW - WINDOW - timedelta(seconds=1), True),  # a copy played back later: stale
    (NOW, NOW + WINDOW + timedelta(seconds=1), True),
])
def test_the_window_bounds_when_the_signed_copy_left(created: datetime, sent: datetime,
                                                      refused: bool) -> None:
    def check() -> None:
        policy.incoming(envelope(created_at=created), {"mrn": "x"}, partner=partner(),
                        agreement=AGREEMENT, own_code="MK", now=NOW, window=WINDOW,
                        sent_at=sent)
    if refused:
        with pytest.raises(ExchangeRefused, match="CW-EXCH-STALE"):
            check()
    else:
        check()


# Every message type of the example agreement, with a purpose it is sent for.
PURPOSE_OF = {"anticipated-arrival": "risk-analysis", "exit-confirmation": "transit-control",
              "mutual-assistance-request": "mutual-assistance",
              "mutual-assistance-reply": "mutual-assistance", "mirror-aggregates": "statistics",
              "correction": "data-protection", "ping": "risk-analysis",
              "progress-report": "progress-report"}
EXTRA = {"exporter_name": "Jane Roe", "date_of_birth": "1980-01-01", "internal_score": 0.93}


def test_the_table_covers_every_message_type_of_the_example() -> None:
    assert set(PURPOSE_OF) == AGREEMENT.message_types


@pytest.mark.parametrize("action", sorted(PURPOSE_OF))
def test_minimisation_strips_every_field_the_purpose_does_not_allow(action: str) -> None:
    sent = envelope(action=action, payload_type=action, purpose=PURPOSE_OF[action])
    allowed = AGREEMENT.fields[sent.purpose]
    payload = {name: f"value of {name}" for name in allowed} | EXTRA
    kept = policy.outgoing(sent, payload, AGREEMENT, TODAY)
    assert kept == {name: f"value of {name}" for name in allowed}
    policy.incoming(sent, kept, partner=partner(), agreement=AGREEMENT, own_code="MK", now=NOW,
                    window=WINDOW)
    with pytest.raises(ExchangeRefused, match="CW-EXCH-FIELD"):
        policy.incoming(sent, payload, partner=partner(), agreement=AGREEMENT, own_code="MK",
                        now=NOW, window=WINDOW)


def test_a_ping_with_only_its_note_leaves_unchanged() -> None:
    assert policy.outgoing(PING, {"note": "hello"}, AGREEMENT, TODAY) == {"note": "hello"}
