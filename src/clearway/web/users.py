"""The administrator's users room: every user with its state, the form to create one, and
per user the buttons to revoke it or issue a new token. A new token is shown once, on the
answer that issued it (every console answer is no-store); it is never stored or logged."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Permission, Role, User
from clearway.users import service
from clearway.users.schemas import NAME_PATTERN, UserOut
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/users", route_class=ConsoleRoute, include_in_schema=False)
Admin = Annotated[User, Depends(require(Permission.MANAGE_USERS))]
Name = Annotated[str, Path(pattern=NAME_PATTERN)]


def _room(ctx: Context, **extra: Any) -> dict[str, Any]:
    now = ctx.clock.now()
    return {"users": [UserOut.of(u, now) for u in service.list_users(ctx)],
            "roles": list(Role), "problem": None, "values": {}, "issued": None,
            "revoked": None, "active": "users", **extra}


@router.get("")
async def room(request: Request, ctx: Ctx, user: Admin) -> Response:
    revoked = request.query_params.get("revoked", "")[:64]
    context = await run_in_threadpool(_room, ctx, revoked=revoked or None)
    return page(request, "users/list.html", context)


@router.post("")
async def create(request: Request, ctx: Ctx, user: Admin) -> Response:
    form = await read_form(request)
    values = {n: first(form, n) for n in ("name", "role", "trader_id")}
    try:
        created, token = await run_in_threadpool(lambda: service.register(
            ctx, name=values["name"], role=values["role"],
            trader_id=values["trader_id"] or None, actor=user.actor))
    except ClearwayError as exc:
        if exc.status == 401:
            raise
        context = await run_in_threadpool(_room, ctx, values=values, problem={
            "code": exc.code, "message": exc.message})
        return page(request, "users/list.html", context, status_code=exc.status)
    context = await run_in_threadpool(_room, ctx, issued={"name": created.name,
                                                          "token": token, "new": True})
    return page(request, "users/list.html", context, status_code=201)


@router.post("/{name}/revoke")
async def revoke(request: Request, name: Name, ctx: Ctx, user: Admin) -> Response:
    form = await read_form(request)
    reason = first(form, "reason")[:500] or None
    await run_in_threadpool(lambda: service.revoke_user(ctx, name, actor=user.actor,
                                                        reason=reason))
    return RedirectResponse(f"/console/users?revoked={name}", status_code=303)


@router.post("/{name}/token")
async def issue_token(request: Request, name: Name, ctx: Ctx, user: Admin) -> Response:
    renewed, token = await run_in_threadpool(lambda: service.issue_token(ctx, name,
                                                                         actor=user.actor))
    context = await run_in_threadpool(_room, ctx, issued={"name": renewed.name,
                                                          "token": token, "new": False})
    return page(request, "users/list.html", context)
