"""When an early assessment's trader record still stands under the write lock."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.clearance.early import still_true
from clearway.risk.engine.frame import TraderRecord

D = date(2026, 12, 1)


def rec(declarations: int, controls: int = 0, irregular: int = 0) -> dict[str, TraderRecord]:
    return {"T1": TraderRecord(declarations, controls, irregular, D)}


CASES = [
    ("unchanged", rec(5, 2, 1), rec(5, 2, 1), True),
    ("filings lodged meanwhile were counted", rec(5, 2, 1), rec(8, 2, 1), True),
    ("a new trader's first filings racing each other", {}, rec(3), True),
    ("a control recorded meanwhile", rec(5, 2, 1), rec(6, 3, 1), False),
    ("a finding recorded meanwhile", rec(5, 2, 1), rec(5, 2, 2), False),
    ("a new trader controlled meanwhile", {}, rec(3, 1, 0), False),
    ("fewer filings than read (a rebuild)", rec(5, 2, 1), rec(4, 2, 1), False),
    ("the record gone (a rebuild)", rec(5), {}, False),
]


@pytest.mark.parametrize(("read", "now", "stands"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_still_true(read: dict[str, TraderRecord], now: dict[str, TraderRecord],
                    stands: bool) -> None:
    assert still_true(read, now) is stands
