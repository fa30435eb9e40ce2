"""Operations over HTTP: probes, request IDs, metrics and their protection, and logs that
never carry a token or the secret key (docs/operations.md, "Health, logs and metrics")."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.ops import readiness
from clearway.ops.logs import make_handler
from helpers import TRADER, import_doc, make_token


@pytest.fixture
def ops(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    tokens = {"trader": make_token(ctx, "ops-trader", "trader", TRADER),
              "officer": make_token(ctx, "ops-officer", "officer"),
              "admin": make_token(ctx, "ops-admin", "administrator")}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("path", ["/livez", "/readyz", "/healthz"])
def test_probes_answer_without_a_token(ops: Any, path: str) -> None:
    client, _ = ops
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] in ("ok", "ready")


def test_readyz_refuses_a_database_behind_the_code(ops: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    client, _ = ops
    monkeypatch.setattr(readiness, "script_heads", lambda: frozenset({"9999_future"}))
    answer = client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["code"] == "CW-NOT-READY"
    assert [e["element"] for e in body["errors"]] == ["migrations"]
    assert client.get("/livez").status_code == 200  # alive, only not ready


def test_readyz_refuses_a_database_never_migrated(tmp_path: Any) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/empty.db", environment="test")
    ctx = build_context(settings)
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        answer = client.get("/readyz")
    ctx.engine.dispose()
    assert answer.status_code == 503
    assert answer.json()["code"] == "CW-NOT-READY"
    assert [e["element"] for e in answer.json()["errors"]] == ["migrations"]


@pytest.mark.parametrize(("sent", "echoed"), [
    ("gateway-42.a_b", True),
    ("x" * 128, True),
    ("x" * 129, False),
    ("bad id with spaces", False),
    ("accent\u00e9", False),
    ("line\tbreak", False),
    ("", False),
])
def test_request_id_is_echoed_when_well_formed(ops: Any, sent: str, echoed: bool) -> None:
    client, _ = ops
    answer = client.get("/livez", headers={"X-Request-ID": sent.encode()})
    returned = answer.headers["X-Request-ID"]
    assert (returned == sent) is echoed
    if not echoed:
        assert len(returned) == 32 and int(returned, 16) >= 0


def test_request_id_is_generated_and_unique(ops: Any) -> None:
    client, _ = ops
    ids = {client.get("/livez").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_metrics_count_requests_and_read_the_database(ops: Any, ctx: Context) -> None:
    client, tok = ops
    lodged = client.post("/api/v1/declarations", json=import_doc(), headers=bearer(tok["trader"]))
    assert lodged.status_code == 201, lodged.text
    mrn = lodged.json()["mrn"]
    for _ in range(2):
        client.get(f"/api/v1/declarations/{mrn}", headers=bearer(tok["trader"]))
    client.get("/no/such/path")
    answer = client.get("/metrics", headers=bearer(tok["admin"]))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    body = answer.text
    assert ('clearway_http_requests_total{method="GET",route="/api/v1/declarations/{key}",'
            'status="200"} 2.0') in body
    assert 'clearway_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' \
        in body
    assert "clearway_http_request_duration_seconds_bucket" in body
    assert "clearway_metrics_database_up 1.0" in body
    for name in ("clearway_decisions{", "clearway_control_tasks_open{",
                 "clearway_overrides_pending ", "clearway_webhook_outbox ",
                 "clearway_declarations_awaiting_decision "):
        assert name in body, name
    with ctx.engine.connect() as conn:
        channel = conn.execute(text("SELECT channel FROM risk_decisions")).scalar_one()
    assert f'clearway_decisions{{channel="{channel}"}} 1.0' in body


@pytest.mark.parametrize(("who", "status", "code"), [
    (None, 401, "CW-AUTH-REQUIRED"),
    ("trader", 403, "CW-FORBIDDEN"),
    ("officer", 200, None),
    ("admin", 200, None),
])
def test_metrics_need_kpis_read(ops: Any, who: str | None, status: int,
                                code: str | None) -> None:
    client, tok = ops
    answer = client.get("/metrics", headers=bearer(tok[who]) if who else {})
    assert answer.status_code == status
    if code:
        assert answer.json()["code"] == code


def test_metrics_may_be_public(ops: Any, ctx: Context) -> None:
    client, _ = ops
    ctx.settings.metrics_public = True
    assert client.get("/metrics").status_code == 200


@pytest.fixture
def captured(ctx: Context) -> Iterator[io.StringIO]:
    """The root logger's output through the production handler (JSON, redaction)."""
    stream = io.StringIO()
    handler = make_handler("json", [ctx.settings.secret_key], stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_logs_carry_no_token_and_no_secret(ops: Any, ctx: Context,
                                           captured: io.StringIO) -> None:
    client, tok = ops
    secret = ctx.settings.secret_key
    client.app.add_api_route("/boom", _boom(tok["trader"], secret))  # type: ignore[attr-defined]
    client.get("/api/v1/users/me", headers=bearer(tok["trader"]))
    client.get(f"/api/v1/declarations?token={tok['admin']}", headers=bearer(tok["officer"]))
    wrong = "cw_" + "W" * 43
    assert client.get("/api/v1/users/me", headers=bearer(wrong)).status_code == 401
    client.post("/console/login", data={"token": wrong, "next": "/console"})
    client.cookies.set("cw_token", tok["admin"])
    client.get("/console")
    client.cookies.clear()
    assert client.get("/boom", headers={"X-Request-ID": "boom-1"}).status_code == 500
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    output = captured.getvalue()
    for value in (*tok.values(), wrong, secret):
        assert value not in output
    access = [line for line in lines if line["logger"] == "clearway.access"]
    assert len(access) >= 6 and all(line["request_id"] for line in access)
    assert {"method", "path", "status", "duration_ms"} <= set(access[0])
    assert any(line.get("actor") == "trader:ops-trader" for line in access)
    assert all("?" not in line["path"] for line in access)
    crash = [line for line in lines if "exc_info" in line]
    assert crash and crash[0]["request_id"] == "boom-1" and "[REDACTED]" in crash[0]["exc_info"]


def _boom(token: str, secret: str) -> Any:
    def boom() -> None:
        raise RuntimeError(f"upstream said Authorization: Bearer {token}; key={secret}; "
                           f"raw {token} {secret}")
    return boom


def test_the_probe_reads_alembic_version(ctx: Context) -> None:
    prepare(ctx, load_packaged_refdata=False)
    with ctx.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert readiness.script_heads() == frozenset({version})
    assert readiness.failing_checks(ctx.engine) == {}
