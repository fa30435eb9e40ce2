"""Applications for action: field shapes, the one-year limit, terms that can match, HS prefixes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from clearway.errors import DocumentInvalid
from clearway.ipr.model import DEFAULT_INSTRUCTIONS, one_year_after, parse_application


def data(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "reference": "AFA-RS-2026-0001", "right_holder": "Nike Innovate C.V.",
        "contact": "brand.protection@example.com", "goods_description": "Footwear",
        "brands": ["Nike"], "keywords": [], "hs_codes": ["6403"],
        "valid_from": "2026-01-10", "valid_to": "2027-01-09"}
    base.update(changes)
    return base


def codes(**changes: Any) -> list[tuple[str, str | None]]:
    with pytest.raises(DocumentInvalid) as caught:
        parse_application(data(**changes))
    return [(e.code, e.pointer) for e in caught.value.errors]


@pytest.mark.parametrize(("start", "limit"), [
    (date(2026, 1, 10), date(2027, 1, 10)),
    (date(2028, 2, 29), date(2029, 3, 1)),   # no 29 February next year
    (date(2026, 12, 31), date(2027, 12, 31)),
    (date(9999, 6, 1), None),                # past the calendar: no limit to compute
])
def test_one_year_after(start: date, limit: date | None) -> None:
    assert one_year_after(start) == limit


@pytest.mark.parametrize(("valid_from", "valid_to", "ok"), [
    ("2026-01-10", "2027-01-09", True),     # one year to the day: the most allowed
    ("2026-01-10", "2027-01-10", False),    # a year and a day
    ("2026-01-10", "2026-01-10", True),     # a single day
    ("2026-01-10", "2026-01-09", False),    # reversed
    ("2028-02-29", "2029-02-28", True),
    ("2028-02-29", "2029-03-01", False),
    ("2026-01-10", "2030-01-01", False),
])
def test_validity_is_at_most_one_year(valid_from: str, valid_to: str, ok: bool) -> None:
    if ok:
        app = parse_application(data(valid_from=valid_from, valid_to=valid_to))
        assert app.valid_to == date.fromisoformat(valid_to)
    else:
        assert codes(valid_from=valid_from, valid_to=valid_to) == [
            ("CW-IPR-VALIDITY", "/valid_to")]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"brands": [], "keywords": []}, [("CW-IPR-TERMS", "/brands")]),
    ({"brands": ["\u8010\u514b"]}, [("CW-IPR-TERMS", "/brands/0")]),      # no Latin reading
    ({"keywords": ["ok", "!!!"]}, [("CW-IPR-TERMS", "/keywords/1")]),
    ({"hs_codes": ["64a3"]}, [("CW-IPR-CODE", "/hs_codes/0")]),
    ({"hs_codes": ["6"]}, [("CW-IPR-CODE", "/hs_codes/0")]),
    ({"colour": "red"}, [("CW-IPR-FIELD", "/colour")]),
    ({"right_holder": ""}, [("CW-IPR-FIELD", "/right_holder")]),
    ({"contact": "a\x00b"}, [("CW-IPR-FIELD", "/contact")]),
    ({"reference": "has/slash"}, [("CW-IPR-FIELD", "/reference")]),
    ({"min_channel": "green"}, [("CW-IPR-FIELD", "/min_channel")]),
    ({"valid_to": "soon"}, [("CW-IPR-FIELD", "/valid_to")]),
    ({"brands": [], "keywords": [], "hs_codes": ["x"], "valid_to": "2025-01-01"},
     [("CW-IPR-VALIDITY", "/valid_to"), ("CW-IPR-TERMS", "/brands"),
      ("CW-IPR-CODE", "/hs_codes/0")]),
])
def test_every_issue_is_coded(changes: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert codes(**changes) == expected


def test_not_a_mapping() -> None:
    with pytest.raises(DocumentInvalid) as caught:
        parse_application(["reference"], pointer="/applications/3")
    assert [(e.code, e.pointer) for e in caught.value.errors] == [
        ("CW-IPR-FIELD", "/applications/3")]


def test_defaults_and_tariff_spelling() -> None:
    app = parse_application(data(hs_codes=["6403 99", "4202.21"], instructions=None))
    assert app.hs_codes == ["640399", "420221"]
    assert app.status == "active" and app.min_channel == "red"
    assert app.action_instructions == DEFAULT_INSTRUCTIONS
    custom = parse_application(data(instructions="Call the right holder first"))
    assert custom.action_instructions == "Call the right holder first"


@pytest.mark.parametrize(("status", "on", "valid"), [
    ("active", date(2026, 1, 9), False), ("active", date(2026, 1, 10), True),
    ("active", date(2027, 1, 9), True), ("active", date(2027, 1, 10), False),
    ("withdrawn", date(2026, 6, 1), False),
])
def test_valid_on(status: str, on: date, valid: bool) -> None:
    assert parse_application(data(status=status)).valid_on(on) is valid
