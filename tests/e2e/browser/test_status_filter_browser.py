"""Filtering the console's list by the statuses a control leads to (`detained`, `seized`),
over HTTP and in a real browser: the filter once offered only a hand-written subset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import update

from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.storage.orm import DeclarationRow
from helpers import import_doc

# lrn -> the status its declaration is put in
HELD = {"HELD-DET-1": S.DETAINED, "HELD-DET-2": S.DETAINED, "HELD-SEIZED": S.SEIZED,
        "HELD-FREE": S.RELEASED}


def hold(console: Any) -> dict[str, str]:
    """Lodge one filing per entry of HELD and put it in its status (the list reads the
    status column only; how a control reaches it is the clearance room's tests' part)."""
    mrns = {}
    for lrn, status in HELD.items():
        outcome = console.lodge("trader", import_doc(lrn=lrn))
        assert outcome.row.mrn is not None, outcome.errors
        with console.ctx.uow() as uow:
            uow.session.execute(update(DeclarationRow).where(DeclarationRow.id == outcome.row.id)
                                .values(status=status))
            uow.commit()
        mrns[lrn] = outcome.row.mrn
    return mrns


@pytest.mark.parametrize(("status", "expected"), [
    (S.DETAINED, {"HELD-DET-1", "HELD-DET-2"}), (S.SEIZED, {"HELD-SEIZED"})])
def test_the_list_filters_by_the_statuses_of_held_goods(
        signed_in: Callable[[str], Any], console: Any, status: str, expected: set[str]) -> None:
    hold(console)
    for who in ("officer", "trader"):
        answer = signed_in(who).get(f"/console?status={status}")
        assert answer.status_code == 200
        assert "Unknown status" not in answer.text
        assert answer.text.count("<tr data-status") == len(expected)
        assert answer.text.count(f'<tr data-status="{status}"') == len(expected)
        assert {lrn for lrn in HELD if lrn in answer.text} == expected
        assert f'<option value="{status}" selected>' in answer.text


@pytest.fixture(scope="module")
def held(shared_console: Any) -> dict[str, str]:
    return hold(shared_console)


@pytest.mark.browser
@pytest.mark.parametrize(("status", "label", "expected"), [
    (S.DETAINED, "Detained", {"HELD-DET-1", "HELD-DET-2"}),
    (S.SEIZED, "Seized", {"HELD-SEIZED"})])
def test_the_console_filters_detained_and_seized_goods_in_a_browser(
        new_page: Any, shared_console: Any, held: dict[str, str], sign_in: Any,
        screenshot: Any, status: str, label: str, expected: set[str]) -> None:
    page = new_page()
    sign_in(page, shared_console.tokens["officer"])
    rows = page.locator("#declarations tbody tr")
    assert rows.count() >= len(HELD)
    with page.expect_response(lambda r: f"status={status}" in r.url):
        page.get_by_label("Status").select_option(label=label)
    page.wait_for_function(
        "status => [...document.querySelectorAll('#declarations tbody tr')]"
        ".every(tr => tr.dataset.status === status)", arg=status)
    assert {r.get_attribute("data-status") for r in rows.all()} == {status}
    shown = page.locator("#declarations").inner_text()
    assert {lrn for lrn in HELD if lrn in shown} == expected
    assert rows.count() == len(expected)
    assert f"status={status}" in page.url
    assert page.problems == []
    screenshot(page, f"console-list-{status}.png")
