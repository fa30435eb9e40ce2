"""The late-declaration indicator: a declaration of interest filed after the officer
controlled the party named flags them, at the office of that control."""

from __future__ import annotations

import pytest

from clearway.integrity.model import (
    Activity,
    ControlFact,
    Thresholds,
    office_indicators,
    officer_indicators,
)

T = Thresholds(z=3.0, min_controls=20, missed=2)
FACTS = [ControlFact(1, "RS01", "red", False, 20.0), ControlFact(2, "RS01", "red", True, 30.0)]


@pytest.mark.parametrize(("late", "flagged"), [
    ({}, set()),
    ({(1, "RS01"): 1}, {1}),
    ({(1, "RS01"): 2, (2, "RS01"): 1}, {1, 2}),
    ({(3, "RS02"): 1}, {3}),  # an officer with nothing else in the period still shows
])
def test_a_late_declaration_flags_the_officer(late: dict[tuple[int, str], int],
                                              flagged: set[int]) -> None:
    found = officer_indicators(FACTS, Activity(late_declarations=late), T)
    assert {x.officer_id for x in found if x.flags} == flagged
    for x in found:
        assert x.late_declarations == late.get((x.officer_id, x.office), 0)
        if x.late_declarations:
            assert any("declaration(s) of interest filed after controlling" in f
                       for f in x.flags)
    offices = {o.office: o.flagged_officers for o in office_indicators(found, FACTS)}
    assert sum(offices.values()) == len(flagged)
