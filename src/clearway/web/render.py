"""Console plumbing: templates, security headers, and the route class that turns the API's
errors into pages (a redirect to the sign-in page, a 403 or 404 page) instead of JSON."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from clearway.api.authentication import TOKEN_COOKIE
from clearway.declarations.lifecycle import STATUSES
from clearway.errors import ClearwayError, Forbidden, NotFound, Unauthenticated
from clearway.identity import Permission, User
from clearway.overrides.model import CHANGEABLE_STATUSES
from clearway.web import csrf
from clearway.web.values import readable

log = logging.getLogger("clearway.console")

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
LOGIN_PATH = "/console/login"

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": ("default-src 'self'; object-src 'none'; base-uri 'self'; "
                                "form-action 'self'; frame-ancestors 'none'"),
}

# Every status of the one list ("risk_assessed" -> "Risk assessed"): the list's filter offers
# and accepts exactly these, the badges show them.
STATUS_LABELS = {status: status.replace("_", " ").capitalize() for status in STATUSES}


def _when(value: Any) -> str:
    """A timestamp as 'YYYY-MM-DD HH:MM UTC' (stored times may come back naive on SQLite)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["when"] = _when
templates.env.filters["readable"] = readable
templates.env.globals["STATUS_LABELS"] = STATUS_LABELS
templates.env.globals["OVERRIDABLE_STATUSES"] = CHANGEABLE_STATUSES
templates.env.globals["Permission"] = Permission


def page_user(request: Request) -> User | None:
    """The signed-in user, once a permission dependency has resolved it."""
    user = getattr(request.state, "user", None)
    return user if isinstance(user, User) else None


def secure_cookies(request: Request) -> bool:
    """Cookies are Secure when this request came over https or the public URL is https
    (TLS ended by a proxy that does not pass the scheme on)."""
    settings = getattr(getattr(request.app.state, "context", None), "settings", None)
    public = str(getattr(settings, "public_url", ""))
    return request.url.scheme == "https" or public.startswith("https://")


def page(request: Request, name: str, context: dict[str, Any] | None = None, *,
         status_code: int = 200) -> HTMLResponse:
    values = {"user": page_user(request), "csrf_token": csrf.form_key(request),
              **(context or {})}
    response: HTMLResponse = templates.TemplateResponse(request, name, values,
                                                        status_code=status_code)
    presession = csrf.new_presession(request)
    if presession is not None:   # a visitor not yet signed in: bind the forms' key to it
        response.set_cookie(csrf.PRESESSION_COOKIE, presession, path="/console",
                            httponly=True, samesite="strict", secure=secure_cookies(request))
    return response


def error_page(request: Request, status: int, title: str, message: str,
               code: str | None = None) -> HTMLResponse:
    return page(request, "error.html", {"status": status, "title": title, "message": message,
                                        "code": code}, status_code=status)


def refusal_page(request: Request, exc: ClearwayError) -> Response:
    """A console request refused at the boundary (before any route ran): the sign-in page
    for a missing or expired token, else the error page."""
    if isinstance(exc, Unauthenticated):
        return to_login(request)
    return error_page(request, exc.status, "The request could not be completed", exc.message,
                      exc.code)


def is_htmx(request: Request) -> bool:
    """A partial swap by htmx (a history restore wants the whole page)."""
    return (request.headers.get("hx-request") == "true"
            and request.headers.get("hx-history-restore-request") != "true")


def cross_site(request: Request) -> bool:
    """A form posted from another site (the browser's Origin names another host). The
    SameSite=Strict cookie already keeps such posts unauthenticated; this also stops
    cross-site sign-in and sign-out."""
    origin = request.headers.get("origin")
    return bool(origin) and urlsplit(origin or "").netloc != request.headers.get("host")


def safe_next(target: str | None) -> str:
    """Only console paths on this site may be redirect targets after signing in."""
    if (target and target.startswith("/console") and not target.startswith("//")
            and "\\" not in target and not target.startswith(LOGIN_PATH)):
        return target
    return "/console"


def to_login(request: Request) -> Response:
    """Where an unauthenticated console request goes: the sign-in page, remembering where
    it was going. htmx requests are told to navigate instead of swapping the form in."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = f"{LOGIN_PATH}?next={quote(safe_next(here), safe='')}"
    response: Response
    if request.headers.get("hx-request") == "true":
        response = Response(status_code=200, headers={"HX-Redirect": target})
    else:
        response = RedirectResponse(target, status_code=303)
    if request.cookies.get(TOKEN_COOKIE):
        response.delete_cookie(TOKEN_COOKIE, path="/console")
    return response


def secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not response.headers.get("cache-control"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _failure(request: Request, exc: Exception) -> Response:
    if isinstance(exc, Unauthenticated):
        return to_login(request)
    if isinstance(exc, Forbidden):
        return error_page(request, 403, "Not allowed", exc.message, exc.code)
    if isinstance(exc, NotFound):
        return error_page(request, 404, "Not found",
                          "There is nothing here, or it is not visible to you.", exc.code)
    if isinstance(exc, ClearwayError):
        response = error_page(request, exc.status, "The request could not be completed",
                              exc.message, exc.code)
        response.headers.update(exc.headers or {})   # Retry-After of CW-THROTTLED
        return response
    if isinstance(exc, RequestValidationError):
        return error_page(request, 400, "Bad request", "The address or form is malformed.")
    if isinstance(exc, StarletteHTTPException):
        return error_page(request, exc.status_code, "The request could not be completed",
                          str(exc.detail))
    log.exception("console error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_page(request, 500, "Something went wrong",
                      "An internal error occurred; nothing was changed.", "CW-INTERNAL")


class ConsoleRoute(APIRoute):
    """Every console route: unsafe requests pass the CSRF check first (clearway.web.csrf),
    errors become pages, and every answer carries the security headers. Permissions are
    still declared with `require(...)` on each route."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def console_handler(request: Request) -> Response:
            try:
                refused = await csrf.refusal(request, cross_site(request))
                if refused is not None:
                    return secure(error_page(request, 403, "Not allowed", refused,
                                             "CW-FORBIDDEN"))
                response = await handler(request)
            except Exception as exc:  # every failure becomes a page, never a JSON body
                response = _failure(request, exc)
            return secure(response)

        return console_handler
