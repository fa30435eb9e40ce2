"""Bodies are checked before they are read (clearway.api.limits): credentials first (401
for an anonymous 100 MB POST, having read at most one chunk), then the route's cap (413
CW-SYN-SIZE from Content-Length up front, or while counting a chunked body). The ASGI
application is driven directly, with a body that counts how much of it was consumed and
a memory trace of the whole exchange.
"""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import Iterator, MutableMapping
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from helpers import TRADER, make_token

CHUNK = 64 * 1024
MB = 1024 * 1024


class Body:
    """A streamed request body of `size` bytes that counts what the server pulled."""

    def __init__(self, size: int, fill: bytes = b" ") -> None:
        self.size, self.consumed, self.fill = size, 0, fill * CHUNK

    async def receive(self) -> dict[str, Any]:
        if self.consumed >= self.size:
            await asyncio.sleep(3600)  # a client waiting for its answer
        chunk = self.fill[:min(CHUNK, self.size - self.consumed)]
        self.consumed += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": self.consumed < self.size}


def call(app: FastAPI, method: str, path: str, body: Body, headers: dict[str, str],
         declare_length: bool = True) -> tuple[int, bytes, int]:
    """Status, response body and the peak of traced memory (bytes) of one request."""
    sent: dict[str, Any] = {"status": 0, "body": b""}
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"content-length", str(body.size).encode()) if declare_length
               else (b"transfer-encoding", b"chunked"))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "headers": raw,
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
        elif message["type"] == "http.response.body":
            sent["body"] += message.get("body", b"")

    tracemalloc.start()
    try:
        asyncio.run(asyncio.wait_for(app(scope, body.receive, send), 30))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return sent["status"], sent["body"], peak


@pytest.fixture
def app_and_token(ctx: Context) -> Iterator[tuple[FastAPI, str]]:
    prepare(ctx)
    token = make_token(ctx, "t1", "trader", TRADER)
    app = create_app(ctx)
    with TestClient(app):  # startup, as a server would
        yield app, token


# (id, path, size, with a valid token, sent chunked, expected status, code)
CASES = [
    ("anonymous 100 MB ack", "/api/v1/notifications/ack", 100 * MB, False, False, 401,
     b"CW-AUTH-REQUIRED"),
    ("anonymous 100 MB ack, chunked", "/api/v1/notifications/ack", 100 * MB, False, True,
     401, b"CW-AUTH-REQUIRED"),
    ("anonymous 300 MB submission", "/api/v1/declarations", 300 * MB, False, False, 401,
     b"CW-AUTH-REQUIRED"),
    ("trader 100 MB ack", "/api/v1/notifications/ack", 100 * MB, True, False, 413,
     b"CW-SYN-SIZE"),
    ("trader 100 MB ack, chunked", "/api/v1/notifications/ack", 100 * MB, True, True, 413,
     b"CW-SYN-SIZE"),
    ("trader 300 MB submission", "/api/v1/declarations", 300 * MB, True, False, 413,
     b"CW-SYN-SIZE"),
    ("trader 300 MB submission, chunked", "/api/v1/declarations", 300 * MB, True, True, 413,
     b"CW-SYN-SIZE"),
    ("console 300 MB upload without a session", "/console/submit", 300 * MB, False, False,
     303, b""),
]


@pytest.mark.parametrize(("path", "size", "signed_in", "chunked", "status", "code"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_big_bodies_are_answered_without_being_read(app_and_token: Any, path: str, size: int,
                                                    signed_in: bool, chunked: bool,
                                                    status: int, code: bytes) -> None:
    app, token = app_and_token
    body = Body(size)
    headers = {"content-type": "application/json"}
    if signed_in:
        headers["authorization"] = f"Bearer {token}"
    got, answer, peak = call(app, "POST", path, body, headers, declare_length=not chunked)
    assert (got, code in answer) == (status, True), answer[:300]
    cap = 5 * MB + CHUNK  # the largest cap among these routes, plus the chunk that crossed it
    assert body.consumed <= (cap if chunked and signed_in else 0), body.consumed
    assert peak < (2 * cap if chunked and signed_in else 4 * MB), peak


def test_a_body_within_its_cap_is_read_as_before(app_and_token: Any) -> None:
    app, token = app_and_token
    body = Body(20, b"{")
    status, answer, _ = call(app, "POST", "/api/v1/notifications/ack", body,
                             {"authorization": f"Bearer {token}",
                              "content-type": "application/json"}, declare_length=False)
    assert status == 422 and body.consumed == 20, answer  # read whole, then refused as JSON


def test_cap_follows_the_setting(ctx: Context) -> None:
    prepare(ctx)
    token = make_token(ctx, "t1", "trader", TRADER)
    ctx.settings.document_max_bytes = 4096
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        answer = client.post("/api/v1/declarations", content=b"{" + b" " * 5000 + b"}",
                             headers={"Authorization": f"Bearer {token}",
                                      "Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["code"] == "CW-SYN-SIZE", answer.text
