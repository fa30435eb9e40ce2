"""The instructions room: an officer's instructions to acknowledge (and the Acknowledge
button), the library, one instruction's text and versions, and, for supervisors, the
acknowledgement rates by office. Everything goes through `clearway.instructions.service`."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Permission, User
from clearway.instructions import service
from clearway.training.model import CODE_PATTERN
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/instructions", route_class=ConsoleRoute,
                   include_in_schema=False)
Acknowledger = Annotated[User, Depends(require(Permission.ACKNOWLEDGE_INSTRUCTIONS))]
Reader = Annotated[User, Depends(require(Permission.READ_INSTRUCTIONS))]


def code_of(text: str) -> str:
    if not re.fullmatch(CODE_PATTERN, text):
        raise NotFound("Instruction", text[:40])
    return text


def _room(ctx: Context, user: User) -> dict[str, Any]:
    owed = service.mine(ctx, user)
    return {"owed": owed, "pending": sum(1 for o in owed if not o.acknowledged),
            "library": service.library(ctx), "today": ctx.clock.now().date(),
            "rates": service.office_rates(ctx) if user.may(Permission.READ_ACKNOWLEDGEMENTS)
            else None, "problem": None, "active": "instructions"}


@router.get("")
async def room(request: Request, ctx: Ctx, user: Acknowledger) -> Response:
    context = await run_in_threadpool(_room, ctx, user)
    context["done"] = request.query_params.get("acknowledged", "")[:40]
    return page(request, "instructions/room.html", context)


@router.get("/{key}")
async def detail(request: Request, key: str, ctx: Ctx, user: Reader) -> Response:
    versions = await run_in_threadpool(service.history, ctx, code_of(key))
    latest = versions[-1]
    owed = {o.instruction.code: o for o in await run_in_threadpool(service.mine, ctx, user)} \
        if user.may(Permission.ACKNOWLEDGE_INSTRUCTIONS) else {}
    return page(request, "instructions/detail.html", {
        "versions": list(reversed(versions)), "latest": latest, "owed": owed.get(latest.code),
        "in_force": latest.in_force(ctx.clock.now().date()), "active": "instructions"})


@router.post("/{key}/acknowledge")
async def acknowledge(request: Request, key: str, ctx: Ctx, user: Acknowledger) -> Response:
    code = code_of(key)
    form = await read_form(request)
    version = first(form, "version")
    try:
        if not version.isdigit() or len(version) > 7:
            raise ClearwayError(code="CW-REQUEST-INVALID", message="Which version was read?")
        await run_in_threadpool(service.acknowledge, ctx, user, code, int(version))
    except ClearwayError as exc:
        if exc.status == 401 or isinstance(exc, NotFound):
            raise
        context = await run_in_threadpool(_room, ctx, user)
        context.update(problem={"code": exc.code, "message": exc.message}, done="")
        return page(request, "instructions/room.html", context, status_code=exc.status)
    back = first(form, "back")
    target = back if back.startswith("/console/tasks/") and back[15:].isdigit() \
        else f"/console/instructions?acknowledged={code}"
    return RedirectResponse(target, status_code=303)
