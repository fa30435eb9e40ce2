"""The Border room of the console: the alerts of the user's service (one alert, closed with a
reason), the booth (record a crossing at a crossing point; the watch-list hits it raised are
shown at once) and the shared watch lists (the service's own and shared entries; add one,
end one of the service's own). Everything goes through `prearrival.service` (the booth) and
`border.service`; every read of entries and alerts is logged there."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.border import service
from clearway.border.booth import Presented
from clearway.border.model import Booth, WatchKind, service_of
from clearway.border.people import Person
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Permission, User
from clearway.prearrival import service as booth_service
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/border", route_class=ConsoleRoute,
                   include_in_schema=False)
AlertReader = Annotated[User, Depends(require(Permission.READ_ALERTS))]
Closer = Annotated[User, Depends(require(Permission.CLOSE_ALERTS))]
BoothUser = Annotated[User, Depends(require(Permission.RECORD_CROSSING))]
Reader = Annotated[User, Depends(require(Permission.READ_WATCH_LIST))]
Keeper = Annotated[User, Depends(require(Permission.MANAGE_WATCH_LIST))]
_SPLIT = re.compile(r"[\s,;]+")
KINDS = tuple(k.value for k in WatchKind)


def number(text: str, what: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise NotFound(what, text[:40])
    return int(text)


def words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text) if w]


def problem_of(exc: ClearwayError) -> dict[str, str]:
    return {"code": exc.code, "message": exc.message}


@router.get("")
def alerts(request: Request, ctx: Ctx, user: AlertReader, status: str = "open") -> Response:
    state = status if status in ("open", "closed") else "open"
    rows = service.list_alerts(ctx, user, status=state)
    return page(request, "border/alerts.html", {
        "rows": rows, "status": state, "active": "border", "service": service_of(user)})


def _alert(ctx: Context, user: User, key: int) -> dict[str, Any]:
    try:
        found = service.get_alert(ctx, user, key)
    except ClearwayError as exc:
        raise NotFound("Alert", str(key)) if exc.status == 404 else exc from None
    return {"alert": found, "active": "border", "problem": None, "reason": "",
            "can_close": found.status == "open" and user.may(Permission.CLOSE_ALERTS)}


@router.get("/alerts/{key}")
async def alert_page(request: Request, key: str, ctx: Ctx, user: AlertReader) -> Response:
    return page(request, "border/alert.html",
                await run_in_threadpool(_alert, ctx, user, number(key, "Alert")))


@router.post("/alerts/{key}/close")
async def close(request: Request, key: str, ctx: Ctx, user: Closer) -> Response:
    alert_id = number(key, "Alert")
    reason = first(await read_form(request, max_fields=4), "reason")
    try:
        await run_in_threadpool(service.close_alert, ctx, user, alert_id, reason)
    except ClearwayError as exc:
        if exc.status in (401, 404):
            raise NotFound("Alert", key) from None
        context = await run_in_threadpool(_alert, ctx, user, alert_id)
        context.update(problem=problem_of(exc), reason=reason)
        return page(request, "border/alert.html", context, status_code=exc.status)
    return RedirectResponse(f"/console/border/alerts/{alert_id}", status_code=303)


def _booth(ctx: Context, **extra: Any) -> dict[str, Any]:
    return {"points": [p for p in service.crossing_points(ctx) if p.active], "active": "border",
            "form": {}, "problem": None, "done": None, "shown": [], **extra}


@router.get("/booth")
async def booth(request: Request, ctx: Ctx, user: BoothUser) -> Response:
    return page(request, "border/booth.html", await run_in_threadpool(_booth, ctx))


def _presented(form: dict[str, list[str]]) -> Presented:
    name, document = first(form, "driver_name"), first(form, "driver_document")
    driver = Person(name, document, first(form, "driver_country").upper() or None) \
        if name or document else None
    return Presented(Booth(point=first(form, "point") or None,
                           direction=first(form, "direction") or "entry",
                           trailer=first(form, "trailer") or None,
                           declarations=tuple(words(first(form, "declarations"))),
                           ens=tuple(words(first(form, "ens")))), driver=driver)


def _record(ctx: Context, user: User, form: dict[str, list[str]]) -> dict[str, Any]:
    # The driver's name and number are never echoed back into the page or kept in the form.
    kept = {k: first(form, k) for k in ("point", "direction", "vehicle", "trailer",
                                        "containers", "seals", "from_country",
                                        "declarations", "ens")}
    try:
        done = booth_service.record_crossing(
            ctx, user, None, kept["vehicle"], words(kept["containers"]), words(kept["seals"]),
            kept["from_country"].upper() or None, border=_presented(form))
    except ClearwayError as exc:
        return _booth(ctx, form=kept, problem=problem_of(exc))
    # The officer stays at the same crossing point for the next vehicle.
    return _booth(ctx, done=done, shown=service.alerts_shown(ctx, user, done.alerts),
                  form={"point": kept["point"], "direction": kept["direction"]})


@router.post("/booth")
async def record(request: Request, ctx: Ctx, user: BoothUser) -> Response:
    form = await read_form(request, max_fields=20)
    context = await run_in_threadpool(_record, ctx, user, form)
    return page(request, "border/booth.html", context,
                status_code=422 if context["problem"] else 200)


def _watch(ctx: Context, user: User, **extra: Any) -> dict[str, Any]:
    return {"rows": service.list_entries(ctx, user), "kinds": KINDS, "active": "border",
            "service": service_of(user), "form": {}, "problem": None,
            "can_manage": user.may(Permission.MANAGE_WATCH_LIST), **extra}


@router.get("/watch")
async def watch(request: Request, ctx: Ctx, user: Reader) -> Response:
    return page(request, "border/watch.html", await run_in_threadpool(_watch, ctx, user))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ClearwayError("CW-BORDER-WATCH", f"{text[:20]!r} is not a date "
                            "(YYYY-MM-DD)") from None


def _add(ctx: Context, user: User, form: dict[str, list[str]]) -> dict[str, Any] | None:
    kept = {k: first(form, k) for k in ("kind", "value", "reason", "shared_with",
                                        "valid_from", "valid_to")}
    try:
        name, document = first(form, "person_name"), first(form, "person_document")
        service.add_entry(ctx, user, service.NewEntry(
            kind=kept["kind"], value=kept["value"], reason=kept["reason"],
            shared_with=tuple(words(kept["shared_with"])),
            valid_from=_day(kept["valid_from"]), valid_to=_day(kept["valid_to"]),
            person=Person(name, document, first(form, "person_country").upper() or None)
            if kept["kind"] == "person" else None))
    except ClearwayError as exc:
        return _watch(ctx, user, form=kept, problem=problem_of(exc))
    return None


@router.post("/watch")
async def add(request: Request, ctx: Ctx, user: Keeper) -> Response:
    form = await read_form(request, max_fields=20)
    refused = await run_in_threadpool(_add, ctx, user, form)
    if refused is not None:
        return page(request, "border/watch.html", refused, status_code=422)
    return RedirectResponse("/console/border/watch", status_code=303)


@router.post("/watch/{key}/end")
async def end(request: Request, key: str, ctx: Ctx, user: Keeper) -> Response:
    entry_id = number(key, "Watch-list entry")
    reason = first(await read_form(request, max_fields=4), "reason")
    try:
        await run_in_threadpool(service.end_entry, ctx, user, entry_id, reason)
    except ClearwayError as exc:
        if exc.status in (401, 404):
            raise NotFound("Watch-list entry", key) from None
        context = await run_in_threadpool(_watch, ctx, user, problem=problem_of(exc))
        return page(request, "border/watch.html", context, status_code=exc.status)
    return RedirectResponse("/console/border/watch", status_code=303)
