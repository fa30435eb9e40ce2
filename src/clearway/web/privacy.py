"""The data protection officer's room: the access log (filtered), the breach register with
its form, the processing register, retention (when the next data falls due, extensions) and
the data-subject access export. Reading needs READ_ACCESS_LOG (the DPO, auditors); acting
MANAGE_PRIVACY (the DPO)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.privacy import registers, rights, service
from clearway.privacy.model import ACTIONS, BREACH_STATUSES, Breach, invalid
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/privacy", route_class=ConsoleRoute,
                   include_in_schema=False)
Reader = Annotated[User, Depends(require(Permission.READ_ACCESS_LOG))]
Officer = Annotated[User, Depends(require(Permission.MANAGE_PRIVACY))]
BREACH_FIELDS = ("reference", "detected_at", "description", "categories",
                 "subjects_affected", "partners_notified", "authority_notified_at",
                 "measures", "status")


def _room(ctx: Context, params: dict[str, str]) -> dict[str, Any]:
    action = params.get("action", "")
    return {"log": service.access_log(ctx, action=action if action in ACTIONS else None,
                                      message_id=params.get("message_id") or None, limit=200),
            "action": action if action in ACTIONS else "", "actions": ACTIONS,
            "message_id": params.get("message_id", ""),
            "breaches": registers.list_breaches(ctx), "statuses": BREACH_STATUSES,
            "register": registers.processing_register(ctx),
            "retention": service.retention_overview(ctx), "problem": None, "values": {},
            "report": None, "done": params.get("done", ""), "active": "privacy"}


def _params(request: Request) -> dict[str, str]:
    return {k: v.strip()[:64] for k, v in request.query_params.items()}


@router.get("")
async def room(request: Request, ctx: Ctx, user: Reader) -> Response:
    context = await run_in_threadpool(_room, ctx, _params(request))
    return page(request, "privacy/room.html", context)


async def _refused(request: Request, ctx: Context, exc: ClearwayError,
                   values: dict[str, str]) -> Response:
    if exc.status == 401:
        raise exc
    context = await run_in_threadpool(_room, ctx, {})
    context.update(problem={"code": exc.code, "message": exc.message}, values=values)
    return page(request, "privacy/room.html", context, status_code=exc.status)


def _moment(text: str, what: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid(f"{what} is a date and time (YYYY-MM-DDTHH:MM)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _breach(values: dict[str, str]) -> Breach:
    detected = _moment(values["detected_at"], "Detected at")
    if detected is None:
        raise invalid("A breach record says when it was detected")
    count = values["subjects_affected"] or "0"
    if not count.isdigit() or len(count) > 9:
        raise invalid("Subjects affected is a whole number")
    return Breach(reference=values["reference"][:20], detected_at=detected,
                  description=values["description"][:4000],
                  categories=tuple(c.strip()[:100] for c in values["categories"].split(",")
                                   if c.strip()),
                  subjects_affected=int(count),
                  partners_notified=tuple(p.strip()[:100] for p in
                                          values["partners_notified"].split(",") if p.strip()),
                  authority_notified_at=_moment(values["authority_notified_at"],
                                                "Authority notified at"),
                  measures=values["measures"][:4000], status=values["status"] or "open")


@router.post("/breaches")
async def save_breach(request: Request, ctx: Ctx, user: Officer) -> Response:
    form = await read_form(request)
    values = {n: first(form, n) for n in BREACH_FIELDS}
    try:
        saved = await run_in_threadpool(
            lambda: registers.record_breach(ctx, user, _breach(values)))
    except ClearwayError as exc:
        return await _refused(request, ctx, exc, values)
    return RedirectResponse("/console/privacy?" + urlencode({"done": saved.reference}),
                            status_code=303)


@router.post("/extensions")
async def extend(request: Request, ctx: Ctx, user: Officer) -> Response:
    form = await read_form(request)
    values = {n: first(form, n) for n in ("message_id", "days", "reason")}
    try:
        days = values["days"]
        if not days.isdigit() or len(days) > 4:
            raise invalid("An extension is a number of days")
        await run_in_threadpool(service.extend_retention, ctx, user, values["message_id"][:64],
                                int(days), values["reason"][:500])
    except ClearwayError as exc:
        return await _refused(request, ctx, exc, values)
    return RedirectResponse("/console/privacy?" + urlencode({"done": "extension"}),
                            status_code=303)


@router.post("/subject-access")
async def subject_access(request: Request, ctx: Ctx, user: Officer) -> Response:
    form = await read_form(request)
    values = {n: first(form, n) for n in ("name", "country", "eori")}
    try:
        report = await run_in_threadpool(lambda: rights.subject_access(
            ctx, user, name=values["name"][:200], country=values["country"][:2].upper(),
            eori=values["eori"][:17] or None))
    except ClearwayError as exc:
        return await _refused(request, ctx, exc, values)
    context = await run_in_threadpool(_room, ctx, {})
    context.update(report=report, values=values)
    return page(request, "privacy/room.html", context)
