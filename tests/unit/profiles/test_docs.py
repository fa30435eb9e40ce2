"""docs/profiles.md lists the vocabulary the code accepts: every risk field, every operator."""

from __future__ import annotations

import re
from pathlib import Path

from clearway.profiles.model import OPERATORS
from clearway.risk.engine.fields import FIELDS

DOC = (Path(__file__).resolve().parents[3] / "docs" / "profiles.md").read_text()


def test_the_fields_table_matches_the_risk_fields() -> None:
    rows = re.findall(r"^\| `(\w+)` \| (\w+) \| (\w+) \|", DOC, flags=re.M)
    assert rows == [(f.name, f.kind, f.level) for f in FIELDS]


def test_every_operator_is_documented() -> None:
    documented = set(re.findall(r"`(\w+)`", DOC.split("### Operators")[1].split("###")[0]))
    assert set(OPERATORS) <= documented
