"""Schemathesis over the whole OpenAPI document with hostile text mixed into the generated
cases — NUL characters, lone surrogates and oversized strings in path parameters, query
parameters and JSON bodies — as every role and with no token, on SQLite and (when
CLEARWAY_TEST_POSTGRES_URL is set, as in CI) on PostgreSQL, which refuses NUL in text
columns. Zero 5xx; every refusal carries a CW- code.

Budget: CLEARWAY_FUZZ_HOSTILE_EXAMPLES cases per operation, role and backend (default 2:
under a minute per backend on two cores). A longer hunt:
`CLEARWAY_FUZZ_HOSTILE_EXAMPLES=50 uv run pytest tests/e2e/test_api_fuzz_hostile.py -q`.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clearway.identity import Role
from fuzz_world import fuzz_app

EXAMPLES = int(os.environ.get("CLEARWAY_FUZZ_HOSTILE_EXAMPLES", "2"))
ANONYMOUS = "anonymous"
POSTGRES_URL = os.environ.get("CLEARWAY_TEST_POSTGRES_URL")

# What a hostile client puts into text: each is refused at the boundary with a coded error.
NUL, SURROGATE, OVERSIZED = "\x00", "\ud800", "x" * 300_000
IN_JSON = (NUL, SURROGATE, OVERSIZED, "ok\x00ok", "a\udfffb")
IN_URL = (NUL, "ok\x00ok", "y" * 20_000)  # a URL cannot carry a lone surrogate in UTF-8


def _postgres_url() -> str:
    """A database of this worker's own, created afresh for the module."""
    assert POSTGRES_URL
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"clearway_fuzz_{worker}_{os.getpid()}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    atexit.register(_drop, admin, name)
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop(admin: Any, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _build(backend: str) -> tuple[Any, dict[str, str]]:
    url = (_postgres_url() if backend == "postgresql"
           else f"sqlite:///{tempfile.mkdtemp(prefix='clearway-hostile-')}/fuzz.db")
    return fuzz_app(url, "hostile", 5)


def _poison(value: Any, draw: Any, choices: tuple[str, ...]) -> Any:
    """Replace one string somewhere in `value` (or the value itself) with hostile text."""
    if isinstance(value, dict) and value:
        key = draw(st.sampled_from(sorted(value, key=str)))
        return {**value, key: _poison(value[key], draw, choices)}
    if isinstance(value, list) and value:
        index = draw(st.integers(0, len(value) - 1))
        return [*value[:index], _poison(value[index], draw, choices), *value[index + 1:]]
    bad = draw(st.sampled_from(choices))
    return (value + bad) if isinstance(value, str) and draw(st.booleans()) else bad


def _json_body(context: Any) -> bool:
    """Poisoned bodies are JSON ones: a YAML, XML or EDIFACT client could not even encode a
    lone surrogate (those readers have their own hostile tests)."""
    operation = getattr(context, "operation", None)
    media = {body.media_type for body in getattr(operation, "body", None) or ()}
    return not media or any("json" in m for m in media)


def _hostile(choices: tuple[str, ...], body: bool = False) -> Any:
    def flatmap(context: Any, value: Any) -> Any:
        if not value or not isinstance(value, dict | list) or (body and not _json_body(context)):
            return st.just(value)
        return st.one_of(st.just(value),
                         st.composite(lambda draw: _poison(value, draw, choices))())
    return flatmap


BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
SCHEMAS = {}
for _backend in BACKENDS:
    _app, _tokens = _build(_backend)
    _schema = schemathesis.openapi.from_asgi("/api/openapi.json", _app)
    _schema.config.phases.coverage.enabled = False
    _schema.hook("flatmap_body")(_hostile(IN_JSON, body=True))
    _schema.hook("flatmap_query")(_hostile(IN_URL))
    _schema.hook("flatmap_path_parameters")(_hostile(IN_URL))
    SCHEMAS[_backend] = (_schema, _tokens)


def _check(case: Any, role: str, tokens: dict[str, str]) -> None:
    headers = dict(case.headers or {})
    if role != ANONYMOUS:
        headers["Authorization"] = f"Bearer {tokens[role]}"
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert body["code"].startswith("CW-") and body["message"]


ROLES = [*sorted(r.value for r in Role), ANONYMOUS]
_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("role", ROLES)
@SCHEMAS["sqlite"][0].parametrize()
@_SETTINGS
def test_hostile_text_sqlite(case: Any, role: str) -> None:
    _check(case, role, SCHEMAS["sqlite"][1])


if "postgresql" in SCHEMAS:
    @pytest.mark.parametrize("role", ROLES)
    @SCHEMAS["postgresql"][0].parametrize()
    @_SETTINGS
    def test_hostile_text_postgresql(case: Any, role: str) -> None:
        _check(case, role, SCHEMAS["postgresql"][1])
