"""Declarations of interest as rules: party identifiers, kinds, the yearly renewal."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.errors import ClearwayError
from clearway.interests.model import (
    Status,
    check_kind,
    excludes,
    party_key,
    renewal_overdue,
    valid_until,
)


@pytest.mark.parametrize(("raw", "key"), [
    ("RS123456789", "RS123456789"), (" rs 1234 ", "RS1234"), ("de0000001", "DE0000001"),
])
def test_party_ids_are_compared_upper_case_without_spaces(raw: str, key: str) -> None:
    assert party_key(raw) == key


@pytest.mark.parametrize("raw", ["", "R1", "RS-123", "RS12/3", "X" * 41, "ÄB123"])
def test_a_party_id_of_the_wrong_shape_is_refused(raw: str) -> None:
    with pytest.raises(ClearwayError) as refused:
        party_key(raw)
    assert refused.value.code == "CW-INTEREST-FIELD"


@pytest.mark.parametrize(("kind", "ok"), [
    ("relative", True), ("former_employer", True), ("shareholding", True),
    ("side_activity", True), ("other", True), ("friend", False), ("", False),
])
def test_kinds_of_link(kind: str, ok: bool) -> None:
    if ok:
        assert check_kind(kind) == kind
    else:
        with pytest.raises(ClearwayError):
            check_kind(kind)


@pytest.mark.parametrize(("status", "until", "today", "overdue", "excluding"), [
    (Status.PENDING, date(2026, 12, 1), date(2026, 12, 1), False, True),
    (Status.NOTED, date(2026, 12, 1), date(2026, 12, 2), True, True),
    (Status.RETURNED, date(2026, 12, 1), date(2027, 6, 1), True, True),
    (Status.WITHDRAWN, date(2026, 12, 1), date(2027, 6, 1), False, False),
])
def test_an_overdue_renewal_is_flagged_and_still_excludes(
        status: str, until: date, today: date, overdue: bool, excluding: bool) -> None:
    assert renewal_overdue(status, until, today) is overdue
    assert excludes(status) is excluding


def test_a_declaration_holds_for_a_year() -> None:
    assert valid_until(date(2026, 12, 6)) == date(2027, 12, 6)
