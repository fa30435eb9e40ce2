"""HTTP route of the exit side of pre-arrival: the exports announced to partners and their
exit results, for staff. Thin: the read is `prearrival.exits.list_exits`."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from clearway.api.deps import Ctx, require
from clearway.identity import Permission, User
from clearway.prearrival import exits
from clearway.prearrival.exit_schemas import ExitOut

router = APIRouter(prefix="/api/v1/arrivals", tags=["pre-arrival exits"])
Reader = Annotated[User, Depends(require(Permission.READ_ARRIVALS))]
MAX_LIST = 1000


@router.get("/exits", operation_id="list_exit_records", response_model=list[ExitOut])
def list_exits(ctx: Ctx, user: Reader,
               status: Literal["announced", "confirmed", "unconfirmed"] | None = None,
               limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 100) -> list[ExitOut]:
    """Exports announced to partners, newest exit first; `status` narrows the list."""
    return [ExitOut(**found) for found in exits.list_exits(ctx, status=status, limit=limit)]
