"""The data protection officer's room through the TestClient: the DPO and auditors reach
it (only the DPO gets the forms), other roles get 403; the access log shows who read what
for which purpose; a breach is recorded and updated through the form; a refusal is a coded
message on the page; the processing register and the subject access form answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.exchange.service import import_agreements
from clearway.identity import Role, User
from clearway.privacy import registers, service
from clearway.web.csrf import key_for
from exchange_world import AGREEMENT_FILE
from helpers import make_token

ROLES = ("data_protection_officer", "auditor", "supervisor", "officer", "administrator")


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("page rendering does not depend on the backend")
    prepare(ctx)
    import_agreements(ctx, AGREEMENT_FILE.read_text(), "administrator:test")
    tokens = {role: make_token(ctx, f"u-{role}", role) for role in ROLES}
    reader = User(id=1, name="sup", role=Role.SUPERVISOR, trader_id=None)
    service.list_received(ctx, reader, purpose="transit-control")
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield client, tokens


def as_(client: TestClient, tokens: dict[str, str], who: str) -> str:
    client.cookies.clear()
    client.cookies.set("cw_token", tokens[who])
    key = key_for(client.app.state.context.settings.secret_key,  # type: ignore[attr-defined]
                  tokens[who])
    client.headers["X-CSRF-Token"] = key
    return key


@pytest.mark.parametrize(("who", "status", "forms"), [
    ("data_protection_officer", 200, True), ("auditor", 200, False),
    ("supervisor", 403, False), ("officer", 403, False), ("administrator", 403, False),
])
def test_the_room_is_the_dpos_and_auditors(world: tuple[TestClient, dict[str, str]], who: str,
                                           status: int, forms: bool) -> None:
    client, tokens = world
    as_(client, tokens, who)
    page = client.get("/console/privacy")
    assert page.status_code == status
    if status == 200:
        assert 'id="access-log"' in page.text and "supervisor:sup" in page.text
        assert "transit-control" in page.text and 'data-agreement="RS-MK-2026"' in page.text
        assert ('id="breach-form"' in page.text) is forms
        assert ('id="subject-form"' in page.text) is forms
        assert 'href="/console/privacy"' in page.text  # the nav link
    assert client.get("/console").status_code == 200


def test_a_breach_is_recorded_and_updated_through_the_form(
        world: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = world
    key = as_(client, tokens, "data_protection_officer")
    form = {"csrf_token": key, "reference": "", "detected_at": "2026-11-19T08:00",
            "description": "A laptop with exported arrivals was lost",
            "categories": "vehicle plates, pseudonyms", "subjects_affected": "42",
            "partners_notified": "MK", "authority_notified_at": "", "measures": "",
            "status": "open"}
    saved = client.post("/console/privacy/breaches", data=form)
    assert saved.status_code == 303 and "BR-0001" in saved.headers["location"]
    form |= {"reference": "BR-0001", "status": "contained", "measures": "Disk encrypted",
             "authority_notified_at": "2026-11-19T20:00"}
    assert client.post("/console/privacy/breaches", data=form).status_code == 303
    (breach,) = registers.list_breaches(client.app.state.context)  # type: ignore[attr-defined]
    assert (breach.status, breach.subjects_affected, breach.categories) == (
        "contained", 42, ("vehicle plates", "pseudonyms"))
    page = client.get("/console/privacy")
    assert 'data-breach="BR-0001"' in page.text and "Disk encrypted" in page.text


@pytest.mark.parametrize(("path", "form", "code"), [
    ("/console/privacy/breaches", {"detected_at": "yesterday", "description": "x"},
     "CW-PRIV-INVALID"),
    ("/console/privacy/breaches", {"detected_at": "2026-11-19T08:00", "description": " "},
     "CW-PRIV-INVALID"),
    ("/console/privacy/extensions", {"message_id": "nope", "days": "30", "reason": "case"},
     "CW-PRIV-NOT-FOUND"),
    ("/console/privacy/extensions", {"message_id": "nope", "days": "30", "reason": ""},
     "CW-REASON-REQUIRED"),
    ("/console/privacy/subject-access", {"name": "", "country": "RS"}, "CW-PRIV-INVALID"),
])
def test_a_refusal_is_a_coded_message_on_the_page(world: tuple[TestClient, dict[str, str]],
                                                  path: str, form: dict[str, str],
                                                  code: str) -> None:
    client, tokens = world
    key = as_(client, tokens, "data_protection_officer")
    answer = client.post(path, data={"csrf_token": key, **form})
    assert 400 <= answer.status_code < 500
    assert code in answer.text and 'id="privacy-problem"' in answer.text


def test_the_subject_access_form_answers_and_is_logged(
        world: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = world
    key = as_(client, tokens, "data_protection_officer")
    answer = client.post("/console/privacy/subject-access",
                         data={"csrf_token": key, "name": "Petar Petrović", "country": "RS"})
    assert answer.status_code == 200 and 'id="subject-report"' in answer.text
    assert "0 message(s)" in answer.text
    as_(client, tokens, "auditor")
    assert client.post("/console/privacy/subject-access",
                       data={"csrf_token": key, "name": "x", "country": "RS"}
                       ).status_code == 403
    (entry,) = service.access_log(client.app.state.context,  # type: ignore[attr-defined]
                                  action="export")
    assert entry["actor"] == "data_protection_officer:u-data_protection_officer"
