"""The analysts' mirror room: a partner's exports to us next to our imports from it for a
month, largest gaps first, both sides' figures on every row (READ_MIRROR); an analyst who
manages risk lists may promote a row's partner unit value to a valuation reference."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.mirror import service
from clearway.mirror.compare import ORDERS
from clearway.mirror.model import previous_month
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/mirror", route_class=ConsoleRoute, include_in_schema=False)
Reader = Annotated[User, Depends(require(Permission.READ_MIRROR))]
Promoter = Annotated[User, Depends(require(Permission.MANAGE_RISK_LISTS))]


def _room(ctx: Context, params: dict[str, str]) -> dict[str, Any]:
    period = params.get("period") or previous_month(ctx.clock.now())
    partner, order = params.get("partner", ""), params.get("order") or "value"
    context: dict[str, Any] = {"partner": partner, "period": period, "order": order,
                               "orders": ORDERS, "found": None, "problem": None,
                               "promoted": params.get("promoted", ""), "active": "mirror"}
    if partner:
        try:
            context["found"] = service.gap_list(ctx, partner, period, order=order, top=50)
        except ClearwayError as exc:
            context["problem"] = {"code": exc.code, "message": exc.message}
    return context


@router.get("")
async def gaps(request: Request, ctx: Ctx, user: Reader) -> Response:
    params = {k: v.strip()[:16] for k, v in request.query_params.items()}
    context = await run_in_threadpool(_room, ctx, params)
    status = 422 if context["problem"] else 200
    return page(request, "mirror/gaps.html", context, status_code=status)


@router.post("/promote")
async def promote(request: Request, ctx: Ctx, user: Promoter) -> Response:
    form = await read_form(request)
    values = {n: first(form, n) for n in ("partner", "period", "hs6", "reason", "order")}
    try:
        await run_in_threadpool(service.promote_gap, ctx, user, values["partner"],
                                values["period"], values["hs6"], values["reason"])
    except ClearwayError as exc:
        if exc.status == 401:
            raise
        context = await run_in_threadpool(_room, ctx, values)
        context["problem"] = {"code": exc.code, "message": exc.message}
        return page(request, "mirror/gaps.html", context, status_code=exc.status)
    query = {"partner": values["partner"], "period": values["period"],
             "order": values["order"] or "value", "promoted": values["hs6"]}
    return RedirectResponse("/console/mirror?" + urlencode(query), status_code=303)
