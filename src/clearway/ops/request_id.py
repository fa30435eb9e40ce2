"""The request ID: taken from the caller when well formed, else made here; kept in a
context variable so every log record written while serving the request carries it."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

HEADER = "X-Request-ID"
# Callers (a gateway, a trader's system) may choose the ID, but it lands in logs and a
# response header: only short, plain tokens are honoured, so nothing can be injected.
_VALID = re.compile(r"[A-Za-z0-9._-]{1,128}")

_current: ContextVar[str | None] = ContextVar("clearway_request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(incoming: str | None) -> str:
    """The caller's ID when it is 1-128 characters of [A-Za-z0-9._-], else a fresh one."""
    if incoming is not None and _VALID.fullmatch(incoming):
        return incoming
    return new_request_id()


def current_request_id() -> str | None:
    """The ID of the request being served in this context (None outside a request)."""
    return _current.get()


def bind_request_id(request_id: str | None) -> Token[str | None]:
    """Bind `request_id` to this context; returns the token `unbind_request_id` takes."""
    return _current.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _current.reset(token)
