"""What a control result must say, as a table: (result, task kind) -> the pointers refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clearway.controls.model import IRREGULARITIES, ControlResult, Seizure, result_issues

SEIZED = (Seizure(1, "counterfeit shavers", Decimal("20"), "pcs"),)
ZERO = (Seizure(1, "shavers", Decimal("0"), "pcs"),)


@pytest.mark.parametrize(("result", "kind", "refused"), [
    (ControlResult("regular", "release"), "physical", []),
    (ControlResult("irregular", "release", ("undervaluation",), Decimal("120.50")),
     "documentary", []),
    (ControlResult("irregular", "detain", ("drugs",)), "physical", []),
    (ControlResult("irregular", "seize", ("ipr_infringement",), seizures=SEIZED), "physical",
     []),
    (ControlResult("irregular", "release", ("undervaluation",), Decimal("9")), "audit", []),
    (ControlResult("irregular", "release"), "physical", ["/irregularities"]),
    (ControlResult("regular", "release", ("drugs",)), "physical", ["/irregularities"]),
    (ControlResult("irregular", "release", ("bribery",)), "physical", ["/irregularities"]),
    (ControlResult("regular", "detain"), "physical", ["/action"]),
    (ControlResult("regular", "release", seizures=SEIZED), "physical", ["/seizures"]),
    (ControlResult("irregular", "seize", ("smuggling",)), "physical", ["/seizures"]),
    (ControlResult("irregular", "seize", ("smuggling",), seizures=ZERO), "physical",
     ["/seizures/0/quantity"]),
    (ControlResult("irregular", "release", ("other",), Decimal("-1")), "physical",
     ["/revenue"]),
    (ControlResult("irregular", "release", ("other",), Decimal("NaN")), "physical",
     ["/revenue"]),
    (ControlResult("irregular", "detain", ("drugs",)), "audit", ["/action"]),
    (ControlResult("maybe", "keep"), "physical", ["/outcome", "/action"]),
])
def test_result_rules(result: ControlResult, kind: str, refused: list[str]) -> None:
    issues = result_issues(result, kind=kind)
    assert [i.pointer for i in issues] == refused
    assert {i.code for i in issues} <= {"CW-CONTROL-RESULT"}


def test_every_irregularity_of_the_vocabulary_is_accepted() -> None:
    for kind in IRREGULARITIES:
        assert result_issues(ControlResult("irregular", "detain", (kind,)),
                             kind="physical") == []
