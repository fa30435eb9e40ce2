"""The mirror-aggregates payload and the month: a row has exactly hs6, value, mass and count,
so no trader data can travel in it; anything else is CW-EXCH-PAYLOAD."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from clearway.errors import ClearwayError
from clearway.exchange.model import ExchangeRefused
from clearway.mirror.model import (
    AggregateRow,
    MirrorAggregates,
    month,
    partner_code,
    previous_month,
)

ROW = {"hs6": "851010", "value_eur": 10.5, "mass_kg": 2.0, "count": 3}


def test_a_well_formed_payload_reads_back_as_sent() -> None:
    payload = {"period": "2026-11", "rows": [ROW]}
    assert MirrorAggregates.from_payload(payload).as_payload() == payload


@pytest.mark.parametrize("payload", [
    {"period": "2026-11", "rows": [{**ROW, "exporter": "RS100234567"}]},
    {"period": "2026-11", "rows": [{**ROW, "eori": "RS100234567"}]},
    {"period": "2026-11", "rows": [{**ROW, "name": "Shaver Co."}]},
    {"period": "2026-11", "rows": [ROW], "parties": []},
    {"period": "2026-13", "rows": []},
    {"period": "2026-11"},
    {"period": "2026-11", "rows": [{**ROW, "hs6": "8510"}]},
    {"period": "2026-11", "rows": [{**ROW, "value_eur": -1}]},
    {"period": "2026-11", "rows": [{**ROW, "mass_kg": "NaN"}]},
    {"period": "2026-11", "rows": [ROW, ROW]},
    {"period": "2026-11", "rows": "851010"},
])
def test_anything_but_the_aggregates_is_refused(payload: dict[str, Any]) -> None:
    with pytest.raises(ExchangeRefused) as refused:
        MirrorAggregates.from_payload(payload)
    assert refused.value.code == "CW-EXCH-PAYLOAD"


def test_a_row_has_no_field_for_a_trader() -> None:
    assert set(AggregateRow.model_fields) == {"hs6", "value_eur", "mass_kg", "count"}


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2026-11", "2026-11-01", "2026-11-30"), ("2028-02", "2028-02-01", "2028-02-29"),
    ("2026-12", "2026-12-01", "2026-12-31")])
def test_a_month_is_its_days(text: str, first: str, last: str) -> None:
    span = month(text)
    assert (span.first.isoformat(), span.last.isoformat()) == (first, last)


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26-11", "1999-12", "november", ""])
def test_a_malformed_month_is_refused(text: str) -> None:
    with pytest.raises(ClearwayError) as refused:
        month(text)
    assert refused.value.code == "CW-MIRROR-INPUT"


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 12, 6, tzinfo=UTC), "2026-11"), (datetime(2027, 1, 1, tzinfo=UTC), "2026-12")])
def test_the_monthly_send_covers_the_month_before(now: datetime, expected: str) -> None:
    assert previous_month(now) == expected


@pytest.mark.parametrize(("text", "ok"), [("mk", True), ("RS", False), ("MKD", False),
                                          ("1K", False)])
def test_a_partner_is_another_country(text: str, ok: bool) -> None:
    if ok:
        assert partner_code(text, "RS") == text.upper()
    else:
        with pytest.raises(ClearwayError, match="CW-MIRROR-INPUT"):
            partner_code(text, "RS")
