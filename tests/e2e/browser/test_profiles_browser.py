"""The profiles room: an analyst writes a profile in the console, tests it against past
declarations, activates it, and it shows as active (Chromium through Playwright); and the
pages' answers to other roles and bad input (TestClient)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.clearance.officer_actions import officer_action
from clearway.web.csrf import key_for
from helpers import import_doc, make_token

PROFILE_YAML = """code: VAL-SHIRTS-CN
name: Cotton T-shirts from China
area: valuation
weight: 0.6
min_channel: yellow
instructions: Check the invoice and the proof of payment
when:
  all:
    - {field: hs6, prefix: ["6109"]}
    - {field: origin_country, in: [CN]}
"""


def shirts_from(origin: str, lrn: str) -> dict[str, Any]:
    doc = import_doc(lrn=lrn)
    doc["items"][1]["origin_country"] = origin  # item 2: cotton T-shirts, HS 610910
    return doc


@pytest.fixture(scope="module")
def analyst_token(shared_console: Any) -> str:
    return make_token(shared_console.ctx, "ana", "risk_analyst")


@pytest.fixture(scope="module")
def past(shared_console: Any) -> dict[str, str]:
    """Three accepted declarations: two of Chinese T-shirts (one controlled and found
    irregular), one from Bangladesh. Green declarations wait for the officer here."""
    ctx = shared_console.ctx
    ctx.settings = ctx.settings.model_copy(update={"auto_release": False})
    mrns = {}
    for name, origin in (("irregular", "CN"), ("unchecked", "CN"), ("other", "BD")):
        out = shared_console.lodge("trader", shirts_from(origin, f"PAST-{name}"))
        assert out.kind == "created", out.errors
        mrns[name] = out.row.mrn
    officer = shared_console.user("officer")
    officer_action(shared_console.ctx, mrns["irregular"], "start-control", None, officer)
    officer_action(shared_console.ctx, mrns["irregular"], "release", None, officer,
                   outcome="irregular")
    return mrns


@pytest.mark.browser
def test_an_analyst_writes_tests_and_activates_a_profile(
        new_page: Any, sign_in: Any, analyst_token: str, past: dict[str, str],
        screenshot: Any) -> None:
    page = new_page()
    sign_in(page, analyst_token)
    page.get_by_role("link", name="Profiles").click()
    page.wait_for_url("**/console/profiles")
    page.get_by_role("link", name="New profile").click()
    editor = page.get_by_label("Profile (YAML)")

    # A typo in a field name comes back as a coded error; the text is kept for correction.
    editor.fill(PROFILE_YAML.replace("origin_country", "origin_county"))
    page.get_by_role("button", name="Save draft").click()
    errors = page.locator("table.errors")
    errors.wait_for()
    assert "CW-PROFILE-FIELD" in errors.inner_text()
    assert "/when/all/1/field" in errors.inner_text()
    assert "origin_county" in editor.input_value()

    editor.fill(PROFILE_YAML)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r".*/console/profiles/VAL-SHIRTS-CN\?version=1$"))
    assert page.locator("#profile-status [data-status]").inner_text() == "Draft"

    # Test against the past: the default period is the last 30 days.
    page.get_by_role("button", name="Test").click()
    page.locator("#bt-hits").wait_for()
    assert page.locator("#bt-hits").inner_text() == "2"
    assert page.locator("#bt-declarations").inner_text() == "3"
    assert page.locator("#bt-controlled").inner_text() == "1"
    assert page.locator("#bt-irregular").inner_text() == "1"
    sample = page.locator("#bt-sample").inner_text()
    assert past["irregular"] in sample and past["unchecked"] in sample
    assert past["other"] not in sample
    screenshot(page, "console-profile-backtest.png")

    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/console/profiles/VAL-SHIRTS-CN?version=1")
    assert page.locator("#profile-status [data-status]").inner_text() == "Active"
    assert page.get_by_role("button", name="Activate").count() == 0

    page.goto("/console/profiles?status=active")
    row = page.locator("#profiles tr[data-code='VAL-SHIRTS-CN']")
    assert row.get_attribute("data-status") == "active"
    assert page.problems == []


# --- pages through the TestClient -----------------------------------------------------

@pytest.fixture
def as_analyst(client: TestClient, console: Any) -> TestClient:
    token = make_token(console.ctx, "ana", "risk_analyst")
    client.cookies.set("cw_token", token)
    client.headers["X-CSRF-Token"] = key_for(console.ctx.settings.secret_key, token)
    return client


def test_officers_and_traders_get_403_pages(signed_in: Any) -> None:
    for who in ("officer", "trader"):
        page = signed_in(who).get("/console/profiles")
        assert page.status_code == 403 and "text/html" in page.headers["content-type"]
        assert "Profiles" not in signed_in(who).get("/console").text.split("<main")[0]


def test_the_editor_shows_coded_errors_never_a_500(as_analyst: TestClient) -> None:
    for text in ("", "- [", "code: X\nname: y", "a: &x 1\nb: *x", "x" * 600_000):
        answer = as_analyst.post("/console/profiles/new", data={"definition": text})
        assert answer.status_code in (413, 422), (text[:20], answer.status_code)
        assert "CW-" in answer.text


def test_edit_of_an_active_profile_makes_a_new_draft(as_analyst: TestClient) -> None:
    as_analyst.post("/console/profiles/new", data={"definition": PROFILE_YAML})
    as_analyst.post("/console/profiles/VAL-SHIRTS-CN/activate", data={"version": "1"})
    form = as_analyst.get("/console/profiles/VAL-SHIRTS-CN/edit")
    assert "VAL-SHIRTS-CN" in form.text
    saved = as_analyst.post("/console/profiles/VAL-SHIRTS-CN/edit",
                            data={"definition": PROFILE_YAML.replace("0.6", "0.7")})
    assert saved.headers["location"] == "/console/profiles/VAL-SHIRTS-CN?version=2"
    detail = as_analyst.get("/console/profiles/VAL-SHIRTS-CN")
    assert "v2" in detail.text and 'data-status="active"' in detail.text  # v1 in versions


def test_refused_actions_and_periods_are_pages(as_analyst: TestClient) -> None:
    as_analyst.post("/console/profiles/new", data={"definition": PROFILE_YAML})
    as_analyst.post("/console/profiles/VAL-SHIRTS-CN/retire", data={})
    again = as_analyst.post("/console/profiles/VAL-SHIRTS-CN/retire", data={})
    assert again.status_code == 409 and "CW-PROFILE-STATE" in again.text
    bad = as_analyst.post("/console/profiles/VAL-SHIRTS-CN/backtest",
                          data={"start": "2026-02-01", "end": "2025-01-01"})
    assert bad.status_code == 422 and "CW-PROFILE-PERIOD" in bad.text
    partial = as_analyst.post("/console/profiles/VAL-SHIRTS-CN/backtest",
                              data={"start": "not a date"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "CW-PROFILE-PERIOD" in partial.text
    assert "<html" not in partial.text
    assert as_analyst.get("/console/profiles/NO-SUCH").status_code == 404
    assert as_analyst.get("/console/profiles?status=odd").status_code == 200


def test_cross_site_profile_posts_are_refused(as_analyst: TestClient) -> None:
    answer = as_analyst.post("/console/profiles/new", data={"definition": PROFILE_YAML},
                             headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403
    assert as_analyst.get("/console/profiles/VAL-SHIRTS-CN").status_code == 404
