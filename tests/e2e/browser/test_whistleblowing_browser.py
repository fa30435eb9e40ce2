"""The whistleblowing channel in Chromium at 1280x800: an anonymous visitor sends a report
from the public form and keeps the receipt code; the integrity auditor reads it and asks a
question; the visitor opens the thread with the code and answers. Screenshots go to
test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import make_token

SCREEN = {"width": 1280, "height": 800}
TEXT = "A broker pays the night shift at the RS001002 office to skip the seal checks."


@pytest.mark.browser
def test_an_anonymous_report_and_the_auditors_question(
        new_page: Any, sign_in: Any, shared_console: Any, screenshot: Any) -> None:
    auditor = make_token(shared_console.ctx, "ivana", "auditor")
    visitor = new_page(viewport=SCREEN)
    visitor.goto("/console/report")
    assert visitor.locator("nav[aria-label=Main]").count() == 0   # no sign-in, no rooms
    visitor.select_option("#wb-topic", "bribery")
    visitor.fill("#wb-text", TEXT)
    visitor.get_by_role("button", name="Send the report").click()
    receipt = visitor.locator("#wb-receipt").inner_text()
    assert len(receipt.replace("-", "")) == 32
    screenshot(visitor, "whistleblowing-received.png")

    desk = new_page(viewport=SCREEN)
    sign_in(desk, auditor)
    desk.get_by_role("link", name="Whistleblowing").click()
    row = desk.locator("#wb-reports tbody tr").first
    assert "to answer" in row.inner_text().lower()
    row.get_by_role("link").click()
    assert TEXT in desk.locator("#wb-thread").inner_text()
    desk.fill("#wb-answer", "Which nights, and which seal numbers?")
    desk.get_by_role("button", name="Send to the reporter").click()
    assert "Which nights" in desk.locator("#wb-thread").inner_text()
    screenshot(desk, "whistleblowing-auditor.png")

    visitor.goto("/console/report/follow-up")
    visitor.fill("#wb-code", receipt.lower())
    visitor.get_by_role("button", name="Open").click()
    assert "Which nights" in visitor.locator("#wb-thread").inner_text()
    visitor.fill("#wb-message", "Tuesdays and Thursdays; seals from the same batch.")
    visitor.get_by_role("button", name="Send").click()
    assert visitor.locator("#wb-thread li").count() == 3
    screenshot(visitor, "whistleblowing-follow-up.png")
    assert visitor.problems == [] and desk.problems == []
    desk.reload()
    assert desk.locator("#wb-thread li").count() == 3
