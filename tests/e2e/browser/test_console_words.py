"""What the console says in words: a refusal names what was refused and whom to sign in
as (the API keeps its code and says the same), a declaration's events show labelled fields
instead of Python values, and the site has an icon."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import import_doc

PYTHON_VALUES = re.compile(r"\b(True|False|None)\b|\[\]|\{\}|\{'")


def events_of(page: str) -> str:
    found = re.search(r'<ol class="timeline" id="events">(.*?)</ol>', page, re.S)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("who", ["officer", "trader"])
def test_event_details_are_labelled_fields_never_python_values(
        signed_in: Callable[[str], TestClient], console: Any, who: str) -> None:
    outcome = console.lodge("trader", import_doc(lrn="WORDS-1"))
    assert outcome.row.mrn is not None, outcome.errors
    page = signed_in(who).get(f"/console/declarations/{outcome.row.mrn}")
    assert page.status_code == 200
    events = events_of(page.text)
    assert '<dl class="fields">' in events
    assert "<dt>MRN</dt><dd>" in events  # the acceptance names the MRN it issued
    assert "<dt>Channel</dt><dd>green</dd>" in events
    if who == "officer":  # staff see the whole decision: a boolean in words
        assert "<dt>Random</dt><dd>no</dd>" in events
    assert not PYTHON_VALUES.search(events), events
    # empty fields (no hits, no ENS outcome, no model) are left out, not shown as nothing
    for gone in ("Hits", "ENS outcome", "Model version"):
        assert f"<dt>{gone}</dt>" not in events


def test_the_api_refusal_keeps_its_code_and_says_it_in_words(
        client: TestClient, console: Any) -> None:
    answer = client.post("/api/v1/declarations", content=json.dumps(import_doc()),
                         headers={"Authorization": f"Bearer {console.tokens['officer']}",
                                  "Content-Type": "application/json"})
    assert answer.status_code == 403
    body = answer.json()
    assert body["code"] == "CW-FORBIDDEN"
    assert body["message"] == ("Officers cannot lodge declarations. Sign in as a trader to do "
                               "this.")


def test_a_trader_refused_a_staff_room_is_told_who_may(
        signed_in: Callable[[str], TestClient]) -> None:
    answer = signed_in("trader").get("/console/kpis")
    assert answer.status_code == 403
    assert "Traders cannot see the key figures. Sign in as an officer, a risk analyst, " \
        "a supervisor, an auditor, an administrator or a security risk officer to do this." \
        in answer.text


def test_the_site_has_an_icon(client: TestClient, signed_in: Callable[[str], TestClient]
                              ) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/vnd.microsoft.icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00" and b"PNG" in icon.content[:40]
    svg = client.get("/console/static/favicon.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    for page in (client.get("/console/login").text, signed_in("officer").get("/console").text):
        assert '<link rel="icon" href="/console/static/favicon.svg" type="image/svg+xml">' \
            in page
        assert '<link rel="icon" href="/favicon.ico"' in page
