"""The webhook API: internal URLs are refused at registration with CW-WEBHOOK-URL, the
administrator's allow-list lets an internal receiver in, a URL whose name later resolves to
the loopback is refused at delivery, and the trader sees its circuit in GET."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.notifications import guard
from clearway.notifications.dispatcher import deliver_once
from helpers import TRADER, import_doc, make_token
from webhook_receiver import Listener

HOOK = "/api/v1/notifications/webhook"
SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture
def api(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("the URL check does not depend on the backend")
    prepare(ctx)
    auth = {"Authorization": f"Bearer {make_token(ctx, 'hooked', 'trader', TRADER)}"}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, auth


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/hook", "http://localhost/", "http://2130706433/",
    "http://0x7f.1/", "http://[::ffff:127.0.0.1]/", "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.8/", "http://[fd00::1]/", "ftp://93.184.216.34/", "file:///etc/passwd",
    "https://trader:pw@93.184.216.34/", "not a url", "",
    "http://8.8.8.8:22/", "http://8.8.8.8:6379/", "http://8.8.8.8:0/",  # ports: web only
    "http://8.8.8.8:65536/", "http://8.8.8.8#@127.0.0.1/",
])
def test_registration_refuses_internal_and_odd_urls(api: tuple[TestClient, dict[str, str]],
                                                    url: str) -> None:
    client, auth = api
    answer = client.put(HOOK, headers=auth, json={"url": url})
    assert answer.status_code == 422 and answer.json()["code"] == "CW-WEBHOOK-URL", answer.text
    assert client.get(HOOK, headers=auth).status_code == 404


def test_public_receiver_is_registered_and_its_circuit_shown(
        api: tuple[TestClient, dict[str, str]]) -> None:
    client, auth = api
    answer = client.put(HOOK, headers=auth, json={"url": "https://93.184.216.34/hook"})
    assert answer.status_code == 200, answer.text
    view = client.get(HOOK, headers=auth).json()
    assert view["url"] == "https://93.184.216.34/hook" and "secret" not in view
    assert (view["circuit_state"], view["consecutive_failures"], view["open_until"]) == (
        "closed", 0, None)


def _lodge(client: TestClient, auth: dict[str, str]) -> None:
    answer = client.post("/api/v1/declarations", headers=auth, json=import_doc())
    assert answer.status_code == 201, answer.text


def test_allow_listed_local_receiver_gets_signed_posts(
        api: tuple[TestClient, dict[str, str]], ctx: Context, listener: Listener) -> None:
    client, auth = api
    url = f"http://127.0.0.1:{listener.port}/clearway"
    assert client.put(HOOK, headers=auth, json={"url": url}).status_code == 422
    ctx.settings.webhook_allowed_networks = "127.0.0.1/32"
    assert client.put(HOOK, headers=auth, json={"url": url, "secret": SECRET}
                      ).status_code == 200
    _lodge(client, auth)
    assert deliver_once(ctx).delivered == 2  # the real, guarded poster
    assert [path for path, _host, _body in listener.seen] == ["/clearway", "/clearway"]
    for (_path, _host, body), headers in zip(listener.seen, listener.headers, strict=True):
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Clearway-Signature"] == f"sha256={expected}"
        assert json.loads(body)["lrn"] == import_doc()["lrn"]
    assert client.get("/api/v1/notifications", headers=auth).json()["items"] == []
    assert client.get(HOOK, headers=auth).json()["last_success_at"] is not None


def test_rebinding_to_loopback_fails_at_delivery(api: tuple[TestClient, dict[str, str]],
                                                 ctx: Context, listener: Listener,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    client, auth = api
    answers = {"rebind.example": ["93.184.216.34"]}
    monkeypatch.setattr(guard, "system_resolve", lambda host, port: answers[host])
    ctx.settings.webhook_allowed_ports = str(listener.port)  # open to public receivers
    url = f"http://rebind.example:{listener.port}/hook"
    assert client.put(HOOK, headers=auth, json={"url": url}).status_code == 200
    answers["rebind.example"] = ["127.0.0.1"]  # the name now points at the server itself
    _lodge(client, auth)
    report = deliver_once(ctx)
    assert (report.delivered, report.failed) == (0, 1)
    assert listener.seen == []
    view = client.get(HOOK, headers=auth).json()
    assert view["consecutive_failures"] == 1
    assert "CW-WEBHOOK-URL" in view["last_error"] and "loopback" in view["last_error"]
    assert len(client.get("/api/v1/notifications", headers=auth).json()["items"]) == 2
