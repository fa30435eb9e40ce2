"""The officers' Arrivals room: the pre-arrival alarms (a partner's announcement against
what arrived), newest first and filtered by kind; one alarm with both sides' figures side
by side and the announcement it concerns; and closing it with a reason (htmx). Everything
goes through `clearway.prearrival.alarm_service`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Permission, User
from clearway.prearrival import alarm_service as service
from clearway.prearrival.model import AlarmKind
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, is_htmx, page

router = APIRouter(prefix="/console/arrivals", route_class=ConsoleRoute,
                   include_in_schema=False)

Reader = Annotated[User, Depends(require(Permission.READ_ARRIVALS))]
Closer = Annotated[User, Depends(require(Permission.CLOSE_ARRIVAL_ALARMS))]
KINDS = tuple(str(k) for k in AlarmKind)


def alarm_id(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise NotFound("Alarm", text[:40])
    return int(text)


def age(now: datetime, then: datetime) -> str:
    """How long an alarm has waited, in the largest whole unit (days, hours, minutes)."""
    minutes = max(0, int((now - then).total_seconds() // 60))
    if minutes >= 24 * 60:
        return f"{minutes // (24 * 60)} d"
    if minutes >= 60:
        return f"{minutes // 60} h"
    return f"{minutes} min"


@router.get("")
def alarm_list(request: Request, ctx: Ctx, user: Reader, kind: str = "",
               status: str = "open") -> Response:
    chosen = kind if kind in KINDS else ""
    state = status if status in ("open", "closed") else "open"
    rows = service.list_alarms(ctx, status=state, kind=chosen or None)
    now = ctx.clock.now()
    return page(request, "arrivals/list.html", {
        "rows": rows, "ages": {r.id: age(now, r.alarm.raised_at) for r in rows},
        "kinds": KINDS, "kind": chosen, "status": state, "active": "arrivals",
        "problem": None if kind in ("", chosen) else f"No alarm kind {kind[:40]!r}: all kinds "
        "are shown"})


def _detail(ctx: Context, key: int, user: User) -> dict[str, Any]:
    found = service.alarm_detail(ctx, key, user)
    stored = found["alarm"]
    return {**found, "active": "arrivals", "problem": None, "reason": "",
            "age": age(ctx.clock.now(), stored.alarm.raised_at),
            "can_close": stored.status == "open" and user.may(Permission.CLOSE_ARRIVAL_ALARMS)}


@router.get("/{key}")
async def alarm_page(request: Request, key: str, ctx: Ctx, user: Reader) -> Response:
    context = await run_in_threadpool(_detail, ctx, alarm_id(key), user)
    return page(request, "arrivals/alarm.html", context)


@router.post("/{key}/close")
async def close(request: Request, key: str, ctx: Ctx, user: Closer) -> Response:
    number = alarm_id(key)
    form = await read_form(request, max_fields=4)
    reason = first(form, "reason")
    try:
        await run_in_threadpool(service.close_alarm, ctx, number, reason, user)
    except ClearwayError as exc:
        if isinstance(exc, NotFound) or exc.status == 401:
            raise
        context = await run_in_threadpool(_detail, ctx, number, user)
        context.update(problem={"code": exc.code, "message": exc.message}, reason=reason)
        if is_htmx(request):  # htmx swaps only 2xx answers: the form again, with the refusal
            return page(request, "arrivals/_close_form.html", context)
        return page(request, "arrivals/alarm.html", context, status_code=exc.status)
    target = f"/console/arrivals/{number}"
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
