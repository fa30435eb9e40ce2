"""Who is asking: the token a request carries and the user it belongs to.

Shared by the boundary guard (clearway.api.limits), which proves the token of a request
with a body before the body is read, and by `current_user` (clearway.api.deps), which
reuses that proof instead of looking the token up again.
"""

from __future__ import annotations

from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request

from clearway.context import Context
from clearway.errors import Unauthenticated
from clearway.identity import User
from clearway.users.service import authenticate
from clearway.users.throttle import client_key
from clearway.users.throttle import for_app as signin_throttle

TOKEN_COOKIE = "cw_token"
AUTH_STATE = "clearway.authenticated"  # (token, user) proved by the guard, for current_user


def request_token(request: Request) -> str | None:
    """The bearer token of the Authorization header, else the console's session cookie."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(TOKEN_COOKIE)


def lookup_user(ctx: Context, token: str) -> User:
    with ctx.uow(read_only=True) as uow:
        return authenticate(uow.session, token, ctx.clock.now())


async def authenticate_token(request: Request, token: str) -> User:
    """The user of `token`: the token cache, else a throttled database lookup in a worker
    thread. Raises Unauthenticated (the failure counted by the throttle) or Throttled."""
    ctx = request.app.state.context
    user: User | None = ctx.tokens.get(token, ctx.clock.now())
    if user is not None:
        return user
    # Only database checks count and are throttled: a cached token is a valid one.
    throttle, client = signin_throttle(request), client_key(request)
    throttle.check(client, ctx.clock.now())
    try:
        user = await run_in_threadpool(lookup_user, ctx, token)
    except Unauthenticated:
        throttle.failed(client, ctx.clock.now())
        raise
    ctx.tokens.put(token, user, ctx.clock.now())
    return user
