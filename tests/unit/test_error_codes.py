"""The error-code table in the docs lists every code, and the code raises only listed codes."""

from __future__ import annotations

import re
from pathlib import Path

from clearway.declarations.codes import ERROR_CODES

ROOT = Path(__file__).resolve().parents[2]


def test_docs_table_lists_every_code() -> None:
    text = (ROOT / "docs" / "api.md").read_text()
    documented = set(re.findall(r"^\| `(CW-[A-Z0-9-]+)` \|", text, flags=re.M))
    assert documented == set(ERROR_CODES)


def test_every_code_in_the_source_is_in_the_table() -> None:
    used = set()
    for path in (ROOT / "src" / "clearway").rglob("*.py"):
        used |= set(re.findall(r"\"(CW-[A-Z][A-Z0-9-]*[A-Z0-9])\"", path.read_text()))
    assert used - set(ERROR_CODES) == set()
