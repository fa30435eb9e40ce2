"""The mutual-assistance room, on both sides of an exchange: requests out and in (overdue
first, highlighted), one request's conversation (the request, the replies, attachments with
their SHA-256), and the forms to draft, approve (a supervisor other than the drafter),
assign (a supervisor) and answer (the assigned officer)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.assistance import service
from clearway.assistance.model import PURPOSE, REQUEST_TYPES, SUBJECT_KINDS, Draft, Reply
from clearway.assistance.repository import RequestFilter
from clearway.assistance.schemas import ConversationOut, RequestOut
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/assistance", route_class=ConsoleRoute,
                   include_in_schema=False)
Reader = Annotated[User, Depends(require(Permission.READ_ASSISTANCE))]
Drafter = Annotated[User, Depends(require(Permission.DRAFT_ASSISTANCE))]
Approver = Annotated[User, Depends(require(Permission.APPROVE_ASSISTANCE))]
Answerer = Annotated[User, Depends(require(Permission.ANSWER_ASSISTANCE))]


def _problem(exc: ClearwayError) -> dict[str, str]:
    if exc.status == 401:
        raise exc
    return {"code": exc.code, "message": exc.message}


def _number(key: str) -> int:
    if not key.isdigit() or len(key) > 18:
        raise ClearwayError(code="CW-ASSIST-NOT-FOUND", message=f"No request {key[:20]!r}")
    return int(key)


def _list(ctx: Context, user: User, direction: str) -> dict[str, Any]:
    now = ctx.clock.now()
    rows = [RequestOut.of(r, now) for r in service.list_for(
        ctx, user, RequestFilter(direction=direction))]
    return {"active": "assistance", "direction": direction, "requests": rows,
            "types": REQUEST_TYPES, "kinds": SUBJECT_KINDS, "problem": None}


@router.get("")
def requests_page(request: Request, ctx: Ctx, user: Reader, direction: str = "out") -> Response:
    direction = direction if direction in ("out", "in") else "out"
    return page(request, "assistance/list.html", _list(ctx, user, direction))


def _detail(ctx: Context, user: User, request_id: int) -> dict[str, Any]:
    found = ConversationOut.of(service.get_for(ctx, user, request_id), ctx.clock.now())
    return {"active": "assistance", "c": found, "r": found.request, "problem": None,
            "mine": service.assigned_to(ctx, request_id) == user.id}


@router.get("/{key}")
def request_page(request: Request, key: str, ctx: Ctx, user: Reader) -> Response:
    return page(request, "assistance/detail.html", _detail(ctx, user, _number(key)))


def _deadline(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ClearwayError(code="CW-ASSIST-INVALID",
                            message=f"{text[:30]!r} is not a date and time") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _draft(form: dict[str, list[str]]) -> Draft:
    return Draft(partner=first(form, "partner").strip().upper(),
                 agreement_id=first(form, "agreement_id").strip(),
                 request_type=first(form, "request_type"),
                 subject_kind=first(form, "subject_kind") or None,
                 subject=first(form, "subject"), question=first(form, "question"),
                 deadline=_deadline(first(form, "deadline")), purpose=PURPOSE,
                 priority=first(form, "priority") or "normal",
                 mrn=first(form, "mrn").strip() or None,
                 disclose_requested=first(form, "disclose_requested") == "on")


@router.post("")
async def draft_request(request: Request, ctx: Ctx, user: Drafter) -> Response:
    form = await read_form(request)
    try:
        row = await run_in_threadpool(lambda: service.draft(ctx, user, _draft(form), [], []))
    except ClearwayError as exc:
        context = await run_in_threadpool(_list, ctx, user, "out")
        context["problem"] = _problem(exc)
        return page(request, "assistance/list.html", context, status_code=exc.status)
    return RedirectResponse(f"/console/assistance/{row.id}", status_code=303)


async def _act(request: Request, ctx: Context, user: User, key: str, action: Any) -> Response:
    number = _number(key)
    form = await read_form(request)
    try:
        await run_in_threadpool(action, form, number)
    except ClearwayError as exc:
        context = await run_in_threadpool(_detail, ctx, user, number)
        context["problem"] = _problem(exc)
        return page(request, "assistance/detail.html", context, status_code=exc.status)
    return RedirectResponse(f"/console/assistance/{number}", status_code=303)


@router.post("/{key}/approve")
async def approve(request: Request, key: str, ctx: Ctx, user: Approver) -> Response:
    return await _act(request, ctx, user, key,
                      lambda form, n: service.approve(ctx, n, user))


@router.post("/{key}/assign")
async def assign(request: Request, key: str, ctx: Ctx, user: Approver) -> Response:
    return await _act(request, ctx, user, key,
                      lambda form, n: service.assign(ctx, n, first(form, "officer"), user))


def _reply(form: dict[str, list[str]]) -> Reply:
    disclose = first(form, "disclose") == "on"
    return Reply(outcome=first(form, "outcome"), answer=first(form, "answer"),
                 reason=first(form, "reason") or None, finding=first(form, "finding") or None,
                 disclosed=first(form, "disclosed") or None if disclose else None)


@router.post("/{key}/reply")
async def reply(request: Request, key: str, ctx: Ctx, user: Answerer) -> Response:
    return await _act(request, ctx, user, key,
                      lambda form, n: service.answer(ctx, n, _reply(form), [], [], user))


@router.post("/{key}/close")
async def close(request: Request, key: str, ctx: Ctx, user: Drafter) -> Response:
    return await _act(request, ctx, user, key, lambda form, n: service.close(ctx, n, user))
