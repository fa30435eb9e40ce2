"""The training manager's room (supervisors and administrators, MANAGE_TRAINING): the year's
training plan beside the needs the data shows, its sessions with seats, trainer and budget,
a form to plan one and one to record it held. Everything goes through
`clearway.training.plan_service`; refusals are shown on the page with their code."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Permission, User
from clearway.training import plan_service as service
from clearway.training import service as courses
from clearway.training.plan import HeldIn, SessionIn
from clearway.training.plan_schemas import PlanOut
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/training", route_class=ConsoleRoute,
                   include_in_schema=False)
Manager = Annotated[User, Depends(require(Permission.MANAGE_TRAINING))]


def year_of(text: str, default: int) -> int:
    return int(text) if text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 9998 \
        else default


def _room(ctx: Context, year: int) -> dict[str, Any]:
    plan = service.plan_of(ctx, year)
    return {"year": year, "plan": PlanOut.of(plan), "courses": courses.list_courses(ctx),
            "problem": None, "values": {}, "active": "training"}


@router.get("")
async def room(request: Request, ctx: Ctx, user: Manager) -> Response:
    year = year_of(request.query_params.get("year", ""), ctx.clock.now().year)
    context = await run_in_threadpool(_room, ctx, year)
    return page(request, "training/plan.html", context)


def _refused(exc: ValidationError | ClearwayError) -> dict[str, str]:
    if isinstance(exc, ClearwayError):
        return {"code": exc.code, "message": exc.message}
    where = ", ".join(str(e["loc"][-1]) for e in exc.errors() if e["loc"])
    return {"code": "CW-REQUEST-INVALID", "message": f"Check these fields: {where}"}


async def _again(request: Request, ctx: Context, year: int, exc: Any,
                 values: dict[str, str]) -> Response:
    if isinstance(exc, ClearwayError) and (exc.status == 401 or isinstance(exc, NotFound)):
        raise exc
    context = await run_in_threadpool(_room, ctx, year)
    context.update(problem=_refused(exc), values=values)
    return page(request, "training/plan.html", context,
                status_code=exc.status if isinstance(exc, ClearwayError) else 422)


@router.post("/sessions")
async def plan_session(request: Request, ctx: Ctx, user: Manager) -> Response:
    form = await read_form(request)
    values = {n: first(form, n) for n in ("course_code", "office", "planned_on", "seats",
                                          "trainer", "budget")}
    year = year_of(values["planned_on"][:4], ctx.clock.now().year)
    try:
        body = SessionIn.model_validate({k: v for k, v in values.items() if v})
        await run_in_threadpool(service.plan_session, ctx, body, user)
    except (ValidationError, ClearwayError) as exc:
        return await _again(request, ctx, year, exc, values)
    return RedirectResponse(f"/console/training?year={body.planned_on.year}", status_code=303)


@router.post("/sessions/{key}/held")
async def held(request: Request, key: str, ctx: Ctx, user: Manager) -> Response:
    if not key.isdigit() or len(key) > 18:
        raise NotFound("Training session", key[:40])
    form = await read_form(request)
    values = {n: first(form, n) for n in ("held_on", "spent", "attendees", "year")}
    year = year_of(values["year"], ctx.clock.now().year)
    try:
        people = [p.strip() for p in values["attendees"].replace(";", ",").split(",")
                  if p.strip()]
        body = HeldIn.model_validate({"held_on": values["held_on"], "spent": values["spent"],
                                      "attendees": people})
        await run_in_threadpool(service.record_held, ctx, int(key), body, user)
    except (ValidationError, ClearwayError) as exc:
        return await _again(request, ctx, year, exc, values)
    return RedirectResponse(f"/console/training?year={year}", status_code=303)
