"""Users: creating them, resolving bearer tokens, and the administrator's use cases (list,
create, revoke, issue a new token), each of those written to the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.errors import Conflict, NotFound, Unauthenticated
from clearway.identity import AGENCIES, Role, User
from clearway.storage.orm import UserRow
from clearway.users import repository as users_repo
from clearway.users.model import USER_NAME, UserError, hash_token, new_token

if TYPE_CHECKING:
    from clearway.context import Context


def _to_user(row: UserRow) -> User:
    return User(id=row.id, name=row.name, role=Role(row.role), trader_id=row.trader_id,
                expires_at=row.expires_at, revoked_at=row.revoked_at, created_at=row.created_at)


def create_user(session: Session, *, name: str, role: str, trader_id: str | None,
                now: datetime, ttl_days: int) -> tuple[User, str]:
    """Create a user and return it with its token (shown once, stored only as a hash)."""
    if not USER_NAME.fullmatch(name):
        raise UserError(f"user name {name!r}: 1 to 64 letters, digits or . _ @ -, "
                        "starting with a letter or digit")
    try:
        role_ = Role(role)
    except ValueError as exc:
        raise UserError(f"unknown role {role!r}; one of {', '.join(Role)}") from exc
    if role_ == Role.TRADER and not trader_id:
        raise UserError("a trader user needs a trader id (--trader TRADER_ID)")
    if role_ == Role.PARTNER and not trader_id:  # its administration, where a trader's id is
        raise UserError("a partner user needs its administration's code (--trader CODE)")
    if role_ in AGENCIES and not trader_id:
        raise UserError("an agency user needs its agency's code (--trader CODE)")
    if role_ not in (Role.TRADER, Role.PARTNER, *AGENCIES) and trader_id:
        raise UserError("only trader users belong to a trader")
    if session.execute(select(UserRow.id).where(UserRow.name == name)).first():
        raise Conflict("CW-USER-EXISTS", f"user {name!r} already exists")
    token = new_token()
    row = UserRow(name=name, role=role_.value, trader_id=trader_id,
                  token_hash=hash_token(token), created_at=now,
                  expires_at=now + timedelta(days=ttl_days), revoked_at=None)
    session.add(row)
    session.flush()
    return _to_user(row), token


def authenticate(session: Session, token: str, now: datetime) -> User:
    row = session.execute(
        select(UserRow).where(UserRow.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        raise Unauthenticated("The token is unknown or revoked")
    user = _to_user(row)
    if user.expired(now):
        raise Unauthenticated("The token has expired")
    return user


def _row(session: Session, name: str) -> UserRow:
    row = session.execute(select(UserRow).where(UserRow.name == name)).scalar_one_or_none()
    if row is None:
        raise NotFound("User", name)
    return row


def _detail(user: User) -> dict[str, str | None]:
    """What the audit trail keeps of a user: never the token or its hash."""
    return {"role": user.role.value, "trader_id": user.trader_id,
            "expires_at": user.expires_at.isoformat() if user.expires_at else None}


def record_created(session: Session, user: User, *, actor: str, now: datetime) -> None:
    """Audit a new user: `audit verify --deep` compares every user row with its latest
    user-administration entry, so a user without one reads as inserted behind Clearway."""
    audit.append(session, at=now, actor=actor, action="user.created", object_type="user",
                 object_id=user.name, detail=_detail(user))


def list_users(ctx: Context) -> list[User]:
    with ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(UserRow).order_by(UserRow.name)).scalars()
        return [_to_user(r) for r in rows]


def register(ctx: Context, *, name: str, role: str, trader_id: str | None,
             actor: str) -> tuple[User, str]:
    """Create a user and audit it; the token is returned once and never stored."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        user, token = create_user(uow.session, name=name, role=role, trader_id=trader_id,
                                  now=now, ttl_days=ctx.settings.token_ttl_days)
        record_created(uow.session, user, actor=actor, now=now)
        uow.commit()
    return user, token


def revoke_user(ctx: Context, name: str, *, actor: str, reason: str | None = None) -> User:
    """End a user's token at once (in this process; in others within the token cache's
    lifetime). Revoking a revoked user changes nothing and writes nothing."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _row(uow.session, name)
        if row.revoked_at is None:
            row.revoked_at = now
            audit.append(uow.session, at=now, actor=actor, action="user.revoked",
                         object_type="user", object_id=name,
                         detail={**_detail(_to_user(row)), "reason": reason})
        user = _to_user(row)
        uow.commit()
    ctx.tokens.clear()
    return user


def issue_token(ctx: Context, name: str, *, actor: str) -> tuple[User, str]:
    """Give a user a new token (a lost, leaked or expired one): the old one stops working,
    a revoked user is active again, and the new token lives the configured lifetime."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _row(uow.session, name)
        token = new_token()
        row.token_hash = hash_token(token)
        row.revoked_at = None
        row.expires_at = now + timedelta(days=ctx.settings.token_ttl_days)
        user = _to_user(row)
        audit.append(uow.session, at=now, actor=actor, action="user.token_issued",
                     object_type="user", object_id=name, detail=_detail(user))
        uow.commit()
    ctx.tokens.clear()
    return user, token


# Staff roles: who may be named in an integrity case (never a trader or a partner's liaison).
STAFF_ROLES = tuple(r.value for r in Role if r not in (Role.TRADER, Role.PARTNER))


def names(ctx: Context, ids: Iterable[int | None]) -> dict[int, str]:
    """User names by id: pages show people by name, the API keeps their ids."""
    with ctx.uow(read_only=True) as uow:
        return users_repo.names(uow.session, [i for i in ids if i is not None])


def people(ctx: Context, roles: Iterable[str]) -> list[tuple[int, str, str]]:
    """(id, name, role) of the active users of `roles`, by name: a picker's choices."""
    with ctx.uow(read_only=True) as uow:
        return users_repo.people(uow.session, roles)


def user_id(ctx: Context, text: str) -> int:
    """A user named by id or by name (the command line takes either)."""
    if text.isdigit() and len(text) <= 18:
        return int(text)
    with ctx.uow(read_only=True) as uow:
        found = users_repo.id_of(uow.session, text)
    if found is None:
        raise NotFound("User", text[:64])
    return found
