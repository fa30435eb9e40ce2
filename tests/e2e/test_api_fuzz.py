"""Schemathesis over the whole OpenAPI document, as every role and with no token: no 5xx,
and every refusal carries a CW- code.

Budget: CLEARWAY_FUZZ_EXAMPLES generated cases per operation and role (default 5, about a
minute for the file on two cores); a longer hunt, e.g. one role at a time:
`CLEARWAY_FUZZ_EXAMPLES=200 uv run pytest tests/e2e/test_api_fuzz.py -q -k officer`.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from fuzz_world import fuzz_app

EXAMPLES = int(os.environ.get("CLEARWAY_FUZZ_EXAMPLES", "5"))
ANONYMOUS = "anonymous"


APP, TOKENS = fuzz_app(
    f"sqlite:///{tempfile.mkdtemp(prefix='clearway-fuzz-')}/fuzz.db", "fuzz", 3)
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
