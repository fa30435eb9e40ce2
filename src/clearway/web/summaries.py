"""The console's ENS/EXS page: the outcome as the carrier saw it, the request for
information with its answer loop (the carrier answers here), the security clearance (a
security risk officer clears a held result here), the arrival it met and the declarations of
its goods. Everything goes through `clearway.clearance.summary_view` and `summary_actions`."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.clearance import summary_actions
from clearway.clearance.summary_view import view
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Permission, User
from clearway.risk.engine.decision import EnsOutcome
from clearway.summaries.model import CLEARABLE
from clearway.web.controls import first, read_form
from clearway.web.declarations import KEY
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/summaries", route_class=ConsoleRoute,
                   include_in_schema=False)

Reader = Annotated[User, Depends(require(Permission.READ_DECLARATIONS))]
Submitter = Annotated[User, Depends(require(Permission.SUBMIT_DECLARATION))]
SecurityOfficer = Annotated[User, Depends(require(Permission.CLEAR_SECURITY_RESULT))]
STAFF_ONLY = ("reason", "by", "by_id")


def _key(key: str) -> str:
    if not KEY.fullmatch(key):
        raise NotFound("Summary declaration", key[:40])
    return key


def _context(ctx: Context, key: str, user: User) -> dict[str, Any]:
    found = view(ctx, key, user)
    clearance = found.clearance
    if clearance is not None and user.is_trader:
        clearance = {k: v for k, v in clearance.items() if k not in STAFF_ONLY}
    held = EnsOutcome(found.outcome) if found.may_clear else None
    return {"s": found, "row": found.row, "clearance": clearance,
            "clear_to": sorted(CLEARABLE.get(held, ())) if held else [],
            "may_answer": user.is_trader and found.open_rfi is not None, "active": "list"}


@router.get("/{key}")
async def summary_page(request: Request, key: str, ctx: Ctx, user: Reader) -> Response:
    context = await run_in_threadpool(_context, ctx, _key(key), user)
    return page(request, "summaries/detail.html", context)


async def _act(request: Request, ctx: Ctx, key: str, user: User, fn: Any,
               *args: Any) -> Response:
    try:
        await run_in_threadpool(partial(fn, ctx, key, *args, user))
    except ClearwayError as exc:
        if isinstance(exc, NotFound) or exc.status == 401:
            raise
        context = await run_in_threadpool(_context, ctx, key, user)
        context["problem"] = {"code": exc.code, "message": exc.message}
        return page(request, "summaries/detail.html", context, status_code=exc.status)
    return RedirectResponse(f"/console/summaries/{key}", status_code=303)


@router.post("/{key}/rfi")
async def answer(request: Request, key: str, ctx: Ctx, user: Submitter) -> Response:
    form = await read_form(request, max_fields=3)
    return await _act(request, ctx, _key(key), user, summary_actions.answer_rfi,
                      first(form, "answer"))


@router.post("/{key}/security-clearance")
async def clear(request: Request, key: str, ctx: Ctx, user: SecurityOfficer) -> Response:
    form = await read_form(request, max_fields=4)
    outcome = first(form, "outcome") or ""
    if outcome not in {str(o) for o in EnsOutcome}:
        outcome = str(EnsOutcome.DNL)  # no outcome chosen: refused as no clearance (coded)
    return await _act(request, ctx, _key(key), user, summary_actions.clear_security_result,
                      outcome, first(form, "reason"))
