"""Signing in and out of the console, its static files and the site's icon. These are the
console's only public routes: they declare no permission."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse

from clearway.api.authentication import TOKEN_COOKIE
from clearway.api.deps import Ctx
from clearway.codes import status_of
from clearway.context import Context
from clearway.errors import Unauthenticated
from clearway.identity import Permission, User
from clearway.users.service import authenticate
from clearway.users.throttle import client_key
from clearway.users.throttle import for_app as signin_throttle
from clearway.web.render import (
    STATIC_DIR,
    ConsoleRoute,
    error_page,
    page,
    safe_next,
    secure_cookies,
)

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)
# Browsers ask the site's root for its icon whatever the page links.
site = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

COOKIE_PATH = "/console"
MAX_TOKEN_LENGTH = 200


def _user_for(ctx: Context, token: str) -> User:
    with ctx.uow(read_only=True) as uow:
        return authenticate(uow.session, token, ctx.clock.now())


def _checked(ctx: Context, request: Request, token: str) -> User:
    """The token's user; a failure counts against the client's address (Unauthenticated)."""
    throttle, client = signin_throttle(request), client_key(request)
    try:
        return _user_for(ctx, token)
    except Unauthenticated:
        throttle.failed(client, ctx.clock.now())
        raise


def landing(user: User, target: str) -> str:
    """Where a sign-in goes: the asked-for page, except that the console's home (the
    declarations list) sends a role that may not read declarations to its own room."""
    if (target == "/console" and not user.may(Permission.READ_DECLARATIONS)
            and user.may(Permission.READ_ASSISTANCE)):
        return "/console/assistance"
    if (target == "/console" and not user.may(Permission.READ_DECLARATIONS)
            and user.may(Permission.DECIDE_AGENCY_TASKS)):
        return "/console/agency"
    if (target == "/console" and not user.may(Permission.READ_DECLARATIONS)
            and user.may(Permission.READ_ALERTS)):
        return "/console/border"  # the border police: their border room
    if (target == "/console" and not user.may(Permission.READ_DECLARATIONS)
            and user.may(Permission.READ_REGIONAL)):
        return "/console/progress/regional"  # the conference secretariat
    return target


def _signed_in(ctx: Context, request: Request) -> User | None:
    token = request.cookies.get(TOKEN_COOKIE)
    if not token or signin_throttle(request).retry_after(client_key(request),
                                                         ctx.clock.now()) is not None:
        return None   # while throttled the cookie is not even looked at
    try:
        return _checked(ctx, request, token)
    except Unauthenticated:
        return None


@router.get("/login")
async def login_form(request: Request, ctx: Ctx, next: str | None = None) -> Response:
    user = await run_in_threadpool(_signed_in, ctx, request)
    if user is not None:
        return RedirectResponse(landing(user, safe_next(next)), status_code=303)
    return page(request, "login.html", {"next": safe_next(next), "message": None})


@router.post("/login")
async def login(request: Request, ctx: Ctx) -> Response:
    """Sign in with a token (the CSRF check of ConsoleRoute ran first). Failed attempts
    count against the client's address; past the limit it waits (429 CW-THROTTLED)."""
    async with request.form(max_files=0, max_fields=4, max_part_size=4096) as form:
        token = str(form.get("token") or "").strip()
        target = safe_next(str(form.get("next") or ""))
    wait = signin_throttle(request).retry_after(client_key(request), ctx.clock.now())
    if wait is not None:
        throttled = page(request, "login.html", {"next": target, "message": (
            f"Too many failed sign-ins from your address: try again in {wait} seconds "
            "(CW-THROTTLED).")}, status_code=status_of("CW-THROTTLED"))
        throttled.headers["Retry-After"] = str(wait)
        return throttled
    message = "Enter your access token."
    if token and len(token) <= MAX_TOKEN_LENGTH:
        try:
            user = await run_in_threadpool(_checked, ctx, request, token)
        except Unauthenticated as exc:
            message = f"Sign-in failed: {exc.message}. Check the token and try again."
        else:
            response = RedirectResponse(landing(user, target), status_code=303)
            response.set_cookie(TOKEN_COOKIE, token, path=COOKIE_PATH, httponly=True,
                                samesite="strict", secure=secure_cookies(request))
            return response
    elif token:
        signin_throttle(request).failed(client_key(request), ctx.clock.now())
        message = "Sign-in failed: the token is unknown or revoked. Check it and try again."
    return page(request, "login.html", {"next": target, "message": message}, status_code=401)


@router.api_route("/logout", methods=["GET", "POST"])
def logout(request: Request) -> Response:
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(TOKEN_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict",
                           secure=secure_cookies(request))
    return response


def static_file(path: str) -> Path | None:
    """The file under the static folder that `path` names, or None: nothing outside the
    folder, no hidden files, no directories."""
    root = STATIC_DIR.resolve()
    if not path or "\\" in path or "\x00" in path:
        return None
    if any(part.startswith(".") for part in path.split("/")):
        return None
    candidate = (root / path).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


@router.get("/static/{path:path}")
def static(request: Request, path: str) -> Response:
    found = static_file(path)
    if found is None:
        return error_page(request, 404, "Not found", "There is no such file.", "CW-NOT-FOUND")
    media = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    if media.startswith("text/") or media.endswith("javascript"):
        media += "; charset=utf-8"
    return FileResponse(found, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


@site.get("/favicon.ico")
def favicon() -> Response:
    return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/vnd.microsoft.icon",
                        headers={"Cache-Control": "public, max-age=86400"})
