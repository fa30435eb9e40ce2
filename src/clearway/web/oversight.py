"""The supervisor's rooms: four-eyes approvals (approve or reject with a note; the service
refuses anyone deciding their own request), an office's tasks with the reassignment form
(officer and a mandatory reason) and its duty roster, and the override request form that
officers and supervisors reach from a declaration or a task."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.clearance import overrides as clearance
from clearway.context import Context
from clearway.controls import service as controls
from clearway.controls.model import DUTY_ROLES, TaskStatus
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Permission, User
from clearway.overrides import service as overrides
from clearway.overrides.model import Kind, Status
from clearway.overrides.repository import OverrideFilter
from clearway.risk.engine.decision import Channel
from clearway.users import service as people
from clearway.web.controls import first, page_number, pager, read_form, task_id, waiting
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

Approver = Annotated[User, Depends(require(Permission.APPROVE_OVERRIDE))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_TASKS))]
Requester = Annotated[User, Depends(require(Permission.REQUEST_OVERRIDE))]
OFFICE = re.compile(r"[A-Z0-9]{2,16}")
KEY = re.compile(r"[0-9A-Za-z]{1,40}", re.ASCII)


def _problem(exc: ClearwayError) -> dict[str, str]:
    if exc.status == 401:
        raise exc
    return {"code": exc.code, "message": exc.message}


# --- four-eyes approvals ---------------------------------------------------------------

HISTORY_PAGE = 25


def _approvals(ctx: Context, user: User, history_page: int = 1) -> dict[str, Any]:
    pending, total = overrides.list_for(ctx, user, OverrideFilter(status=Status.PENDING),
                                        offset=0, limit=200)
    decided, decided_total = overrides.history(ctx, offset=(history_page - 1) * HISTORY_PAGE,
                                               limit=HISTORY_PAGE)
    return {"pending": pending, "total": total, "active": "approvals", "problem": None,
            "done": None, "decided": decided,
            "history": pager("/console/approvals", {}, history_page, decided_total,
                             size=HISTORY_PAGE)}


@router.get("/approvals")
def approvals(request: Request, ctx: Ctx, user: Approver, done: str = "") -> Response:
    context = _approvals(ctx, user, page_number(request.query_params.get("page", "")))
    context["done"] = done if done in ("approved", "rejected") else None
    return page(request, "oversight/approvals.html", context)


async def _decide(request: Request, ctx: Context, user: User, key: str, verb: str) -> Response:
    if not key.isdigit() or len(key) > 18:
        raise NotFound("Override", key[:40])
    note = first(await read_form(request), "note") or None
    action = clearance.approve if verb == "approve" else overrides.reject
    try:
        await run_in_threadpool(action, ctx, int(key), note, user)
    except ClearwayError as exc:
        context = await run_in_threadpool(_approvals, ctx, user)
        context["problem"] = {**_problem(exc), "override": key}
        return page(request, "oversight/approvals.html", context, status_code=exc.status)
    return RedirectResponse(f"/console/approvals?done={verb}d", status_code=303)


@router.post("/approvals/{key}/approve")
async def approve(request: Request, key: str, ctx: Ctx, user: Approver) -> Response:
    return await _decide(request, ctx, user, key, "approve")


@router.post("/approvals/{key}/reject")
async def reject(request: Request, key: str, ctx: Ctx, user: Approver) -> Response:
    return await _decide(request, ctx, user, key, "reject")


# --- an office's tasks, reassignment and roster -----------------------------------------

def _office(ctx: Context, user: User, office: str) -> dict[str, Any]:
    now = ctx.clock.now()
    offices = controls.offices_for(ctx, user)
    office = office or (offices[0] if offices else "")
    tasks = controls.list_tasks(ctx, user, office=office, status=None, limit=500) \
        if office else []
    shifts = controls.list_shifts(ctx, office=office, start=now - timedelta(days=1),
                                  end=now + timedelta(days=7)) if office else []
    movable = [t for t in tasks if t.status in (TaskStatus.ASSIGNED,
                                                TaskStatus.AWAITING_OFFICER)]
    start = now.replace(minute=0, second=0, microsecond=0)
    return {"office": office, "offices": offices, "tasks": tasks, "shifts": shifts,
            "movable": movable, "choices": controls.reassignment_choices(ctx, movable),
            "duty": people.people(ctx, sorted(DUTY_ROLES)), "waits": waiting(tasks, now),
            "names": people.names(ctx, [t.officer_id for t in tasks]
                                  + [s.officer_id for s in shifts]),
            "active": "office", "problem": None, "message": None,
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")}


def office_code(text: str) -> str:
    code = text.strip().upper()
    if code and not OFFICE.fullmatch(code):
        raise ClearwayError(code="CW-REQUEST-INVALID",
                            message="An office code is 2 to 16 letters and digits")
    return code


@router.get("/office")
def office_page(request: Request, ctx: Ctx, user: Manager, office: str = "",
                message: str = "") -> Response:
    context = _office(ctx, user, office_code(office))
    context["message"] = message[:200] or None
    return page(request, "oversight/office.html", context)


async def _office_refusal(request: Request, ctx: Context, user: User, office: str,
                          exc: ClearwayError) -> Response:
    context = await run_in_threadpool(_office, ctx, user, office)
    context["problem"] = _problem(exc)
    return page(request, "oversight/office.html", context, status_code=exc.status)


def _back(office: str, message: str) -> str:
    return "/console/office?" + urlencode({"office": office, "message": message})


def _number(text: str, what: str) -> int:
    """The person chosen in a picker (its value is the user's id)."""
    if not text.isdigit() or len(text) > 18 or int(text) < 1:
        raise ClearwayError(code="CW-REQUEST-INVALID", message=f"Choose {what}")
    return int(text)


def _utc(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ClearwayError(code="CW-ROSTER-PERIOD",
                            message=f"{text[:30]!r} is not a date and time") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@router.post("/office/shifts")
async def add_shift(request: Request, ctx: Ctx, user: Manager) -> Response:
    form = await read_form(request)
    office = office_code(first(form, "office"))
    try:
        added = await run_in_threadpool(
            controls.add_shift, ctx, _number(first(form, "officer_id"), "the officer"),
            office or "", _utc(first(form, "starts_at")), _utc(first(form, "ends_at")), user)
    except ClearwayError as exc:
        return await _office_refusal(request, ctx, user, office, exc)
    note = f"Shift added; {added.assigned} waiting task(s) assigned"
    if added.warning:   # a sensitive post's tenure nears its limit (rotation)
        note += f". {added.warning}"
    return RedirectResponse(_back(office, note), status_code=303)


@router.post("/tasks/{key}/reassign")
async def reassign(request: Request, key: str, ctx: Ctx, user: Manager) -> Response:
    number = task_id(key)
    form = await read_form(request)
    office = office_code(first(form, "office"))
    try:
        await run_in_threadpool(controls.reassign, ctx, number,
                                _number(first(form, "officer_id"), "the new officer"),
                                first(form, "reason") or None, user)
    except ClearwayError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _office_refusal(request, ctx, user, office, exc)
    return RedirectResponse(_back(office, f"Task {number} reassigned"), status_code=303)


# --- asking for an override ---------------------------------------------------------------

def _key(key: str) -> str:
    if not KEY.fullmatch(key):
        raise NotFound("Declaration", key[:40])
    return key


def _request_context(key: str, **values: Any) -> dict[str, Any]:
    return {"key": key, "kinds": [str(k) for k in Kind], "channels": [str(c) for c in Channel],
            "problem": None, "sent": None, "values": {}, "active": "list", **values}


@router.get("/declarations/{key}/override")
def override_form(request: Request, key: str, ctx: Ctx, user: Requester,
                  sent: str = "") -> Response:
    overrides.declaration_id(ctx, _key(key))  # 404 for an unknown declaration
    return page(request, "oversight/override.html",
                _request_context(key, sent=sent if sent.isdigit() else None))


@router.post("/declarations/{key}/override")
async def request_override(request: Request, key: str, ctx: Ctx, user: Requester) -> Response:
    form = await read_form(request)
    values = {name: first(form, name) for name in ("kind", "to_channel", "reason")}
    try:
        if values["kind"] not in [str(k) for k in Kind]:
            raise ClearwayError(code="CW-OVERRIDE-KIND",
                                message="Choose what to change")
        if values["to_channel"] and values["to_channel"] not in [str(c) for c in Channel]:
            raise ClearwayError(code="CW-OVERRIDE-KIND",
                                message="Unknown channel")
        to_channel = Channel(values["to_channel"]) if values["to_channel"] else None
        found = await run_in_threadpool(clearance.request, ctx, _key(key),
                                        Kind(values["kind"]), to_channel, values["reason"],
                                        user)
    except ClearwayError as exc:
        if isinstance(exc, NotFound):
            raise
        return page(request, "oversight/override.html",
                    _request_context(key, problem=_problem(exc), values=values),
                    status_code=exc.status)
    return RedirectResponse(f"/console/declarations/{key}/override?sent={found.id}",
                            status_code=303)
