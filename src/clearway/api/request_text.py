"""What the boundary guard (clearway.api.limits) reads in headers and bodies, decided on
exactly what the router will read: the first of each header (as `request.headers.get`),
any body as JSON where FastAPI might parse it as JSON, each multipart part as Starlette
parses it. Refusals are CW-SYN-TEXT (422, clearway.text_guard) or, for a header that
must come once, CW-REQUEST-INVALID (400).
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Message, Scope

from clearway import text_guard
from clearway.errors import ClearwayError, Issue, Malformed

# Headers that say how the body is framed or read: each may come once. Two lengths, or a
# length beside chunked framing, is how a request is smuggled past a proxy that reads the
# other; two types let a check read one while the router reads the other.
ONCE = (b"content-type", b"content-length", b"transfer-encoding")


def first_headers(scope: Scope) -> dict[bytes, bytes]:
    """The first value of each header: the one Starlette's `request.headers.get` reads."""
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        found.setdefault(name.lower(), value)
    return found


def header_problem(scope: Scope) -> ClearwayError | None:
    """A framing header more than once (400), or a Content-Type no column can store
    (routes keep it: an evidence file's type)."""
    names = [name.lower() for name, _ in scope["headers"]]
    twice = next((n for n in ONCE if names.count(n) > 1), None)
    if twice is None and b"content-length" in names and b"transfer-encoding" in names:
        twice = b"content-length beside transfer-encoding"
    if twice is not None:
        return Malformed("CW-REQUEST-INVALID", "The request repeats a header that must "
                         f"come once ({twice.decode()})")
    issue = text_guard.header_issue("content-type", first_headers(scope).get(b"content-type"))
    return text_guard.TextRefused(issue) if issue else None


async def body_issue(scope: Scope, content_type: bytes, body: bytes) -> Issue | None:
    """The first refused text of a body, read as the route will read it."""
    media = content_type.split(b";")[0].strip().lower()
    if media.endswith((b"/yaml", b"/x-yaml")):
        return text_guard.yaml_issue(body)
    if media == b"application/x-www-form-urlencoded":
        return text_guard.form_issue(body)
    if media == b"multipart/form-data":
        return await multipart_issue(scope, body)
    # Any other body is checked as JSON whatever its declared type: FastAPI reads a JSON
    # type (by its own reading of the header) as JSON and hands any other type to the
    # route as bytes, which a str body takes as text and a route may parse itself (a list
    # in CSV). Other types keep their own encoding errors (the list readers name them).
    is_json = media in (b"", b"application/json") or media.endswith(b"+json")
    return text_guard.json_issue(body, encoding=is_json)


async def multipart_issue(scope: Scope, body: bytes) -> Issue | None:
    """Text fields of a multipart form, and each file's name and type (header text that
    is stored beside the file). Parsed from a copy with Starlette's default limits, which
    no route raises, so whatever a route can read has been checked here."""
    async def once() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        async with Request(scope, receive=once).form(max_files=1000, max_fields=1000,
                                                     max_part_size=len(body) + 1) as form:
            items: list[tuple[str, Any]] = list(form.multi_items())
    except MultiPartException:
        return None  # malformed: the route's own parser says so
    for name, value in items:
        if isinstance(value, UploadFile):
            found = text_guard.part_issue(name, value.filename, value.content_type)
        else:
            found = text_guard.fields_issue([(name, value)])
        if found:
            return found
    return None
