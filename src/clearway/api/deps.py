"""Typed FastAPI dependencies: the context, the signed-in user, and permissions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from clearway.context import Context
from clearway.errors import Forbidden, Unauthenticated
from clearway.users.model import Permission, User
from clearway.users.service import authenticate

TOKEN_COOKIE = "cw_token"


def get_context(request: Request) -> Context:
    ctx: Context = request.app.state.context
    return ctx


Ctx = Annotated[Context, Depends(get_context)]


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(TOKEN_COOKIE)


def current_user(request: Request, ctx: Ctx) -> User:
    token = _token(request)
    if not token:
        raise Unauthenticated()
    with ctx.uow(read_only=True) as uow:
        user = authenticate(uow.session, token, ctx.clock.now())
    request.state.user = user
    return user


def require(permission: Permission) -> Callable[..., User]:
    """A dependency that admits only users whose role holds `permission`. Routes declare it,
    and a test walks every route to prove each one declares exactly one."""

    def dependency(user: Annotated[User, Depends(current_user)]) -> User:
        if not user.may(permission):
            raise Forbidden(f"Role {user.role.value} may not {permission.value}")
        return user

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency
