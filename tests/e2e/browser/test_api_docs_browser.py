"""`/api/docs` works offline: Swagger UI comes from the package, never from a CDN (issue 17,
item 4). The page's assets are checked over HTTP, then the page is rendered in Chromium
with every request off the local server refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def _references(html: str) -> list[str]:
    """Every address the page loads (scripts, stylesheets, icons) and the schema it reads."""
    found = ASSET.findall(html)
    found += re.findall(r"url: '([^']+)'", html)  # the OpenAPI document, in the inline script
    return found


def test_api_docs_reference_only_this_server(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    references = _references(page.text)
    assert any(ref.endswith("swagger-ui-bundle.js") for ref in references)
    assert any(ref.endswith("swagger-ui.css") for ref in references)
    for ref in references:
        assert not urlsplit(ref).netloc and ref.startswith("/"), f"{ref} is off this server"
        answer = client.get(ref)
        assert answer.status_code == 200, ref
        assert answer.content, ref
    assert "cdn" not in page.text.lower()


@pytest.mark.browser
def test_api_docs_render_operations_offline(new_page: Callable[..., Any], live_server: str,
                                            screenshot: Callable[[Any, str], Path]) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    local = urlsplit(live_server).netloc
    refused: list[str] = []

    def offline(route: Any) -> None:
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:  # the machine has no internet: anything else fails
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", offline)
    page.goto("/api/docs")
    operations = page.locator(".opblock")
    operations.first.wait_for(state="visible", timeout=60_000)  # a 1.8 MB script, 2 cores
    assert operations.count() >= 10  # Swagger UI draws the operations of the open tags
    assert page.locator('.opblock-summary-path[data-path="/api/v1/declarations"]').count()
    assert refused == []
    screenshot(page, "api-docs-offline.png")
