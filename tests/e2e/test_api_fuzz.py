"""Schemathesis over the whole OpenAPI document, as every role and with no token: no 5xx,
and every refusal carries a CW- code.

Budget: CLEARWAY_FUZZ_EXAMPLES generated cases per operation and role (default 5, about a
minute for the file on two cores); a longer hunt, e.g. one role at a time:
`CLEARWAY_FUZZ_EXAMPLES=200 uv run pytest tests/e2e/test_api_fuzz.py -q -k officer`.
"""

from __future__ import annotations

import os
import random
import tempfile
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clock import FixedClock
from clearway.config import Settings
from clearway.context import Context
from clearway.users.model import Role
from helpers import TRADER, import_doc, make_token

EXAMPLES = int(os.environ.get("CLEARWAY_FUZZ_EXAMPLES", "5"))
ANONYMOUS = "anonymous"


@schemathesis.serializer("application/edifact")
def _edifact(ctx: Any, value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def _build() -> tuple[Any, dict[str, str]]:
    folder = tempfile.mkdtemp(prefix="clearway-fuzz-")
    ctx = Context.from_settings(
        Settings(database_url=f"sqlite:///{folder}/fuzz.db", environment="test"),
        clock=FixedClock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC)), rng=random.Random(3))
    prepare(ctx)
    tokens = {role.value: make_token(ctx, f"fuzz-{role.value}", role.value,
                                     TRADER if role is Role.TRADER else None) for role in Role}
    app = create_app(ctx)
    from fastapi.testclient import TestClient

    with TestClient(app) as client:  # one real declaration, so reads can find something
        client.post("/api/v1/declarations", json=import_doc(),
                    headers={"Authorization": f"Bearer {tokens['trader']}"})
    return app, tokens


APP, TOKENS = _build()
schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)
# The coverage phase (boundary values of every field, tens of cases per operation whatever the
# budget) costs minutes on the declaration schema: on only for long runs.
schema.config.phases.coverage.enabled = os.environ.get("CLEARWAY_FUZZ_COVERAGE") == "1"


@pytest.mark.parametrize("role", [*sorted(TOKENS), ANONYMOUS])
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any, role: str) -> None:
    headers = dict(case.headers or {})
    if role != ANONYMOUS:
        headers["Authorization"] = f"Bearer {TOKENS[role]}"
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert body["code"].startswith("CW-") and body["message"]
