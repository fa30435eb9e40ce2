"""The envelope and the receipt read back what they write, and refuse anything else with
CW-EXCH-ENVELOPE."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from clearway.exchange.model import Envelope, ExchangeRefused, Receipt
from unit.exchange.exchange_data import NOW, envelope, example


def test_an_envelope_reads_back_what_it_writes() -> None:
    sent = envelope(ref_to_message_id="m-0", caveats=("a", "b"))
    assert Envelope.from_dict(sent.as_dict()) == sent


def test_a_time_with_an_offset_reads_as_utc() -> None:
    data = envelope().as_dict() | {"created_at": "2026-03-02T12:00:00+02:00"}
    assert Envelope.from_dict(data).created_at == NOW
    assert Envelope.from_dict(data).created_at.tzinfo == UTC


def _without(name: str) -> dict[str, Any]:
    data = envelope().as_dict()
    del data[name]
    return data


BAD_ENVELOPES = [
    ("not an object", ["m-1"]),
    ("missing message_id", _without("message_id")),
    ("missing created_at", _without("created_at")),
    ("blank purpose", envelope().as_dict() | {"purpose": "  "}),
    ("number as sender", envelope().as_dict() | {"from_party": 7}),
    ("unknown field", envelope().as_dict() | {"extra": "x"}),
    ("naive time", envelope().as_dict() | {"created_at": "2026-03-02T10:00:00"}),
    ("not a time", envelope().as_dict() | {"created_at": "yesterday"}),
    ("caveats not a list", envelope().as_dict() | {"caveats": "secret"}),
    ("caveat not a text", envelope().as_dict() | {"caveats": [1]}),
    ("empty reply-to", envelope().as_dict() | {"ref_to_message_id": ""}),
]


@pytest.mark.parametrize(("case", "data"), BAD_ENVELOPES, ids=[c for c, _ in BAD_ENVELOPES])
def test_a_malformed_envelope_is_refused(case: str, data: object) -> None:
    with pytest.raises(ExchangeRefused) as refused:
        Envelope.from_dict(data)
    assert (refused.value.code, refused.value.status) == ("CW-EXCH-ENVELOPE", 422)


def test_a_receipt_reads_back_what_it_writes() -> None:
    receipt = Receipt("m-1", datetime(2026, 3, 2, 10, 0, 1, tzinfo=UTC), "MK", "ab" * 32)
    assert Receipt.from_dict(receipt.as_dict()) == receipt
    with pytest.raises(ExchangeRefused, match="CW-EXCH-ENVELOPE"):
        Receipt.from_dict(receipt.as_dict() | {"extra": 1})


def test_an_agreement_is_valid_between_its_dates_and_binds_two_of_its_parties() -> None:
    agreement = example()
    assert agreement.valid_on(agreement.valid_from)
    assert not agreement.valid_on(agreement.valid_from.replace(year=2025))
    assert agreement.binds("RS", "MK") and agreement.binds("MK", "RS")
    assert not agreement.binds("RS", "RS") and not agreement.binds("RS", "AL")
