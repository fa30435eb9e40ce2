"""One ASGI middleware for every request: bind the request ID (and echo it), write the
access log line, and record the request in the application's metrics. Plain ASGI rather
than BaseHTTPMiddleware: it adds no task or body copy to the hot path."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearway.ops.logs import ACCESS_LOGGER
from clearway.ops.metrics import UNMATCHED, AppMetrics
from clearway.ops.request_id import HEADER, accept_request_id, bind_request_id, unbind_request_id

access_log = logging.getLogger(ACCESS_LOGGER)
_HEADER_KEY = HEADER.lower().encode()
# Any other method (a fuzzer's invention) is counted as "OTHER": labels stay bounded.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class OperationsMiddleware:
    def __init__(self, app: ASGIApp, metrics: AppMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == _HEADER_KEY),
                        None)
        request_id = accept_request_id(incoming)
        binding = bind_request_id(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            # The ID stays bound: the 500 handler outside this middleware logs and answers
            # with it. Each request runs in its own task, so nothing leaks to the next one.
            self._record(scope, 500, started)
            raise
        self._record(scope, status, started)
        unbind_request_id(binding)

    def _record(self, scope: Scope, status: int, started: float) -> None:
        seconds = time.perf_counter() - started
        method = scope["method"] if scope["method"] in _METHODS else "OTHER"
        route = getattr(scope.get("route"), "path_format", None) or UNMATCHED
        self.metrics.observe(method, route, status, seconds)
        if access_log.isEnabledFor(logging.INFO):
            # The path only: query strings may carry secrets and are never logged.
            fields: dict[str, Any] = {"method": method, "path": scope["path"],
                                      "status": status,
                                      "duration_ms": round(seconds * 1000, 2),
                                      "actor": _actor(scope)}
            access_log.info("%s %s %s", method, scope["path"], status, extra=fields)


def _actor(scope: Scope) -> str | None:
    """The signed-in user (set by clearway.api.deps.current_user on request.state)."""
    user = (scope.get("state") or {}).get("user")
    actor = getattr(user, "actor", None)
    return actor if isinstance(actor, str) else None
