"""HTTP routes for the dual-use list: staff read it, risk analysts replace it."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from clearway.api.deps import Ctx, require, run_use_case, text_body
from clearway.dualuse import service
from clearway.dualuse.model import DualUseEntry
from clearway.errors import DocumentInvalid, Issue
from clearway.identity import Permission, User

router = APIRouter(prefix="/api/v1/dual-use", tags=["dual-use"])
Reader = Annotated[User, Depends(require(Permission.READ_RISK_LISTS))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_RISK_LISTS))]
MAX_LIST_BYTES = 16 * 1024 * 1024


class EntryOut(BaseModel):
    control_number: str
    description: str
    codes: list[str]
    valid_from: date | None
    valid_to: date | None

    @classmethod
    def of(cls, e: DualUseEntry) -> EntryOut:
        return cls(control_number=e.control_number, description=e.description,
                   codes=list(e.codes), valid_from=e.valid_from, valid_to=e.valid_to)


class ListOut(BaseModel):
    total: int
    entries: list[EntryOut]


class LoadedOut(BaseModel):
    entries: int
    replaced: int
    sha256: str


@router.get("", operation_id="list_dual_use", response_model=ListOut)
def list_entries(ctx: Ctx, user: Reader, code: Annotated[str | None, Query(
        pattern=r"^\d{2,10}$", description="Only entries correlated with this code")] = None
                 ) -> ListOut:
    found = service.list_entries(ctx, code)
    return ListOut(total=len(found), entries=[EntryOut.of(e) for e in found])


@router.post("", operation_id="load_dual_use", response_model=LoadedOut,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/csv": {"schema": {"type": "string"}}}}})
async def load(request: Request, ctx: Ctx, user: Manager) -> LoadedOut:
    """Replace the whole list with the CSV in the body
    (`control_number,description,codes,valid_from,valid_to`, codes separated by `|`)."""
    text = await text_body(request, MAX_LIST_BYTES,
                           DocumentInvalid([Issue("CW-DU-FILE", "the list is not UTF-8 text")]))
    loaded = await run_use_case(ctx, partial(service.load_csv, ctx, text, user, "upload"))
    return LoadedOut(entries=loaded.entries, replaced=loaded.replaced, sha256=loaded.sha256)
