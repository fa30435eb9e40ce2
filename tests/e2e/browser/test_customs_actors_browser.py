"""A trader's declaration page names customs as the administration, never the officer
(Chromium through Playwright, 1280x800; issue 17 R4). Named officers and supervisors work two
red imports of the trader (`customs_actors_world`: a task started, a result releasing one and
detaining the other, a seizure with a reason naming them all); the trader opens the page and
reads `by customs:RS:<office>` on every customs event, with no user name or id anywhere in
the page; a supervisor opening the same page still sees the officer."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.risk.engine.decision import Channel
from controls_world import force
from customs_actors_world import ADMINISTRATION, CASES, PERSONS, World, build

VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def controlled(shared_console: Any) -> World:
    force(shared_console.ctx, Channel.RED)
    # No lifespan: nothing runs in the background beside the live server's system.
    client = TestClient(create_app(shared_console.ctx), raise_server_exceptions=False,
                        follow_redirects=False)
    return build(client, shared_console.ctx,
                 {case: CASES[case] for case in ("json-task", "xml-detain")})


def named(text: str) -> list[str]:
    return [str(v) for person in PERSONS.values() for v in person if str(v) in text]


@pytest.mark.browser
@pytest.mark.parametrize(("case", "last"), [("json-task", "Released"),
                                            ("xml-detain", "Seized")])
def test_the_trader_reads_the_administration_where_an_officer_acted(
        new_page: Any, controlled: World, sign_in: Any, screenshot: Any, case: str,
        last: str) -> None:
    page = new_page(viewport=VIEWPORT)
    sign_in(page, controlled.tokens["trader"])
    page.goto(f"/console/declarations/{controlled.mrns[case]}")
    events = page.locator("#events li").all_inner_texts()
    by_customs = [e for e in events if f"by {ADMINISTRATION}" in e]
    # accepted, risk assessed, under control and the control's end at least
    assert len(by_customs) >= 4, events
    assert last.lower() in by_customs[-1].lower(), by_customs
    assert not [e for e in events if "by officer" in e or "by supervisor" in e]
    assert named(page.content()) == []
    assert page.problems == []
    screenshot(page, f"trader-sees-administration-{case}.png")


@pytest.mark.browser
def test_a_supervisor_on_the_same_page_sees_the_officer(
        new_page: Any, controlled: World, sign_in: Any, screenshot: Any) -> None:
    page = new_page(viewport=VIEWPORT)
    sign_in(page, controlled.tokens["supervisor"])
    page.goto(f"/console/declarations/{controlled.mrns['json-task']}")
    assert f"by officer:{PERSONS['officer'][0]}" in page.locator("#events").inner_text()
    assert page.problems == []
    screenshot(page, "staff-sees-officer.png")
