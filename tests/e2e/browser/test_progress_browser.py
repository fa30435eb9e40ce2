"""The progress report room in Chromium at 1280x800: a supervisor starts this
administration's report, writes the risk section's narrative and marks it complete; the
page shows the indicators, the not-in-use sections and the reminder; the PDF opens; the
secretariat signing in lands in the regional view. Screenshots: test-artifacts/progress-*."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from clearway.identity import Role, User
from clearway.progress import service
from clearway.progress.model import Conference
from helpers import make_token

SCREEN = {"width": 1280, "height": 800}
HEAD = User(id=0, name="head", role=Role.HEAD_OF_ADMINISTRATION, trader_id=None)


@pytest.fixture(scope="module")
def people(shared_console: Any) -> dict[str, str]:
    ctx = shared_console.ctx
    # Held 2027-01-05: reports due 2026-12-05, 15 days after the console's clock (20 Nov),
    # so the 30-day reminder has fallen.
    service.create_conference(ctx, HEAD, Conference(
        "SEE-2027", "SEE customs conference", date(2027, 1, 5), ("RS", "MK"),
        date(2026, 1, 1)))
    return {"sup": make_token(ctx, "pr-sup", "supervisor"),
            "sec": make_token(ctx, "pr-sec", "secretariat")}


def test_a_supervisor_writes_a_section_and_reads_the_report(
        new_page: Any, sign_in: Any, people: dict[str, str], screenshot: Any) -> None:
    page = new_page(viewport=SCREEN)
    sign_in(page, people["sup"])
    page.get_by_role("link", name="Progress").click()
    assert "SEE-2027" in page.locator("#reminders").inner_text()
    page.get_by_role("button", name="Start the report").click()
    page.wait_for_url(re.compile(r".*/console/progress/reports/\d+$"))
    assert page.locator("#report-status").inner_text() == "draft"
    assert "Reminder" in page.locator("#report-reminder").inner_text()
    assert page.locator("#section-border .not-in-use").count() == 1
    page.locator("#n-risk").fill("Every declaration is risk-analysed on lodgement.")
    page.locator("#section-risk").get_by_role("button", name="Save and mark complete").click()
    page.wait_for_url(re.compile(r".*/console/progress/reports/\d+$"))
    assert "completed by pr-sup" in page.locator("#section-risk").inner_text()
    assert page.locator("#n-risk").input_value().startswith("Every declaration")
    screenshot(page, "progress-report.png")
    with page.expect_response(re.compile(r".*/document\.pdf$")) as answer:
        page.evaluate("() => fetch(document.querySelector(\"a[href$='document.pdf']\").href)")
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"
    assert page.problems == []


def test_the_secretariat_lands_in_the_regional_view(
        new_page: Any, people: dict[str, str], screenshot: Any) -> None:
    page = new_page(viewport=SCREEN)
    page.goto("/console/login")
    page.get_by_label("Access token").fill(people["sec"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/console/progress/regional$"))
    page.get_by_role("link", name="SEE-2027").click()
    assert "not received" in page.locator("#regional").inner_text().lower()
    assert "No report received yet." in page.locator("#regional").inner_text()
    assert page.locator("#import-form").count() == 1
    screenshot(page, "progress-regional.png")
    assert page.problems == []
