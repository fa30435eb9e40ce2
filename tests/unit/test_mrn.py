from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.declarations.mrn import check_character, is_valid_mrn, make_mrn


@pytest.mark.parametrize(("serial", "kind", "prefix"), [
    (1, "IM", "26RS000000000001R"),
    (36, "EX", "26RS000000000010A"),
    (35, "ENS", "26RS00000000000ZT"),
])
def test_make_mrn_layout(serial: int, kind: str, prefix: str) -> None:
    mrn = make_mrn(year=2026, country="RS", serial=serial, kind=kind)
    assert len(mrn) == 18 and mrn.startswith(prefix) and is_valid_mrn(mrn)


@given(st.integers(min_value=1, max_value=36**12 - 1))
def test_every_generated_mrn_validates_and_is_unique_per_serial(serial: int) -> None:
    mrn = make_mrn(year=2026, country="MK", serial=serial, kind="IM")
    assert is_valid_mrn(mrn)
    assert make_mrn(year=2026, country="MK", serial=serial + 1, kind="IM") != mrn


def test_a_changed_character_breaks_the_check() -> None:
    mrn = make_mrn(year=2026, country="RS", serial=12345, kind="IM")
    altered = mrn[:6] + ("1" if mrn[6] != "1" else "2") + mrn[7:]
    assert not is_valid_mrn(altered)
    assert check_character(mrn[:17]) == mrn[17]
