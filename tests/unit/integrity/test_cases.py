"""The register's rules: vocabularies, the status workflow, sanctions, the yearly report."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clearway.errors import ClearwayError
from clearway.integrity.cases import (
    ALLEGATIONS,
    SANCTIONS,
    Case,
    choice,
    reference,
    updated,
    yearly_report,
)

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


def case(status: str = "open", sanction: str | None = None, opened: date = date(2026, 2, 1),
         allegation: str = "bribery", closed: date | None = None, **detail: str) -> Case:
    return Case(reference="IC-2026-0001", opened_on=opened, allegation=allegation,
                description="cash in an envelope", officer_id=7, office="RS01",
                source="complaint", status=status, sanction=sanction, closed_on=closed,
                updated_at=NOW, detail=dict(detail))


@pytest.mark.parametrize(("year", "number", "expected"), [
    (2026, 1, "IC-2026-0001"), (2027, 42, "IC-2027-0042"), (2026, 12345, "IC-2026-12345")])
def test_reference(year: int, number: int, expected: str) -> None:
    assert reference(year, number) == expected


@pytest.mark.parametrize(("value", "ok"), [("bribery", True), ("theft", False), ("", False)])
def test_vocabulary(value: str, ok: bool) -> None:
    if ok:
        assert choice("allegation", value, ALLEGATIONS) == value
    else:
        with pytest.raises(ClearwayError) as raised:
            choice("allegation", value, ALLEGATIONS)
        assert raised.value.code == "CW-INTEGRITY-VALUE"


@pytest.mark.parametrize(("start", "status", "sanction", "error", "closed"), [
    ("open", "investigating", None, None, False),
    ("investigating", "substantiated", "dismissal", None, True),
    ("investigating", "substantiated", None, None, True),
    ("investigating", "unfounded", None, None, True),
    ("substantiated", None, "fine", None, True),  # sanction decided later
    ("open", "substantiated", None, "CW-INTEGRITY-TRANSITION", False),
    ("unfounded", "investigating", None, "CW-INTEGRITY-TRANSITION", False),
    ("investigating", "unfounded", "fine", "CW-INTEGRITY-SANCTION", False),
    ("open", None, "fine", "CW-INTEGRITY-SANCTION", False),
    ("investigating", "substantiated", "flogging", "CW-INTEGRITY-VALUE", False),
    ("open", "closed", None, "CW-INTEGRITY-VALUE", False),
    ("open", None, None, "CW-INTEGRITY-VALUE", False),  # nothing to change
])
def test_workflow(start: str, status: str | None, sanction: str | None, error: str | None,
                  closed: bool) -> None:
    before = case(start, closed=date(2026, 5, 1) if start == "substantiated" else None)
    if error:
        with pytest.raises(ClearwayError) as raised:
            updated(before, status=status, sanction=sanction, today=TODAY, now=NOW)
        assert raised.value.code == error
        return
    after = updated(before, status=status, sanction=sanction, today=TODAY, now=NOW)
    assert after.status == (status or start) and after.sanction == sanction
    assert (after.closed_on is not None) is closed
    assert after.sanctioned_on == (TODAY if sanction else None)


def test_sanction_only_once() -> None:
    with pytest.raises(ClearwayError) as raised:
        updated(case("substantiated", "fine"), status=None, sanction="dismissal", today=TODAY,
                now=NOW)
    assert raised.value.code == "CW-INTEGRITY-SANCTION"


def test_yearly_report_counts_by_year_of_detection_and_of_sanction() -> None:
    cases = [
        case(allegation="bribery"), case(allegation="bribery"), case(allegation="fraud"),
        case(allegation="collusion", opened=date(2025, 12, 30)),  # detected the year before
        case("substantiated", "dismissal", opened=date(2025, 6, 1), closed=date(2026, 1, 5),
             sanctioned_on="2026-01-05"),
        case("substantiated", "fine", closed=date(2026, 3, 1), sanctioned_on="2027-01-02"),
        case("unfounded", closed=date(2026, 4, 1)),
    ]
    report = yearly_report(cases, 2026)
    assert report["detected_total"] == 5
    assert report["detected"]["bribery"] == 4 and report["detected"]["fraud"] == 1
    assert report["detected"]["collusion"] == 0 and set(report["detected"]) == set(ALLEGATIONS)
    assert report["sanctions"] == {s: int(s == "dismissal") for s in SANCTIONS}
    assert report["closed"] == {"substantiated": 2, "unfounded": 1}
    assert yearly_report(cases, 2027)["sanctions"]["fine"] == 1
