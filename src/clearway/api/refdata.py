"""Read API for reference data: which versions are loaded, and the rows of each list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from clearway.api.deps import Ctx, require
from clearway.errors import NotFound
from clearway.identity import Permission, User
from clearway.refdata import service

router = APIRouter(prefix="/api/v1/refdata", tags=["reference data"])
Reader = Annotated[User, Depends(require(Permission.READ_REFDATA))]


class ListVersion(BaseModel):
    list_name: str
    version: str
    sha256: str
    loaded_at: str
    loaded_by: str
    rows: int


class ListPage(BaseModel):
    list_name: str
    version: str | None
    total: int
    rows: list[dict[str, Any]]


@router.get("", operation_id="list_refdata", response_model=list[ListVersion])
def list_refdata(ctx: Ctx, user: Reader, history: bool = False) -> list[ListVersion]:
    with ctx.uow(read_only=True) as uow:
        sets = service.history(uow.session) if history else service.current_sets(uow.session)
        return [ListVersion(list_name=s.list_name, version=s.version, sha256=s.sha256,
                            loaded_at=s.loaded_at.isoformat(), loaded_by=s.loaded_by,
                            rows=s.row_count) for s in sets]


@router.get("/{list_name}", operation_id="get_refdata_list", response_model=ListPage)
def get_refdata_list(
    list_name: str, ctx: Ctx, user: Reader,
    code: Annotated[str | None, Query(max_length=40, description="Code prefix")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ListPage:
    snapshot = ctx.refdata.get()
    if list_name not in snapshot.versions and list_name not in snapshot.counts():
        raise NotFound("Reference list", list_name)
    rows = snapshot.rows(list_name)
    if code:
        key = next(iter(rows[0]), "code") if rows else "code"
        rows = [r for r in rows if str(r.get("code", r.get(key, ""))).startswith(code)]
    return ListPage(list_name=list_name, version=snapshot.versions.get(list_name),
                    total=len(rows), rows=rows[offset:offset + limit])
