"""API shapes of users. A token appears in one answer only, the one that issued it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from clearway.identity import Permission, Role, User
from clearway.users.model import USER_NAME

NAME_PATTERN = f"^{USER_NAME.pattern}$"


class Me(BaseModel):
    name: str
    role: str
    trader_id: str | None
    permissions: list[str]

    @classmethod
    def of(cls, user: User) -> Me:
        return cls(name=user.name, role=user.role.value, trader_id=user.trader_id,
                   permissions=sorted(p.value for p in Permission if user.may(p)))


class UserOut(BaseModel):
    id: int
    name: str
    role: Role
    trader_id: str | None
    created_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool = Field(description="Neither revoked nor expired")

    @classmethod
    def of(cls, user: User, now: datetime) -> UserOut:
        return cls(id=user.id, name=user.name, role=user.role, trader_id=user.trader_id,
                   created_at=user.created_at, expires_at=user.expires_at,
                   revoked_at=user.revoked_at,
                   active=user.revoked_at is None and not user.expired(now))


class UserWithToken(UserOut):
    token: str = Field(description="The bearer token: shown this once, stored only as a hash")

    @classmethod
    def issued(cls, user: User, now: datetime, token: str) -> UserWithToken:
        return cls(**UserOut.of(user, now).model_dump(), token=token)


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN, description="Sign-in name, unique")
    role: Role
    trader_id: str | None = Field(default=None, min_length=1, max_length=35,
                                  description="The trader (EORI) a trader user acts for")


class RevokeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500,
                               description="Why, kept in the audit trail")

