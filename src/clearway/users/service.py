"""Creating users and resolving bearer tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.errors import Unauthenticated
from clearway.storage.orm import UserRow
from clearway.users.model import Role, User, UserError, hash_token, new_token


def _to_user(row: UserRow) -> User:
    return User(id=row.id, name=row.name, role=Role(row.role), trader_id=row.trader_id,
                expires_at=row.expires_at, revoked_at=row.revoked_at)


def create_user(session: Session, *, name: str, role: str, trader_id: str | None,
                now: datetime, ttl_days: int) -> tuple[User, str]:
    """Create a user and return it with its token (shown once, stored only as a hash)."""
    try:
        role_ = Role(role)
    except ValueError as exc:
        raise UserError(f"unknown role {role!r}; one of {', '.join(Role)}") from exc
    if role_ == Role.TRADER and not trader_id:
        raise UserError("a trader user needs --trader TRADER_ID")
    if role_ != Role.TRADER and trader_id:
        raise UserError("only trader users belong to a trader")
    if session.execute(select(UserRow.id).where(UserRow.name == name)).first():
        raise UserError(f"user {name!r} already exists")
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
    if row.expires_at is not None:
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        if expires <= now:
            raise Unauthenticated("The token has expired")
    return _to_user(row)


def revoke(session: Session, name: str, now: datetime) -> bool:
    row = session.execute(select(UserRow).where(UserRow.name == name)).scalar_one_or_none()
    if row is None:
        return False
    row.revoked_at = now
    return True
