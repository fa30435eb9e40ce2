"""MoU membership in the item frame: handed to the engine, read like AEO status."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.declarations.model import Declaration
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.assess import Knowledge, assess
from clearway.risk.engine.fields import BY_NAME
from clearway.risk.engine.frame import flatten
from clearway.risk.engine.memberships import Membership, Memberships
from helpers import TRADER, import_doc

REF = RefDataSnapshot.from_texts(read_directory(package_dir()))
MEMBERS = Memberships([
    Membership(TRADER, "MOU-FREIGHT", date(2026, 1, 1), date(2026, 6, 30)),
    Membership(TRADER, "MOU-AIR", date(2026, 3, 1)),
    Membership("RS999", "MOU-AIR", date(2026, 3, 1)),
])


def doc(importer: str) -> Declaration:
    return Declaration.model_validate(import_doc(importer={"id": importer}))


@pytest.mark.parametrize(("importer", "day", "codes"), [
    (TRADER, date(2025, 12, 31), []),
    (TRADER, date(2026, 1, 1), ["MOU-FREIGHT"]),
    (TRADER, date(2026, 3, 1), ["MOU-AIR", "MOU-FREIGHT"]),
    (TRADER, date(2026, 6, 30), ["MOU-AIR", "MOU-FREIGHT"]),
    (TRADER, date(2026, 7, 1), ["MOU-AIR"]),
    ("RS101456782", date(2026, 7, 1), []),
])
def test_the_frame_reads_the_memberships_on_the_day(importer: str, day: date,
                                                     codes: list[str]) -> None:
    frame = flatten([doc(importer)], [day], REF, memberships=MEMBERS)
    assert frame["mou_codes"].to_list()[0] == codes
    assert frame["mou_member"].to_list() == [bool(codes)] * frame.height


def test_without_memberships_no_one_is_a_member() -> None:
    frame = flatten([doc(TRADER)], [date(2026, 3, 1)], REF)
    assert frame["mou_codes"].to_list()[0] == [] and set(frame["mou_member"]) == {False}


def test_the_fields_are_in_the_profile_vocabulary() -> None:
    assert (BY_NAME["mou_member"].kind, BY_NAME["mou_codes"].kind) == ("bool", "list")


def test_the_engine_takes_memberships_with_its_knowledge() -> None:
    """`assess` hands the knowledge's memberships to the frame: a rule set sees them."""
    seen: list[bool] = []

    class Watch:
        def hits(self, frame):  # type: ignore[no-untyped-def]
            seen.extend(frame["mou_member"].to_list())
            return []

    for members, expected in ((MEMBERS, True), (None, False)):
        seen.clear()
        assess([doc(TRADER)], [date(2026, 3, 1)], REF,
               Knowledge(rules=(Watch(),), memberships=members))
        assert seen and set(seen) == {expected}
