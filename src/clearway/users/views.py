"""Who am I: the signed-in user's own record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from clearway.api.deps import require
from clearway.users.model import Permission, User

router = APIRouter(prefix="/api/v1/users", tags=["users"])


class Me(BaseModel):
    name: str
    role: str
    trader_id: str | None
    permissions: list[str]


@router.get("/me", operation_id="whoami", response_model=Me)
def whoami(user: Annotated[User, Depends(require(Permission.READ_SELF))]) -> Me:
    return Me(name=user.name, role=user.role.value, trader_id=user.trader_id,
              permissions=sorted(p.value for p in Permission if user.may(p)))
