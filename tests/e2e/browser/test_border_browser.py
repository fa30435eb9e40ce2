"""The booth in Chromium at 1280x800: the border police list a lorry; a customs booth officer
records it crossing at Horgos and sees the watch-list hit at once, opens the alert and closes
it with a reason; the border police, signing in, land in their Border room and find the
alert there, closed. Screenshots: test-artifacts/border-*.png."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clearway.border import service as border
from clearway.identity import User
from clearway.users.service import authenticate
from helpers import make_token

SCREEN = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def listed(shared_console: Any) -> dict[str, Any]:
    ctx = shared_console.ctx
    token = make_token(ctx, "bruno", "border_police")
    with ctx.uow(read_only=True) as uow:
        police: User = authenticate(uow.session, token, ctx.clock.now())
    entry = border.add_entry(ctx, police, border.NewEntry(
        kind="vehicle", value="BG-555-WW", reason="Lorry reported stolen in Novi Sad",
        shared_with=("customs",)))
    return {"police": token, "entry": entry.id}


def test_a_booth_officer_records_a_listed_lorry_and_sees_the_hit(
        new_page: Any, sign_in: Any, shared_console: Any, listed: dict[str, Any],
        screenshot: Any) -> None:
    page = new_page(viewport=SCREEN)
    sign_in(page, shared_console.tokens["officer"])
    page.get_by_role("link", name="Border").click()
    page.get_by_role("link", name="Booth").click()
    page.get_by_label("Crossing point").select_option("RS-HORGOS")
    page.get_by_label("Vehicle registration").fill("bg 555 ww")
    page.get_by_label("Containers (separated by spaces or commas)").fill("MSKU1234567")
    page.get_by_role("button", name="Record crossing").click()
    hit = page.locator("#watch-hit")
    hit.wait_for()
    assert "1 alert" in hit.inner_text()
    assert "Lorry reported stolen" in page.locator("#hits").inner_text()
    screenshot(page, "border-booth-hit.png")

    page.locator("#hits a").first.click()
    assert page.locator("#alert-matched").inner_text() == "BG555WW"
    page.get_by_label("Reason (what was checked, what was done)").fill(
        "Lorry held, police called")
    page.get_by_role("button", name="Close alert").click()
    page.wait_for_url(re.compile(r".*/console/border/alerts/\d+$"))
    assert page.locator("#alert-status").inner_text() == "closed"
    assert page.problems == []

    police = new_page(viewport=SCREEN)
    police.goto("/console/login")
    police.get_by_label("Access token").fill(listed["police"])
    police.get_by_role("button", name="Sign in").click()
    police.wait_for_url(re.compile(r".*/console/border$"))
    police.get_by_label("Status").select_option("closed")
    police.get_by_role("button", name="Filter").click()
    assert police.locator("#alerts tbody tr").count() == 1
    police.get_by_role("link", name="Watch list").click()
    assert "BG555WW" in police.locator("#entries").inner_text()
    screenshot(police, "border-watch-list.png")
    assert police.problems == []
