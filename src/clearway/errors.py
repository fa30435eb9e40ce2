"""Errors that carry their HTTP status and a stable code, rendered in one body shape."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """One coded problem in a submitted document: what, where (element and pointer), why."""

    code: str
    message: str
    element: str | None = None
    pointer: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "element": self.element, "pointer": self.pointer,
                "message": self.message}


@dataclass
class ClearwayError(Exception):
    """Base error: `status` is the HTTP status, `code` a stable machine-readable code."""

    code: str
    message: str
    status: int = 400
    errors: list[Issue] = field(default_factory=list)
    headers: dict[str, str] | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class DocumentInvalid(ClearwayError):
    """The submitted document is unreadable or breaks rules: every issue is listed."""

    def __init__(self, errors: list[Issue], message: str = "The document has errors") -> None:
        super().__init__(code="CW-DOC-INVALID", message=message, status=422, errors=errors)


SHOWN_CHARS = 64  # of a client's value echoed in a message: enough to recognise it


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """`value` as quoted in an error message (its repr, as `{value!r}`), a text cut after
    `limit` characters with an ellipsis, so an answer never echoes a whole hostile input
    (a 5,000-digit key)."""
    if isinstance(value, str):
        return repr(value) if len(value) <= limit else repr(value[:limit]) + "…"
    text = repr(value)
    return text if len(text) <= limit + 2 else text[:limit] + "…"


class NotFound(ClearwayError):
    def __init__(self, what: str, key: str) -> None:
        super().__init__(code="CW-NOT-FOUND", message=f"{what} {shown(key)} not found",
                         status=404)


class Conflict(ClearwayError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code=code, message=message, status=409)


class Unauthenticated(ClearwayError):
    def __init__(self, message: str = "A valid bearer token is required") -> None:
        super().__init__(code="CW-AUTH-REQUIRED", message=message, status=401,
                         headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ClearwayError):
    def __init__(self, message: str = "Your role does not allow this") -> None:
        super().__init__(code="CW-FORBIDDEN", message=message, status=403)
