"""Users over HTTP: anyone reads their own record; administrators list users, create them,
revoke them and issue new tokens. Answers that carry a token are never cached."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Response

from clearway.agencies import service as agencies
from clearway.api.deps import Ctx, require, run_use_case
from clearway.identity import AGENCIES, Permission, User
from clearway.users import service
from clearway.users.schemas import NAME_PATTERN, Me, RevokeIn, UserIn, UserOut, UserWithToken

router = APIRouter(prefix="/api/v1/users", tags=["users"])
Admin = Annotated[User, Depends(require(Permission.MANAGE_USERS))]
Name = Annotated[str, Path(pattern=NAME_PATTERN, description="The user's sign-in name")]


@router.get("/me", operation_id="whoami", response_model=Me)
def whoami(user: Annotated[User, Depends(require(Permission.READ_SELF))]) -> Me:
    return Me.of(user)


@router.get("", operation_id="list_users", response_model=list[UserOut])
def list_users(ctx: Ctx, user: Admin) -> list[UserOut]:
    now = ctx.clock.now()
    return [UserOut.of(u, now) for u in service.list_users(ctx)]


@router.post("", operation_id="create_user", response_model=UserWithToken, status_code=201)
async def create_user(body: UserIn, ctx: Ctx, user: Admin, response: Response) -> UserWithToken:
    """Create a user; the answer carries its bearer token, shown this once."""
    if body.role in AGENCIES:   # an agency user carries an existing agency's code
        agencies.require_agency(ctx, body.trader_id)
    created, token = await run_use_case(ctx, partial(
        service.register, ctx, name=body.name, role=body.role.value, trader_id=body.trader_id,
        actor=user.actor))
    response.headers["Cache-Control"] = "no-store"
    return UserWithToken.issued(created, ctx.clock.now(), token)


@router.post("/{name}/revoke", operation_id="revoke_user", response_model=UserOut)
async def revoke_user(name: Name, ctx: Ctx, user: Admin,
                      body: Annotated[RevokeIn | None, Body()] = None) -> UserOut:
    """End the user's token at once; revoking a revoked user changes nothing."""
    revoked = await run_use_case(ctx, partial(
        service.revoke_user, ctx, name, actor=user.actor, reason=body.reason if body else None))
    return UserOut.of(revoked, ctx.clock.now())


@router.post("/{name}/token", operation_id="issue_user_token", response_model=UserWithToken)
async def issue_token(name: Name, ctx: Ctx, user: Admin, response: Response) -> UserWithToken:
    """Issue a new token: the old one stops working and a revoked user is active again."""
    renewed, token = await run_use_case(ctx, partial(service.issue_token, ctx, name,
                                                     actor=user.actor))
    response.headers["Cache-Control"] = "no-store"
    return UserWithToken.issued(renewed, ctx.clock.now(), token)
