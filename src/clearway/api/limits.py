"""The request boundary: every request passes here before routing (docs/api.md, "Limits at
the boundary"). In order, and each step before the body is read:

1. the path and query parameters are checked for refused text (clearway.text_guard),
   and the headers that frame or type the body must come once (clearway.api.request_text);
2. a body sent to /api/ needs valid credentials first (the same token lookup and sign-in
   throttle as clearway.api.deps.current_user, which then reuses the result): an anonymous
   100 MB POST is answered 401 having read nothing (but a partner's message to the exchange
   inbox, whose signature is its credential, checked by the route). Console forms above the
   size of a sign-in form likewise need a session cookie (else the sign-in page);
3. the body may be at most its route's cap (`RULES`; Content-Length checked up front, a
   chunked body counted as it arrives): over it, 413 CW-SYN-SIZE at once;
4. the body's text is checked as the route will read it (url-encoded and multipart forms,
   YAML, and JSON whatever the declared type; a multipart file's bytes are not text, its
   name and type are), then handed on whole.

FastAPI reads a Pydantic body before it runs any dependency, and Starlette reads a body
whole; so these checks cannot live in the routes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearway import text_guard
from clearway.api import request_text
from clearway.api.authentication import AUTH_STATE, authenticate_token, request_token
from clearway.config import Settings
from clearway.errors import ClearwayError, Malformed, Unauthenticated

KiB, MiB = 1024, 1024 * 1024
SMALL_JSON = 64 * KiB  # a command body (a reason, a result, a role): far above any real one
FORM_OVERHEAD = 64 * KiB  # multipart framing and the other fields beside an uploaded file


@dataclass(frozen=True)
class Rule:
    """Bodies of `methods` on paths matching `path`: at most `cap(settings)` bytes. `text`:
    "auto" checks by content type; "yaml" whatever the content type (the route reads YAML);
    "none" where the route checks its own text (documents, with pointers into the
    document) or the body is a file."""

    path: re.Pattern[str]
    methods: frozenset[str]
    cap: Callable[[Settings], int]
    text: str = "auto"
    code: str = "CW-SYN-SIZE"  # of the 413; evidence keeps its own, as documented


def _rule(path: str, methods: str, cap: Callable[[Settings], int], text: str = "auto",
          code: str = "CW-SYN-SIZE") -> Rule:
    return Rule(re.compile(path), frozenset(methods.split()), cap, text, code)


def _document(settings: Settings) -> int:
    return int(settings.document_max_bytes)


RULES: tuple[Rule, ...] = (
    _rule(r"/api/v1/declarations/?", "POST", _document, text="none"),
    _rule(r"/api/v1/declarations/[^/]+", "PUT", _document, text="none"),
    _rule(r"/bench/.*", "POST PUT", _document, text="none"),
    _rule(r"/api/v1/controls/tasks/[^/]+/evidence", "POST",
          lambda s: int(s.evidence_max_bytes), text="none", code="CW-EVIDENCE-SIZE"),
    _rule(r"/api/v1/screening/lists/[^/]+", "PUT", lambda s: 64 * MiB),  # MAX_LIST_BYTES
    _rule(r"/api/v1/dual-use/?", "POST", lambda s: 16 * MiB),  # dualuse MAX_LIST_BYTES
    _rule(r"/api/v1/profiles/import", "POST", lambda s: 2 * MiB, text="yaml"),
    _rule(r"/api/v1/profiles(/.*)?", "POST PUT", lambda s: 2 * MiB),  # MAX_YAML_BYTES
    _rule(r"/api/v1/ipr-applications(/[^/]+)?", "POST PUT", lambda s: 256 * KiB),
    # A partner's signed message (clearway.exchange.signing reads it as ASCII or refuses).
    _rule(r"/api/v1/exchange/inbox", "POST", lambda s: 2 * MiB, text="none"),
    _rule(r"/api/v1/exchange/agreements", "POST", lambda s: MiB, text="yaml"),
    _rule(r"/api/v1/assistance/requests(/[^/]+/reply)?", "POST",
          lambda s: 2 * MiB),  # attachments: assistance.model MAX_MESSAGE_ATTACHMENT_BYTES
    # The anonymous whistleblowing channel: a report or message, a receipt code.
    _rule(r"/api/v1/whistleblowing/(report|follow-up|follow-up/message)", "POST",
          lambda s: 32 * KiB),
    _rule(r"/console/report(/.*)?", "POST", lambda s: 32 * KiB),
    _rule(r"/console/submit", "POST", lambda s: _document(s) + FORM_OVERHEAD),
    _rule(r"/console/tasks/[^/]+/evidence", "POST",
          lambda s: int(s.evidence_max_bytes) + FORM_OVERHEAD, code="CW-EVIDENCE-SIZE"),
    _rule(r"/console/profiles(/.*)?", "POST", lambda s: 512 * KiB),  # web.profiles form
    _rule(r"/console/.*", "POST", lambda s: 256 * KiB),  # web.controls MAX_FORM_BYTES
)
DEFAULT = Rule(re.compile(".*"), frozenset(), lambda s: SMALL_JSON)
# Bodies sent to /api/ without a token: a partner administration's signed message, whose
# signature (checked against the partner register by the route) is its credential.
SIGNED_BY_PARTNER = frozenset({"/api/v1/exchange/inbox"})
# Bodies sent by no one: the whistleblowing channel's sender is never identified, so no token
# or cookie is read there (a bad one would count against the sender's address).
ANONYMOUS = frozenset({"/api/v1/whistleblowing/report", "/api/v1/whistleblowing/follow-up",
                       "/api/v1/whistleblowing/follow-up/message", "/console/report",
                       "/console/report/follow-up", "/console/report/follow-up/message"})


def rule_for(method: str, path: str) -> Rule:
    for rule in RULES:
        if method in rule.methods and rule.path.fullmatch(path):
            return rule
    return DEFAULT


class BoundaryGuard:
    def __init__(self, app: ASGIApp, *,
                 console_refusal: Callable[[Request, ClearwayError], Response]) -> None:
        self.app = app
        # How a refused console request is answered (an HTML page or the sign-in redirect):
        # the console's own renderer, given by the application that mounts both.
        self.console_refusal = console_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        issue = text_guard.url_issue(raw_path, scope.get("query_string", b""))
        if issue:
            await self._refuse(scope, receive, send, text_guard.TextRefused(issue))
            return
        problem = request_text.header_problem(scope)
        if problem:
            await self._refuse(scope, receive, send, problem)
            return
        headers = request_text.first_headers(scope)
        length = headers.get(b"content-length", b"")
        chunked = b"transfer-encoding" in headers
        if not chunked and length in (b"", b"0"):
            await self.app(scope, receive, send)  # no body: nothing to guard
            return
        request = Request(scope)
        rule = rule_for(scope["method"], scope["path"])
        settings: Settings = request.app.state.context.settings
        cap = rule.cap(settings)
        try:
            await self._authenticate(request, scope, chunked or int(length or 0) > SMALL_JSON
                                     if length.isdigit() or chunked else True)
        except ClearwayError as exc:
            await self._refuse(scope, receive, send, exc)
            return
        if not length.isdigit() and not chunked:
            await self._refuse(scope, receive, send, Malformed(
                "CW-REQUEST-INVALID", "The Content-Length header is not a number"))
            return
        if length.isdigit() and int(length) > cap:
            await self._refuse(scope, receive, send, _too_large(rule, cap, int(length)))
            return
        try:
            body = await _read(receive, rule, cap)
        except ClientDisconnect:
            return
        except ClearwayError as exc:
            await self._refuse(scope, receive, send, exc)
            return
        if rule.text != "none":
            media = b"application/yaml" if rule.text == "yaml" else headers.get(
                b"content-type", b"")
            issue = await request_text.body_issue(scope, media, body)
            if issue:
                await self._refuse(scope, receive, send, text_guard.TextRefused(issue))
                return
        await self.app(scope, _replay(body, receive), send)

    async def _authenticate(self, request: Request, scope: Scope, large: bool) -> None:
        path: str = scope["path"]
        if path in SIGNED_BY_PARTNER or path in ANONYMOUS:
            needed = False
        elif path.startswith(("/api/", "/bench/")):
            needed = True
        elif path.startswith("/console/") and path != "/console/login":
            needed = large  # small forms: the route's CSRF check answers first, as before
        else:
            needed = False
        if not needed:
            return
        token = request_token(request)
        if not token:
            raise Unauthenticated()
        user = await authenticate_token(request, token)
        state = scope.setdefault("state", {})
        state[AUTH_STATE], state["user"] = (token, user), user

    async def _refuse(self, scope: Scope, receive: Receive, send: Send,
                      exc: ClearwayError) -> None:
        response: Response
        request = Request(scope)
        if scope["path"].startswith("/console/"):
            response = self.console_refusal(request, exc)
        else:
            response = JSONResponse({"code": exc.code, "message": exc.message,
                                     "errors": [e.as_dict() for e in exc.errors]},
                                    status_code=exc.status, headers=exc.headers)
        # The client may still be sending: say so, so no one waits on a half-read body.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _too_large(rule: Rule, cap: int, size: int | None = None) -> ClearwayError:
    shown = f"{size:,} bytes; " if size is not None else ""
    return ClearwayError(rule.code, f"The request body is too large ({shown}the limit "
                         f"for this address is {cap:,} bytes)")


async def _read(receive: Receive, rule: Rule, cap: int) -> bytes:
    """The whole body, refusing (413) as soon as more than `cap` bytes have arrived."""
    chunks: list[bytes] = []
    total = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        total += len(chunk)
        if total > cap:
            raise _too_large(rule, cap)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replay
