"""An agency officer in Chromium at 1280x800: signing in lands in the agency room, which
lists only the tasks routed to the officer's agency; the task page shows only the routed
items (the oranges, not the beef of the same declaration, which veterinary decides) and the
officer releases them on conditions. Screenshot: test-artifacts/console-agency-task.png."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from helpers import import_doc, make_token

SCREEN = {"width": 1280, "height": 800}


def test_an_agency_officer_decides_a_routed_item(new_page: Any, shared_console: Any,
                                                 screenshot: Any) -> None:
    ctx = shared_console.ctx
    doc = import_doc(lrn="AGENCY-WALK")
    doc["items"][0].update(commodity_code="080510", description="Oranges",
                           origin_country="EG")
    doc["items"][1].update(commodity_code="020130", description="Beef, boneless",
                           origin_country="AR")
    lodged = shared_console.lodge("trader", doc)
    assert lodged.kind == "created", lodged.errors
    token = make_token(ctx, "ph-walker", "agency_officer", "PH")
    page = new_page(viewport=SCREEN)
    page.goto("/console/login")
    page.get_by_label("Access token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/console/agency$"))
    rows = page.locator("#agency-tasks tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("080510")
    expect(rows.first).not_to_contain_text("020130")
    rows.first.get_by_role("link").click()
    items = page.locator("#agency-items tbody tr")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Oranges")
    expect(items.first).to_contain_text("none that satisfies it")
    page.get_by_label("Decision", exact=True).select_option("release_with_conditions")
    page.get_by_label(re.compile("Conditions")).fill("Keep refrigerated until sold")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#agency-status")).to_have_text("decided")
    expect(page.locator("#agency-steps li")).to_have_count(3)   # routed, started, decided
    expect(page.locator("#agency-decision")).to_have_count(0)   # nothing left to decide
    screenshot(page, "console-agency-task.png")
    assert page.problems == []
