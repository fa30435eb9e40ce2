"""The licence register in the console: licences with each line's quantity or value being
drawn down by accepted declarations. Customs staff see every licence, an agency its own, a
trader those it holds (the service holds each reader to its own)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from clearway.api.deps import Ctx, require
from clearway.identity import Permission, User
from clearway.licences import service
from clearway.licences.model import LicenceStatus
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/licences", route_class=ConsoleRoute,
                   include_in_schema=False)
Reader = Annotated[User, Depends(require(Permission.READ_LICENCES))]
FILTERS = ("code", "holder", "agency", "status")


@router.get("")
async def licences(request: Request, ctx: Ctx, user: Reader) -> Response:
    params = {n: request.query_params.get(n, "").strip()[:40] for n in FILTERS}
    if params["status"] not in [*LicenceStatus, ""]:
        params["status"] = ""
    found = await run_in_threadpool(
        service.listing, ctx, user, **{k: v.upper() if k == "code" else v
                                       for k, v in params.items() if v})
    return page(request, "licences/list.html",
                {"found": found, "filters": params, "statuses": list(LicenceStatus),
                 "active": "licences"})
