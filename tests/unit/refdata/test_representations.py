"""The `representations` list: its checks, and who it lets lodge for whom, on which date,
for which declaration types (and of which kind, when the filing states DE 3/21)."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.refdata.csvfiles import read_list
from clearway.refdata.errors import RefDataError
from clearway.refdata.model import RefDataSnapshot

HEAD = "agent_id,principal_id,kind,scope,valid_from,valid_to\n"
TEXT = HEAD + ("RS104012345,RS100234567,direct,*,2020-01-01,\n"
               "RS104012345,RS101456782,indirect,IM|EX,2021-03-01,2024-12-31\n"
               "RS104012345,RS101456782,direct,ENS,2021-03-01,\n")


@pytest.fixture(scope="module")
def ref() -> RefDataSnapshot:
    return RefDataSnapshot.from_texts({"representations": TEXT})


@pytest.mark.parametrize(("agent", "principal", "kind", "on", "found"), [
    ("RS104012345", "RS100234567", "IM", "2026-01-01", "direct"),
    ("RS104012345", "RS100234567", "ENS", "2020-01-01", "direct"),
    ("RS104012345", "RS100234567", "IM", "2019-12-31", None),      # not yet valid
    ("RS100234567", "RS104012345", "IM", "2026-01-01", None),      # not the other way round
    ("RS104012345", "RS101456782", "EX", "2024-12-31", "indirect"),
    ("RS104012345", "RS101456782", "EX", "2025-01-01", None),      # expired
    ("RS104012345", "RS101456782", "CO", "2023-01-01", None),      # out of scope
    ("RS104012345", "RS101456782", "ENS", "2026-01-01", "direct"),  # another row's scope
    ("MK4030990123456", "RS100234567", "IM", "2026-01-01", None),  # nobody registered it
])
def test_lookup(ref: RefDataSnapshot, agent: str, principal: str, kind: str, on: str,
                found: str | None) -> None:
    got = ref.representation(agent, principal, kind, date.fromisoformat(on))
    assert (got and got.kind) == found


@pytest.mark.parametrize(("row", "fragment"), [
    ("RS1,RS2,general,*,,", "kind must be one of"),
    ("RS1,RS1,direct,*,,", "does not represent itself"),
    ("RS1,RS2,direct,IM|XX,,", "scope is '*'"),
    ("RS1,RS2,direct,IM|IM,,", "scope is '*'"),
    ("RS1,RS2,direct,,,", "scope is empty"),
    ("rs1,RS2,direct,*,,", "does not match"),
])
def test_malformed_rows_are_refused(row: str, fragment: str) -> None:
    with pytest.raises(RefDataError) as caught:
        read_list("representations", HEAD + row + "\n")
    assert caught.value.row == 2 and fragment in caught.value.message
