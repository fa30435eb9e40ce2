"""The model's contributions in the console (Chromium through Playwright): an officer opens a
declaration the model scored low and still sees what the model weighed, presented as its
contributions, not as a reason for selection; the trader sees neither."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import polars as pl
import pytest

from clearway.risk.engine.decision import ModelReason
from helpers import import_doc

PUSHES = (ModelReason("importer_rate", "past irregularity rate of the importer", 0.04, -0.61),
          ModelReason("origin_country", "country of origin", "DE", -0.15),
          ModelReason("uv_dev_hs6", "unit value against the goods' past median", 0.1, 0.08))


class LowScorer:
    """A promoted model as the engine sees it, finding every declaration regular."""

    version = "v-test"

    def score(self, frame: pl.DataFrame) -> tuple[list[float | None], list[float | None]]:
        n = int(frame["_decl"].max()) + 1
        return [0.04] * n, [None] * n

    def reasons(self, frame: pl.DataFrame, decls: Sequence[int],
                top: int) -> dict[int, tuple[ModelReason, ...]]:
        return {d: PUSHES[:top] for d in decls}


@pytest.fixture(scope="module")
def low_mrn(shared_console: Any) -> str:
    """A declaration decided while the model above was promoted."""
    cache = shared_console.ctx.risk
    built = cache.get()
    cache.get = lambda: replace(built, knowledge=replace(built.knowledge, scorer=LowScorer()))
    try:
        out = shared_console.lodge("trader", import_doc(lrn="LOW-SCORE"))
    finally:
        del cache.get  # the cache's own method again
    assert out.kind == "created", out.errors
    assert out.row.mrn is not None
    return out.row.mrn


@pytest.mark.browser
def test_the_officer_sees_the_model_contributions_of_a_low_score(
        new_page: Any, shared_console: Any, low_mrn: str, sign_in: Any,
        screenshot: Any) -> None:
    page = new_page()
    sign_in(page, shared_console.tokens["officer"])
    page.goto(f"/console/declarations/{low_mrn}")
    rows = page.locator("#contributions tbody tr")
    assert rows.count() == 3
    assert "past irregularity rate of the importer" in rows.nth(0).inner_text()
    assert "-0.61" in rows.nth(0).inner_text() and "DE" in rows.nth(1).inner_text()
    assert "not a reason for selection" in page.locator("#contributions-note").inner_text()
    assert not any(r.startswith("model:") for r in page.locator("#reasons").all_inner_texts())
    assert page.problems == []
    screenshot(page, "decision-model-contributions.png")


@pytest.mark.browser
def test_the_trader_sees_no_model_contributions(
        new_page: Any, shared_console: Any, low_mrn: str, sign_in: Any) -> None:
    page = new_page()
    sign_in(page, shared_console.tokens["trader"])
    page.goto(f"/console/declarations/{low_mrn}")
    assert page.locator("#channel").count() == 1
    assert page.locator("#contributions").count() == 0
    assert "irregularity rate" not in page.content()
