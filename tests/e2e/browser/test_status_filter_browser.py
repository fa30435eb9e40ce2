"""Filtering the console's list by the statuses a control leads to (`detained`, `seized`),
by risk channel and by office of lodgement, combined, over HTTP (console and API) and in a
real browser: the filter once offered only a hand-written subset of statuses."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import update

from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_risk import RiskDecisionRow
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


# lrn -> (the channel of its risk decision, its office of lodgement)
ROUTED = {"CH-RED-BEG": ("red", "RS001002"), "CH-RED-NS": ("red", "RS002001"),
          "CH-YEL-BEG": ("yellow", "RS001002"), "CH-GRN-BEG": ("green", "RS001002"),
          "CH-BLU-NIS": ("blue", "RS004001")}


def route(console: Any) -> None:
    """Lodge one filing per entry of ROUTED and give it its channel and office."""
    for lrn, (channel, office) in ROUTED.items():
        outcome = console.lodge("trader", import_doc(lrn=lrn))
        assert outcome.row.mrn is not None, outcome.errors
        with console.ctx.uow() as uow:
            uow.session.execute(update(DeclarationRow).where(
                DeclarationRow.id == outcome.row.id).values(office=office))
            changed = uow.session.execute(update(RiskDecisionRow).where(
                RiskDecisionRow.declaration_id == outcome.row.id).values(channel=channel))
            assert changed.rowcount == 1
            uow.commit()


@pytest.mark.parametrize(("query", "expected"), [
    ("channel=red", {"CH-RED-BEG", "CH-RED-NS"}),
    ("channel=blue", {"CH-BLU-NIS"}),
    ("office=RS001002", {"CH-RED-BEG", "CH-YEL-BEG", "CH-GRN-BEG"}),
    ("office=rs001002&channel=red", {"CH-RED-BEG"}),
    ("office=RS002001&channel=green", set()),
    ("office=RS004001&channel=blue&status=accepted", set()),
    ("channel=red&lrn=CH-RED-NS", {"CH-RED-NS"}),
])
def test_the_list_filters_by_channel_and_office_combined(
        signed_in: Callable[[str], Any], console: Any, query: str, expected: set[str]) -> None:
    route(console)
    for who in ("officer", "trader"):
        answer = signed_in(who).get(f"/console?{query}")
        assert answer.status_code == 200 and "ignored" not in answer.text
        assert {lrn for lrn in ROUTED if lrn in answer.text} == expected
        assert answer.text.count("<tr data-status") == len(expected)
        count = re.search(r'id="result-count">\s*(.*?)\s*</p>', answer.text, re.S)
        assert count is not None
        assert (f"of {len(expected)} declaration" in count.group(1) if expected
                else "No declarations match the filters" in count.group(1))
    page = signed_in("officer").get(f"/console?{query}").text
    for name, value in (part.split("=") for part in query.split("&")):
        if name in ("channel", "office"):
            assert f'<option value="{value.upper() if name == "office" else value}" selected>' \
                in page


def test_unknown_channel_and_office_are_ignored_with_a_word(
        signed_in: Callable[[str], Any], console: Any) -> None:
    route(console)
    answer = signed_in("officer").get("/console?channel=purple&office=Belgrade!")
    assert answer.status_code == 200
    assert "Unknown channel; it was ignored." in answer.text
    assert "An office code is two letters" in answer.text
    assert answer.text.count("<tr data-status") == len(ROUTED)


@pytest.mark.parametrize(("query", "expected"), [
    ("channel=red", {"CH-RED-BEG", "CH-RED-NS"}),
    ("channel=red&office=RS001002", {"CH-RED-BEG"}),
    ("office=rs001002", {"CH-RED-BEG", "CH-YEL-BEG", "CH-GRN-BEG"}),
])
def test_the_api_list_filters_the_same_way(client: Any, console: Any, query: str,
                                           expected: set[str]) -> None:
    route(console)
    answer = client.get(f"/api/v1/declarations?{query}",
                        headers={"Authorization": f"Bearer {console.tokens['officer']}"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert {d["lrn"] for d in body["items"]} == expected and body["total"] == len(expected)


@pytest.mark.parametrize("query", ["channel=purple", "office=RS%20001"])
def test_the_api_refuses_a_malformed_channel_or_office(client: Any, console: Any,
                                                       query: str) -> None:
    answer = client.get(f"/api/v1/declarations?{query}",
                        headers={"Authorization": f"Bearer {console.tokens['officer']}"})
    assert answer.status_code in (400, 422) and answer.json()["code"]


@pytest.fixture(scope="module")
def routed(shared_console: Any) -> None:
    route(shared_console)


@pytest.mark.browser
def test_channel_and_office_combine_in_a_browser_and_stay_in_the_address(
        new_page: Any, shared_console: Any, routed: None, sign_in: Any,
        screenshot: Any) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, shared_console.tokens["officer"])
    with page.expect_response(lambda r: "channel=red" in r.url):
        page.get_by_label("Channel").select_option(label="Red")
    with page.expect_response(lambda r: "office=RS001002" in r.url):
        page.get_by_label("Office").select_option(value="RS001002")
    page.wait_for_function(
        "() => document.querySelectorAll('#declarations tbody tr').length === 1")
    assert "CH-RED-BEG" in page.locator("#declarations").inner_text()
    assert "channel=red" in page.url and "office=RS001002" in page.url
    assert "of 1 declaration matching the filters" in page.locator("#result-count").inner_text()
    page.reload()  # the address alone brings the same filtered list back
    assert page.get_by_label("Channel").input_value() == "red"
    assert page.get_by_label("Office").input_value() == "RS001002"
    assert page.locator("#declarations tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.problems == []
    screenshot(page, "console-list-channel-office.png")
