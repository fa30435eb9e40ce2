"""Who an instruction concerns, which controls it governs, the version in force, and the
acknowledgement rates by office: the rules alone, on fixed data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from clearway.instructions.model import (
    Instruction,
    InstructionIn,
    InstructionTerms,
    Officer,
    cites,
    current,
    office_rates,
)

AT = datetime(2026, 1, 1, tzinfo=UTC)


def made(code: str = "IPR-608", version: int = 1, *, quals: tuple[str, ...] = (),
         offices: tuple[str, ...] = (), areas: tuple[str, ...] = (),
         valid: tuple[date, date | None] = (date(2026, 1, 1), None)) -> Instruction:
    terms = InstructionTerms(title="t", body="b", owner="IPR unit", valid_from=valid[0],
                             valid_to=valid[1], qualifications=list(quals),
                             offices=list(offices), areas=list(areas))
    return Instruction(code, version, terms, AT, "supervisor:sup")


@pytest.mark.parametrize(("quals", "offices", "held", "serves", "expected"), [
    ((), (), set(), set(), True),                       # for all staff
    (("ipr",), (), {"ipr"}, set(), True),
    (("ipr",), (), {"valuation"}, {"PORT1"}, False),
    (("ipr", "dual-use"), (), {"dual-use"}, set(), True),
    ((), ("PORT1",), set(), {"PORT1", "AIR1"}, True),
    ((), ("PORT1",), {"ipr"}, {"AIR1"}, False),
    (("ipr",), ("PORT1",), set(), {"PORT1"}, True),     # either one suffices
])
def test_who_an_instruction_concerns(quals: tuple[str, ...], offices: tuple[str, ...],
                                     held: set[str], serves: set[str], expected: bool) -> None:
    assert made(quals=quals, offices=offices).concerns(held, serves) is expected


@pytest.mark.parametrize(("areas", "quals", "task_areas", "task_quals", "texts", "expected"), [
    (("ipr",), (), {"ipr"}, [], [], True),
    (("ipr",), (), {"valuation"}, [], [], False),
    ((), ("valuation",), set(), ["valuation"], [], True),
    ((), ("valuation",), set(), ["origin"], [], False),
    ((), (), set(), [], ["Detain the goods (see IPR-608) and notify"], True),
    ((), (), set(), [], ["see IPR-6080"], False),      # another code, not this one
    ((), (), set(), [], ["XIPR-608 is no citation"], False),
])
def test_which_controls_an_instruction_governs(areas: tuple[str, ...], quals: tuple[str, ...],
                                               task_areas: set[str], task_quals: list[str],
                                               texts: list[str], expected: bool) -> None:
    assert made(quals=quals, areas=areas).governs(task_areas, task_quals, texts) is expected


@pytest.mark.parametrize(("text", "code", "expected"), [
    ("IPR-608", "IPR-608", True), ("per IPR-608.", "IPR-608", True),
    ("IPR-608-B", "IPR-608", False), ("ipr-608", "IPR-608", False),
])
def test_a_citation_is_the_code_as_a_word(text: str, code: str, expected: bool) -> None:
    assert cites(text, code) is expected


def test_the_latest_version_is_the_one_in_force() -> None:
    versions = [made("A-1", 1), made("A-1", 2, valid=(date(2026, 3, 1), None)),
                made("B-1", 1, valid=(date(2025, 1, 1), date(2025, 12, 31))),
                made("C-1", 1, valid=(date(2027, 1, 1), None))]
    assert {c: i.version for c, i in current(versions, date(2026, 4, 1)).items()} == {"A-1": 2}
    # Before version 2 applies, version 1 is not in force either: a version replaces.
    assert current(versions, date(2026, 2, 1)) == {}


def test_rates_by_office_count_what_is_due_and_given() -> None:
    everyone, ipr = made("COC-1"), made("IPR-608", 2, quals=("ipr",))
    port_only = made("PORT-1", offices=("PORT1",))
    officers = [
        Officer(1, frozenset({"ipr"}), frozenset({"PORT1"}),
                frozenset({("COC-1", 1), ("IPR-608", 1)})),   # v1 of IPR-608 is not v2
        Officer(2, frozenset(), frozenset({"PORT1", "AIR1"}), frozenset({("COC-1", 1)})),
        Officer(3, frozenset(), frozenset({"AIR1"}), frozenset()),
    ]
    rates = {r.office: (r.officers, r.due, r.acknowledged)
             for r in office_rates([everyone, ipr, port_only], officers)}
    assert rates == {"PORT1": (2, 3 + 2, 1 + 1), "AIR1": (2, 2 + 1, 1)}


def test_an_instruction_ends_after_it_starts() -> None:
    with pytest.raises(ValidationError):
        InstructionIn(code="A-1", title="t", body="b", owner="o", valid_from=date(2026, 2, 1),
                      valid_to=date(2026, 1, 31))
