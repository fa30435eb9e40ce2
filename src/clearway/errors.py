"""Errors that carry a stable code, rendered in one body shape; the HTTP status is the code's
in the table (`clearway.codes`)."""

from __future__ import annotations

from dataclasses import dataclass

from clearway.codes import MALFORMED, TOO_LARGE, refused_as, status_of


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


class ClearwayError(Exception):
    """A refusal by code: `code` is stable and machine-readable, `status` the HTTP status the
    code table (`clearway.codes`) gives it; a code missing there raises KeyError."""

    def __init__(self, code: str, message: str, *, errors: list[Issue] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(code, message)
        self.code, self.message = code, message
        self.status = status_of(code)
        self.errors: list[Issue] = errors if errors is not None else []
        self.headers = headers

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class Malformed(ClearwayError):
    """The request itself cannot be read (its framing, a header, a form): refused at the
    boundary with 400 under the code of what was refused."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.status = refused_as(code, MALFORMED)


class TooLarge(ClearwayError):
    """A body larger than accepted, refused before it is read: 413 under the code of what it
    was to hold (a code whose own status is 413 needs no TooLarge)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.status = refused_as(code, TOO_LARGE)


def reason_required(message: str) -> ClearwayError:
    """A use case that needs a written reason was given none (the form's `reason` field)."""
    return ClearwayError("CW-REASON-REQUIRED", message,
                         errors=[Issue("CW-REASON-REQUIRED", "Give the reason",
                                       pointer="/reason")])


class DocumentInvalid(ClearwayError):
    """The submitted document is unreadable or breaks rules: every issue is listed."""

    def __init__(self, errors: list[Issue], message: str = "The document has errors") -> None:
        super().__init__(code="CW-DOC-INVALID", message=message, errors=errors)


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
        super().__init__(code="CW-NOT-FOUND", message=f"{what} {shown(key)} not found")


class Conflict(ClearwayError):
    """A refusal that the state of things causes: its code's status is 409 (a test checks)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code=code, message=message)


class Unauthenticated(ClearwayError):
    def __init__(self, message: str = "A valid bearer token is required") -> None:
        super().__init__(code="CW-AUTH-REQUIRED", message=message,
                         headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ClearwayError):
    def __init__(self, message: str = "Your role does not allow this") -> None:
        super().__init__(code="CW-FORBIDDEN", message=message)
