"""The dual-use CSV: the packaged list reads; every bad line is reported with its code."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.dualuse.model import CONTROL_NUMBER, DualUseEntry, parse_csv
from clearway.dualuse.service import packaged_csv
from clearway.errors import DocumentInvalid

HEADER = "control_number,description,codes,valid_from,valid_to\n"


def test_packaged_list_is_valid() -> None:
    entries = parse_csv(packaged_csv())
    assert len(entries) >= 12
    assert all(CONTROL_NUMBER.match(e.control_number) and e.codes for e in entries)
    by_number = {e.control_number: e for e in entries}
    assert by_number["3A001"].codes == ("8542",)


def test_reads_codes_dates_and_bom() -> None:
    text = "\ufeff" + HEADER + '5A002a.1,"Crypto, equipment",8517 62| 8471.80 ||851762,' \
        "2026-01-01,2026-12-31\n\n"
    assert parse_csv(text) == [DualUseEntry("5A002a.1", "Crypto, equipment",
                                            ("851762", "847180"), date(2026, 1, 1),
                                            date(2026, 12, 31))]


@pytest.mark.parametrize(("text", "expected"), [
    ("", [("CW-DU-FILE", None)]),
    ("control_number,codes\n3A001,8542\n", [("CW-DU-FILE", "line 1")]),
    (HEADER, [("CW-DU-FILE", "line 2")]),                                 # no entries
    (HEADER + "3a001,x,8542,,\n", [("CW-DU-CONTROL-NUMBER", "line 2")]),
    (HEADER + "3A0011234567890123,x,8542,,\n", [("CW-DU-CONTROL-NUMBER", "line 2")]),
    (HEADER + "XA001,x,8542,,\n", [("CW-DU-CONTROL-NUMBER", "line 2")]),
    (HEADER + "3A001,x,,,\n", [("CW-DU-CODE", "line 2")]),
    (HEADER + "3A001,x,85A2,,\n", [("CW-DU-CODE", "line 2")]),
    (HEADER + "3A001,,8542,,\n", [("CW-DU-FILE", "line 2")]),
    (HEADER + "3A001,x,8542,2026-13-01,\n", [("CW-DU-FILE", "line 2")]),
    (HEADER + "3A001,x,8542,2026-02-01,2026-01-01\n", [("CW-DU-FILE", "line 2")]),
    (HEADER + "3A001,x,8542\n", [("CW-DU-FILE", "line 2")]),              # short row
    (HEADER + "3A001,x,8542,,\n4A003,y,8471,,\n3A001,z,8541,,\n",
     [("CW-DU-DUPLICATE", "line 4")]),
    (HEADER + "3A001,x,8542,,\nbad,,,,\n",
     [("CW-DU-CONTROL-NUMBER", "line 3"), ("CW-DU-FILE", "line 3"), ("CW-DU-CODE", "line 3")]),
])
def test_every_issue_is_coded(text: str, expected: list[tuple[str, str | None]]) -> None:
    with pytest.raises(DocumentInvalid) as caught:
        parse_csv(text)
    assert [(e.code, e.pointer) for e in caught.value.errors] == expected


@pytest.mark.parametrize(("valid_from", "valid_to", "on", "valid"), [
    (None, None, date(2026, 1, 1), True),
    (date(2026, 1, 1), None, date(2025, 12, 31), False),
    (date(2026, 1, 1), None, date(2026, 1, 1), True),
    (None, date(2026, 1, 1), date(2026, 1, 1), True),
    (None, date(2026, 1, 1), date(2026, 1, 2), False),
])
def test_valid_on(valid_from: date | None, valid_to: date | None, on: date,
                  valid: bool) -> None:
    assert DualUseEntry("3A001", "x", ("8542",), valid_from, valid_to).valid_on(on) is valid
