"""Partnerships with trade in the console (docs/partnerships.md): the MoU register with its
members and facilitation figures (members against non-members), and the consultation record
with its follow-up actions, overdue ones flagged. Supervisors and administrators keep them
(MANAGE_PARTNERSHIPS: record an action, mark one done); analysts and auditors read
(READ_PARTNERSHIPS). MoUs, members and consultations are written through the API
(/api/v1/partnerships)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.partnerships import service
from clearway.periods import period
from clearway.web.controls import first, read_form
from clearway.web.integrity import day
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/partnerships", route_class=ConsoleRoute,
                   include_in_schema=False)
Reader = Annotated[User, Depends(require(Permission.READ_PARTNERSHIPS))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_PARTNERSHIPS))]


def _room(ctx: Context, params: dict[str, str]) -> dict[str, Any]:
    today = ctx.clock.now().date()
    span = period(today, day(params.get("from", ""), "From"), day(params.get("to", ""), "To"))
    return {"mous": service.list_mous(ctx), "consultations": service.list_consultations(ctx),
            "figures": service.facilitation(ctx, span), "today": today,
            "start": span.first.isoformat(), "end": span.last.isoformat(),
            "active": "partnerships", "problem": None}


@router.get("")
async def room(request: Request, ctx: Ctx, user: Reader) -> Response:
    params = {k: v.strip()[:32] for k, v in request.query_params.items()}
    return page(request, "partnerships/room.html",
                await run_in_threadpool(_room, ctx, params))


async def _after(request: Request, ctx: Context, work: Any) -> Response:
    try:
        await run_in_threadpool(work)
    except ClearwayError as exc:
        if exc.status == 401:
            raise
        context = await run_in_threadpool(_room, ctx, {})
        context["problem"] = {"code": exc.code, "message": exc.message}
        return page(request, "partnerships/room.html", context, status_code=exc.status)
    return RedirectResponse("/console/partnerships#consultations", status_code=303)


def _due(text: str) -> date:
    found = day(text, "Deadline")
    if found is None:
        raise ClearwayError(code="CW-CONSULTATION-INVALID", message="Give the deadline")
    return found


@router.post("/consultations/{key}/actions")
async def add_action(request: Request, key: str, ctx: Ctx, user: Manager) -> Response:
    form = await read_form(request)
    return await _after(request, ctx, lambda: service.add_action(
        ctx, key.upper()[:40], description=first(form, "description")[:2000],
        owner=first(form, "owner")[:120], due_on=_due(first(form, "due_on")), user=user))


@router.post("/actions/{key}/done")
async def complete(request: Request, key: str, ctx: Ctx, user: Manager) -> Response:
    """Mark follow-up action `key` done; the form names its consultation."""
    form = await read_form(request)
    action = int(key) if key.isdigit() and len(key) <= 18 else 0  # 0: not found below
    return await _after(request, ctx, lambda: service.complete_action(
        ctx, first(form, "consultation").upper()[:40], action,
        note=first(form, "note")[:2000], user=user))
