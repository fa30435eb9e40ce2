"""The code table (`clearway.codes`) is the one source of error codes and their HTTP statuses:
the docs' table matches it both ways, the source names only codes in it, an error takes its
status from it, and a status still written beside a code agrees with it."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from clearway.codes import CODES, MALFORMED, TOO_LARGE
from clearway.codes.agencies import AGENCIES
from clearway.codes.between import BETWEEN
from clearway.codes.trade import TRADE
from clearway.codes.within import WITHIN
from clearway.errors import ClearwayError, Malformed, TooLarge

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "clearway"
ROW = re.compile(r"^\| `(CW-[A-Z0-9-]+)` \| ([^|]+) \| (.*) \|$", flags=re.M)


def documented() -> dict[str, tuple[str, str]]:
    """Code -> (HTTP column, meaning) of the table in docs/api.md."""
    text = (ROOT / "docs" / "api.md").read_text()
    rows = ROW.findall(text)
    assert len(rows) == len(re.findall(r"^\| `CW-", text, flags=re.M)), "a row is malformed"
    return {code: (http, meaning) for code, http, meaning in rows}


def test_every_code_in_the_table_is_documented_with_its_status_and_meaning() -> None:
    docs = documented()
    assert {code: docs.get(code) for code in CODES} == {
        code: (entry.http, entry.meaning) for code, entry in CODES.items()}


def test_every_documented_code_is_in_the_table() -> None:
    assert set(documented()) - set(CODES) == set()


def test_every_code_in_the_source_is_in_the_table() -> None:
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"\"(CW-[A-Z][A-Z0-9-]*[A-Z0-9])\"", path.read_text()))
    assert used - set(CODES) == set()


def calls(*names: str) -> Iterator[tuple[str, ast.Call]]:
    """(where, call) for each call in the source of a function or class named in `names`."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in names:
                    yield f"{path.relative_to(SRC)}:{node.lineno}", node


def literal_code(call: ast.Call) -> str | None:
    found = next((k.value for k in call.keywords if k.arg == "code"),
                 call.args[0] if call.args else None)
    return found.value if isinstance(found, ast.Constant) else None


def test_no_code_writes_its_status_beside_it() -> None:
    """A use case raises by code; the status is the table's alone."""
    written = [(where, ast.unparse(call)[:80]) for where, call in calls("ClearwayError", "__init__")
               if any(k.arg == "status" for k in call.keywords)]
    assert written == []


def test_conflicts_carry_codes_whose_status_is_409() -> None:
    found = {where: literal_code(call) for where, call in calls("Conflict")}
    assert found and None not in found.values()
    assert {w: c for w, c in found.items() if c and CODES[c].status != 409} == {}


@pytest.mark.parametrize(("name", "status"), [("Malformed", MALFORMED), ("TooLarge", TOO_LARGE)])
def test_boundary_refusals_use_codes_that_list_them(name: str, status: int) -> None:
    found = {where: literal_code(call) for where, call in calls(name)}
    assert found and None not in found.values()
    assert {w: c for w, c in found.items() if c and status not in CODES[c].also} == {}


@pytest.mark.parametrize("code", list(CODES))
def test_an_error_takes_its_status_from_the_table(code: str) -> None:
    assert ClearwayError(code, "refused").status == CODES[code].status


def test_a_code_missing_from_the_table_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        ClearwayError("CW-NO-SUCH-CODE", "refused")


def test_an_error_takes_no_status_of_its_own() -> None:
    with pytest.raises(TypeError):
        ClearwayError("CW-STATE", "refused", status=422)  # type: ignore[call-arg]


def test_a_boundary_refusal_keeps_its_status_only_under_a_code_that_lists_it() -> None:
    assert Malformed("CW-REQUEST-INVALID", "unreadable form").status == 400
    assert TooLarge("CW-PROFILE-YAML", "form too large").status == 413
    with pytest.raises(ValueError):
        Malformed("CW-STATE", "refused")


def test_no_code_is_in_both_parts_of_the_table() -> None:
    # The table is the union of its two parts: a code in both would silently take one meaning.
    assert not set(WITHIN) & set(BETWEEN)
    assert not (set(WITHIN) | set(BETWEEN)) & set(AGENCIES)
    assert not (set(WITHIN) | set(BETWEEN) | set(AGENCIES)) & set(TRADE)
    assert set(CODES) == set(WITHIN) | set(BETWEEN) | set(AGENCIES) | set(TRADE)
