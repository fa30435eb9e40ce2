"""Typed FastAPI dependencies: the context, the signed-in user, and permissions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import pydantic_core
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from clearway.api.authentication import AUTH_STATE, authenticate_token, request_token
from clearway.context import Context
from clearway.errors import ClearwayError, Forbidden, Unauthenticated
from clearway.identity import Permission, User, refusal

T = TypeVar("T")


# Dependencies that do no I/O are `async`, so FastAPI runs them on the event loop instead
# of handing each one to the thread pool; only the token lookup (a database read) is sync.
async def get_context(request: Request) -> Context:
    ctx: Context = request.app.state.context
    return ctx


Ctx = Annotated[Context, Depends(get_context)]


async def current_user(request: Request, ctx: Ctx) -> User:
    token = request_token(request)
    if not token:
        raise Unauthenticated()
    # A request with a body was authenticated before it was read (clearway.api.limits).
    proved = getattr(request.state, AUTH_STATE, None)
    if proved is not None and proved[0] == token:
        user: User = proved[1]
    else:
        user = await authenticate_token(request, token)
    request.state.user = user
    return user


def require(permission: Permission) -> Callable[..., Awaitable[User]]:
    """A dependency that admits only users whose role holds `permission`. Routes declare it,
    and a test walks every route to prove each one declares exactly one."""

    async def dependency(user: Annotated[User, Depends(current_user)]) -> User:
        if not user.may(permission):
            raise Forbidden(refusal(user.role, permission))
        return user

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


async def run_use_case(ctx: Context, fn: Callable[..., T], *args: Any) -> T:
    """Run a writing use case. On SQLite one process writes one transaction at a time
    anyway, so the use case runs right here: handing it to the thread pool would only add
    hand-offs and GIL contention. On PostgreSQL, writers run in parallel in the pool."""
    if ctx.engine.dialect.name == "sqlite":
        return fn(*args)
    return await run_in_threadpool(fn, *args)


class FastJSONResponse(JSONResponse):
    """JSON answers rendered by pydantic-core (about twice as fast as the standard library on
    declaration documents); same output for the plain data the API returns."""

    def render(self, content: Any) -> bytes:
        return pydantic_core.to_json(content)


async def text_body(request: Request, max_bytes: int, not_text: ClearwayError) -> str:
    """A request body uploaded as a text file (a list in CSV): at most `max_bytes`
    (CW-SYN-SIZE, 413), UTF-8 with or without a byte-order mark (else `not_text`)."""
    body = await request.body()
    if len(body) > max_bytes:
        raise ClearwayError(code="CW-SYN-SIZE",
                            message=f"A list file may be at most {max_bytes} bytes")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_text from None
