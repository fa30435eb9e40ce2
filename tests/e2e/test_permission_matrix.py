"""Every API route and every role: a role without the route's permission gets 403
CW-FORBIDDEN; a role with it never does (it may still get 404, 409 or 422)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.identity import PERMISSIONS, Role
from helpers import (
    TRADER,
    RouteInfo,
    all_routes,
    carried_code,
    declared_permissions,
    import_doc,
    make_token,
)

SAMPLE_PATH_VALUES = {"key": "26RS000000000001R0", "action": "release", "note_id": "1",
                      "list_name": "countries", "path": "console.css", "list_id": "TEST",
                      "office": "RS001002", "channel": "red", "trader_id": TRADER,
                      "evidence_id": "1", "name": "u-officer", "arrival_id": "1",
                      "chapter": "61", "kind": "value-difference", "alarm_id": "1",
                      "attachment": "1", "code": "RS-HORGOS", "entry_id": "1",
                      "alert_id": "1", "section": "risk"}


@pytest.fixture
def world(ctx: Context, db_url: str) -> Iterator[tuple[TestClient, dict[Role, str]]]:
    if not db_url.startswith("sqlite"):
        pytest.skip("access rules do not depend on the backend")
    prepare(ctx)
    tokens = {role: make_token(ctx, f"u-{role.value}", role.value,
                               carried_code(role, TRADER))
              for role in Role}
    app = create_app(ctx)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        client.post("/api/v1/declarations", json=import_doc(),
                    headers={"Authorization": f"Bearer {tokens[Role.TRADER]}"})
        yield client, tokens


def api_routes() -> list[RouteInfo]:
    return [r for r in all_routes() if r.path.startswith("/api/") and declared_permissions(r)]


@pytest.mark.parametrize("route", api_routes(), ids=lambda r: f"{sorted(r.methods)[0]} {r.path}")
def test_route_answers_each_role_by_the_table(world: Any, route: RouteInfo) -> None:
    client, tokens = world
    (permission,) = declared_permissions(route)
    path = route.path.format(**SAMPLE_PATH_VALUES)
    method = sorted(route.methods)[0]
    for role, token in tokens.items():
        answer = client.request(method, path, json={},
                                headers={"Authorization": f"Bearer {token}"})
        forbidden = answer.status_code == 403 and answer.json().get("code") == "CW-FORBIDDEN"
        allowed = role in PERMISSIONS[permission]
        assert forbidden is not allowed, (role, method, path, answer.status_code, answer.text)
        assert answer.status_code < 500
    assert client.request(method, path, json={}).status_code == 401
