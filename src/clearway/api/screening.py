"""HTTP routes for restricted-party lists: staff read and screen; analysts load lists."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from clearway.api.deps import Ctx, require, run_use_case, text_body
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.screening import repository, service

router = APIRouter(prefix="/api/v1/screening", tags=["screening"])
Reader = Annotated[User, Depends(require(Permission.READ_RISK_LISTS))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_RISK_LISTS))]
MAX_LIST_BYTES = 64 * 1024 * 1024


class ListInfo(BaseModel):
    list_id: str
    entries: int
    loaded_at: str


class CheckIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    country: str | None = Field(None, max_length=60)
    limit: int = Field(5, ge=1, le=50)


@router.get("/lists", operation_id="list_screening_lists", response_model=list[ListInfo])
def list_lists(ctx: Ctx, user: Reader) -> list[ListInfo]:
    with ctx.uow(read_only=True) as uow:
        return [ListInfo(list_id=lid, entries=n, loaded_at=at.isoformat())
                for lid, n, at in repository.list_counts(uow.session)]


@router.put("/lists/{list_id}", operation_id="load_screening_list", response_model=ListInfo,
            openapi_extra={"requestBody": {"required": True, "content": {
                "text/csv": {"schema": {"type": "string"}}}}})
async def load_list(list_id: Annotated[str, Path(max_length=60)], request: Request, ctx: Ctx,
                    user: Manager,
                    fmt: Annotated[str, Query(alias="format", max_length=10)] = "generic"
                    ) -> ListInfo:
    """Replace a list with the CSV in the body (`format` generic or ofac)."""
    text = await text_body(request, MAX_LIST_BYTES, ClearwayError(
        code="CW-LIST-FORMAT", message="The list is not UTF-8 text"))
    loaded = await run_use_case(ctx, partial(service.load_list, ctx, text, fmt=fmt,
                                             list_id=list_id, source=f"{list_id}.csv",
                                             user=user))
    return ListInfo(list_id=loaded.list_id, entries=loaded.entries,
                    loaded_at=ctx.clock.now().isoformat())


@router.post("/check", operation_id="screen_name")
def screen_name(body: CheckIn, ctx: Ctx, user: Reader) -> list[dict[str, Any]]:
    """Screen one name against the loaded lists; each hit explains its score."""
    return [h.as_dict() for h in service.check(ctx, body.name, body.country, body.limit)]
