"""The progress report room through the TestClient: who reaches it, a section's owner
writes and completes their narrative through the form, a refusal (four eyes) is a coded
message on the page, the head approves and submits, the PDF is served; the secretariat
sees only the regional view, imports a report file and reads the reports side by side."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.progress.model import SECTION_KEYS, content_hash
from clearway.web.csrf import key_for
from helpers import make_token

CONF = {"code": "SEE-2027", "name": "SEE customs conference 2027", "held_on": "2027-01-25",
        "administrations": ["RS", "MK"], "period_start": "2026-01-01"}
PEOPLE = {"sup1": "supervisor", "sup2": "supervisor", "head": "head_of_administration",
          "sec": "secretariat", "officer": "officer", "auditor": "auditor"}


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    prepare(ctx)
    tokens = {name: make_token(ctx, name, role) for name, role in PEOPLE.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        answer = client.post("/api/v1/progress/conferences", json=CONF,
                             headers={"Authorization": f"Bearer {tokens['head']}"})
        assert answer.status_code == 201, answer.text
        yield client, tokens


def as_(client: TestClient, tokens: dict[str, str], who: str) -> str:
    client.cookies.clear()
    client.cookies.set("cw_token", tokens[who])
    key = key_for(client.app.state.context.settings.secret_key,  # type: ignore[attr-defined]
                  tokens[who])
    client.headers["X-CSRF-Token"] = key
    return key


@pytest.mark.parametrize(("who", "room", "regional"), [
    ("sup1", 200, 403), ("head", 200, 200), ("auditor", 200, 403), ("sec", 403, 200),
    ("officer", 403, 403)])
def test_who_reaches_the_rooms(world: tuple[TestClient, dict[str, str]], who: str,
                               room: int, regional: int) -> None:
    client, tokens = world
    as_(client, tokens, who)
    assert client.get("/console/progress").status_code == room
    assert client.get("/console/progress/regional/SEE-2027").status_code == regional
    if who == "sec":   # the secretariat reads nothing else
        assert client.get("/console").status_code == 403
        bearer = {"Authorization": f"Bearer {tokens[who]}"}
        for path in ("/api/v1/declarations", "/api/v1/progress/reports", "/api/v1/kpis"):
            assert client.get(path, headers=bearer).status_code == 403, path


def test_written_reviewed_approved_submitted_and_read_side_by_side(
        world: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = world
    key = as_(client, tokens, "sup1")
    started = client.post("/console/progress/reports", data={"csrf_token": key,
                                                             "conference": "SEE-2027"})
    assert started.status_code == 303
    report = started.headers["location"]
    page = client.get(report)
    assert page.status_code == 200 and 'id="n-risk"' in page.text
    assert "Not in use in this period" in page.text
    for section in SECTION_KEYS:
        saved = client.post(f"{report}/sections/{section}", data={
            "csrf_token": key, "narrative": f"Done on {section}.", "complete": "yes"})
        assert saved.status_code == 303, saved.text
    refused = client.post(f"{report}/review", data={"csrf_token": key})
    assert refused.status_code == 403 and "CW-PROGRESS-FOUR-EYES" in refused.text
    key = as_(client, tokens, "sup2")
    assert client.post(f"{report}/review", data={"csrf_token": key}).status_code == 303
    key = as_(client, tokens, "head")
    assert client.post(f"{report}/approve", data={"csrf_token": key}).status_code == 303
    assert client.post(f"{report}/submit", data={"csrf_token": key}).status_code == 303
    page = client.get(report)
    assert 'id="report-hash"' in page.text and "submitted" in page.text
    assert 'id="n-risk"' not in page.text and "Done on risk." in page.text
    pdf = client.get(f"{report}/document.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    number = report.rsplit("/", 1)[1]
    exported = client.get(f"/api/v1/progress/reports/{number}/export",
                          headers={"Authorization": f"Bearer {tokens['head']}"}).json()
    exported["content"]["administration"] = "MK"
    exported["sha256"] = content_hash(exported["content"])
    key = as_(client, tokens, "sec")
    imported = client.post("/console/progress/regional/imports", data={"csrf_token": key},
                           files={"file": ("mk.json", json.dumps(exported),
                                           "application/json")})
    assert imported.status_code == 303, imported.text
    side = client.get(imported.headers["location"])
    assert side.status_code == 200
    assert 'data-administration="MK"' in side.text and 'data-administration="RS"' in side.text
    assert "Electronic messaging systems" in side.text
    assert side.text.count("data-indicator=\"dual_use_entries\"") == 1
    broken = dict(exported, sha256="0" * 64)
    refused = client.post("/console/progress/regional/imports", data={"csrf_token": key},
                          files={"file": ("mk.json", json.dumps(broken), "application/json")})
    assert refused.status_code == 422 and "CW-PROGRESS-HASH" in refused.text
