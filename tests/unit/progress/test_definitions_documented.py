"""Every indicator of the progress report is defined in code and in the docs, the same words;
every section has measures."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearway.progress.catalogue import MEASURES
from clearway.progress.indicators import Indicator
from clearway.progress.model import SECTION_KEYS

DOC = (Path(__file__).parents[3] / "docs" / "progress-report.md").read_text()
INDICATORS = [(key, i) for key, m in MEASURES.items() for i in m.indicators]


def test_every_section_has_its_measures() -> None:
    assert list(MEASURES) == list(SECTION_KEYS)


@pytest.mark.parametrize(("section", "indicator"), INDICATORS,
                         ids=[f"{s}.{i.key}" for s, i in INDICATORS])
def test_the_docs_give_each_definition(section: str, indicator: Indicator) -> None:
    row = (f"| `{indicator.key}` {indicator.label} | {indicator.unit} | "
           f"{indicator.definition} |")
    assert row in DOC
