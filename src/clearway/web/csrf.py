"""Cross-site request forgery protection for every unsafe console request.

ConsoleRoute checks each POST/PUT/PATCH/DELETE before its handler runs, so a new form route
cannot forget it: the Origin, when sent, must be this site, and the request must carry the
form key, as the hidden field `csrf_token` (plain forms) or the `X-CSRF-Token` header (htmx,
set on <body> by base.html). The key is an HMAC, under the secret key, of the session token
cookie, or before sign-in of a random pre-session cookie: another site can neither read it
nor compute it, and it changes with each sign-in."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from fastapi import Request
from starlette.formparsers import MultiPartException

from clearway.api.authentication import TOKEN_COOKIE

PRESESSION_COOKIE = "cw_presession"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Room for the form's other fields beside an uploaded file.
FORM_OVERHEAD = 1024 * 1024


def key_for(secret_key: str, binding: str) -> str:
    """The form key for a session token (or pre-session value) under the secret key."""
    return hmac.new(secret_key.encode(), b"console-form|" + binding.encode(),
                    hashlib.sha256).hexdigest()


def _binding(request: Request) -> str:
    return (request.cookies.get(TOKEN_COOKIE) or request.cookies.get(PRESESSION_COOKIE)
            or "")


def form_key(request: Request) -> str:
    """The key the console's forms carry on this request's pages. Before sign-in, a new
    pre-session value is made (and `new_presession` says so, for the response's cookie)."""
    binding = _binding(request)
    if not binding:
        binding = getattr(request.state, "presession", None) or secrets.token_urlsafe(32)
        request.state.presession = binding
    return key_for(str(request.app.state.context.settings.secret_key), binding)


def new_presession(request: Request) -> str | None:
    value = getattr(request.state, "presession", None)
    return value if isinstance(value, str) else None


def _largest_form(request: Request) -> int:
    from clearway.declarations.formats import MAX_DOCUMENT_BYTES

    settings: Any = request.app.state.context.settings
    return max(MAX_DOCUMENT_BYTES, int(settings.evidence_max_bytes)) + FORM_OVERHEAD


async def _sent_in_form(request: Request) -> str | None:
    """The form's `csrf_token` field. The body is read once (Starlette keeps it for the
    handler) and parsed here on a copy, so the handler's own form limits still apply."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = request.headers.get("content-length", "")
    if content_type not in FORM_TYPES or not length.isdigit():
        return None
    if int(length) > _largest_form(request):
        return None
    body = await request.body()

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    copy = Request(request.scope, receive=replay)
    try:
        async with copy.form(max_files=4, max_fields=1000,
                             max_part_size=_largest_form(request)) as form:
            value = form.get(FIELD)
    except MultiPartException:
        return None
    return value if isinstance(value, str) else None


async def refusal(request: Request, cross_site: bool) -> str | None:
    """Why an unsafe request must be refused, or None when it may go on."""
    if request.method not in UNSAFE_METHODS:
        return None
    if cross_site:
        return "The form was posted from another site."
    if not _binding(request):
        return "The form has no session key: reload the page and try again."
    sent = request.headers.get(HEADER) or await _sent_in_form(request)
    expected = form_key(request)
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        return ("The form has expired or did not come from this console: reload the page "
                "and try again.")
    return None
