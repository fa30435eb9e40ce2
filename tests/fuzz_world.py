"""The application the Schemathesis runs fuzz: a fresh database, a user of every role and
one real declaration, so that reads can find something."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import schemathesis
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.identity import Role
from helpers import TRADER, carried_code, import_doc, make_token


@schemathesis.serializer("application/edifact")
def _edifact(ctx: Any, value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


@schemathesis.serializer("application/jose")
def _jose(ctx: Any, value: Any) -> bytes:  # a partner's signed message (compact JWS)
    return value if isinstance(value, bytes) else str(value).encode()


def fuzz_app(url: str, prefix: str, seed: int) -> tuple[Any, dict[str, str]]:
    """The app on `url` and a bearer token per role name."""
    ctx = build_context(
        Settings(database_url=url, environment="test"),
        clock=FixedClock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC)), rng=random.Random(seed))
    prepare(ctx)
    tokens = {role.value: make_token(ctx, f"{prefix}-{role.value}", role.value,
                                     carried_code(role, TRADER))
              for role in Role}
    app = create_app(ctx)
    with TestClient(app) as client:
        client.post("/api/v1/declarations", json=import_doc(),
                    headers={"Authorization": f"Bearer {tokens['trader']}"})
    return app, tokens
