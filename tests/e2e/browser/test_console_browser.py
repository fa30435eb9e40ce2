"""The console in a real browser (Debian's Chromium through Playwright): sign-in, the
submission room's errors on their fields, the list's htmx filters, visibility."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from clearway.declarations.mrn import is_valid_mrn
from helpers import import_doc

pytestmark = pytest.mark.browser


def test_sign_in_with_a_bad_token_then_a_good_one(new_page: Any, shared_console: Any) -> None:
    page = new_page()
    page.goto("/console")
    page.wait_for_url("**/console/login?next=%2Fconsole")
    page.get_by_label("Access token").fill("cw_not-a-real-token")
    page.get_by_role("button", name="Sign in").click()
    alert = page.locator("#login-error")
    assert "Sign-in failed" in alert.inner_text()
    assert "/console/login" in page.url
    assert not [c for c in page.context.cookies() if c["name"] == "cw_token"]

    page.get_by_label("Access token").fill(shared_console.tokens["trader"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console")
    assert page.locator(".topbar .user-name").inner_text() == "trader-one"
    assert page.get_by_role("link", name="Submit").is_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "cw_token")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/console/login")
    page.goto("/console")
    page.wait_for_url("**/console/login?next=%2Fconsole")


def test_pasted_invalid_json_shows_the_codes_next_to_the_fields(
        new_page: Any, shared_console: Any, sign_in: Any, screenshot: Any) -> None:
    page = new_page()
    sign_in(page, shared_console.tokens["trader"])
    page.get_by_role("link", name="Submit").click()
    doc = import_doc(lrn="BR-INVALID", item_count=5, dispatch_country="QQ")
    page.get_by_label("Paste a JSON declaration").fill(json.dumps(doc))
    page.get_by_role("button", name="Submit declaration").click()

    table = page.locator("table.errors")
    table.wait_for()
    assert "CW-CODE-COUNTRY" in table.inner_text()
    assert "CW-RULE-ITEM-COUNT" in table.inner_text()
    flagged = page.locator("#doc-lines li.has-error")
    assert flagged.count() == 2
    country = flagged.filter(has_text='"dispatch_country": "QQ"')
    assert "CW-CODE-COUNTRY" in country.inner_text()
    assert country.get_attribute("data-pointer") == "/dispatch_country"
    count = flagged.filter(has_text='"item_count": 5')
    assert "CW-RULE-ITEM-COUNT" in count.inner_text()
    # The pasted text is kept for correction.
    assert json.loads(page.get_by_label("Paste a JSON declaration").input_value()) == doc
    screenshot(page, "console-submit-errors.png")
    assert page.problems == []


def test_pasted_valid_json_lands_on_the_detail_page(new_page: Any, shared_console: Any,
                                                    sign_in: Any, screenshot: Any) -> None:
    page = new_page()
    sign_in(page, shared_console.tokens["trader"])
    page.goto("/console/submit")
    page.get_by_label("Paste a JSON declaration").fill(json.dumps(import_doc(lrn="BR-VALID")))
    page.get_by_role("button", name="Submit declaration").click()
    page.wait_for_url(re.compile(r".*/console/declarations/\w{18}$"))
    mrn = page.locator("#mrn").inner_text()
    assert is_valid_mrn(mrn) and page.url.endswith(mrn)
    assert page.locator("#lrn").inner_text() == "BR-VALID"
    assert "851010" in page.locator("#items").inner_text()
    events = page.locator("#events").inner_text().lower()
    assert "lodged" in events and "accepted" in events
    assert "accepted" in page.locator("#notifications").inner_text().lower()
    screenshot(page, "console-detail.png")


def test_list_filters_by_status_through_htmx(new_page: Any, shared_console: Any, seeded: Any,
                                             sign_in: Any, screenshot: Any) -> None:
    page = new_page()
    sign_in(page, shared_console.tokens["officer"])
    rows = page.locator("#declarations tbody tr")
    assert rows.count() >= 2
    screenshot(page, "console-list.png")
    page.evaluate("window.__notReloaded = true")

    with page.expect_response(lambda r: "status=rejected" in r.url) as answer:
        page.get_by_label("Status").select_option("rejected")
    response = answer.value
    assert response.request.headers.get("hx-request") == "true"
    assert "<html" not in response.text()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#declarations tbody tr')]"
        ".every(tr => tr.dataset.status === 'rejected')")
    statuses = {r.get_attribute("data-status") for r in rows.all()}
    assert statuses == {"rejected"}
    assert "SEED-BAD" in page.locator("#declarations").inner_text()
    assert "status=rejected" in page.url
    assert page.evaluate("window.__notReloaded") is True
    assert page.problems == []
    screenshot(page, "console-list-rejected.png")


def test_filters_work_with_javascript_off(new_page: Any, shared_console: Any,
                                          seeded: Any) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/console/login")
    page.get_by_label("Access token").fill(shared_console.tokens["trader"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console")
    page.get_by_label("LRN").fill("SEED-OK")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**lrn=SEED-OK**")
    rows = page.locator("#declarations tbody tr")
    assert rows.count() == 1 and "SEED-OK" in rows.inner_text()


def test_another_trader_gets_a_404_and_the_officer_sees_it(
        new_page: Any, shared_console: Any, seeded: Any, sign_in: Any) -> None:
    mrn = seeded["mrn"]
    other = new_page()
    sign_in(other, shared_console.tokens["other"])
    assert "SEED-OK" not in other.locator("#main").inner_text()
    answer = other.goto(f"/console/declarations/{mrn}")
    assert answer.status == 404
    assert "Not found" in other.locator("h1").inner_text()
    assert mrn not in other.content()

    officer = new_page()
    sign_in(officer, shared_console.tokens["officer"])
    assert not officer.get_by_role("link", name="Submit").count()
    answer = officer.goto(f"/console/declarations/{mrn}")
    assert answer.status == 200
    assert officer.locator("#mrn").inner_text() == mrn
    assert "accepted" in officer.locator("#notifications").inner_text().lower()
