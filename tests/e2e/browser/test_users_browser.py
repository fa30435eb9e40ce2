"""The users room in Chromium: an administrator creates an officer, hands over the token
shown once, the officer signs in with it; the administrator revokes the officer, whose next
page is the sign-in page."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import make_token


@pytest.mark.browser
def test_administrator_creates_and_revokes_a_user(new_page: Any, sign_in: Any,
                                                   shared_console: Any,
                                                   screenshot: Any) -> None:
    admin = new_page()
    sign_in(admin, make_token(shared_console.ctx, "ada", "administrator"))
    admin.get_by_role("link", name="Users").click()
    admin.get_by_label("Name").fill("olga.officer")
    admin.get_by_label("Role").select_option("officer")
    admin.get_by_role("button", name="Create").click()
    token = admin.locator("#issued-token").inner_text()
    assert token.startswith("cw_")
    assert admin.locator("tr[data-user='olga.officer'][data-active='yes']").count() == 1
    screenshot(admin, "console-users-created.png")

    officer = new_page()
    sign_in(officer, token)
    assert "olga.officer" in officer.locator(".user-name").inner_text()

    row = admin.locator("tr[data-user='olga.officer']")
    row.get_by_label("Reason").fill("left the service")
    row.get_by_role("button", name="Revoke").click()
    admin.locator("#user-revoked").wait_for()
    assert admin.locator("tr[data-user='olga.officer'][data-active='no']").count() == 1
    assert token not in admin.content()

    officer.reload()
    assert "/console/login" in officer.url
