"""The whistleblowing channel in the console (docs/whistleblowing.md).

Public pages, no sign-in (`/console/report`): send a report, then follow it up with the
receipt code and answer the auditor's questions. They declare no permission and never read
the visitor's session: a signed-in officer reporting is as anonymous as anyone. The receipt
code is posted in forms, never put in an address (addresses are logged).
The integrity auditor's room (`/console/whistleblowing`): the reports, each thread, and the
form to answer (READ_WHISTLEBLOWING, ANSWER_WHISTLEBLOWING)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.api.whistleblowing import channel_limits, send_report, with_receipt
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page
from clearway.whistleblowing import service
from clearway.whistleblowing.model import MAX_TEXT, TOPICS

public = APIRouter(prefix="/console/report", route_class=ConsoleRoute, include_in_schema=False)
router = APIRouter(prefix="/console/whistleblowing", route_class=ConsoleRoute,
                   include_in_schema=False)
Reader = Annotated[User, Depends(require(Permission.READ_WHISTLEBLOWING))]
Answerer = Annotated[User, Depends(require(Permission.ANSWER_WHISTLEBLOWING))]


def _form_page(request: Request, problem: ClearwayError | None = None,
               values: dict[str, str] | None = None) -> Response:
    return page(request, "whistleblowing/report.html", {
        "topics": TOPICS, "max_text": MAX_TEXT, "values": values or {},
        "problem": {"code": problem.code, "message": problem.message} if problem else None},
        status_code=problem.status if problem else 200)


@public.get("")
def report_form(request: Request) -> Response:
    return _form_page(request)


@public.post("")
async def send(request: Request, ctx: Ctx) -> Response:
    form = await read_form(request, max_fields=4)
    values = {"topic": first(form, "topic"), "text": first(form, "text")}
    try:
        code = await run_in_threadpool(send_report, ctx, channel_limits(request),
                                       values["topic"], values["text"])
    except ClearwayError as exc:
        return _form_page(request, exc, values)
    return page(request, "whistleblowing/received.html", {"receipt": code}, status_code=201)


def _thread_page(request: Request, ctx: Context, receipt: str, read: Any,
                 problem: ClearwayError | None = None) -> Response:
    try:
        report = with_receipt(ctx, channel_limits(request), read)
    except ClearwayError as exc:
        return page(request, "whistleblowing/follow_up.html",
                    {"report": None, "receipt": "", "problem": _problem(exc)},
                    status_code=exc.status)
    return page(request, "whistleblowing/follow_up.html",
                {"report": report, "receipt": receipt, "max_text": MAX_TEXT,
                 "problem": _problem(problem)},
                status_code=problem.status if problem else 200)


def _problem(exc: ClearwayError | None) -> dict[str, str] | None:
    return {"code": exc.code, "message": exc.message} if exc else None


@public.get("/follow-up")
def follow_up_form(request: Request) -> Response:
    return page(request, "whistleblowing/follow_up.html",
                {"report": None, "receipt": "", "problem": None})


@public.post("/follow-up")
async def follow_up(request: Request, ctx: Ctx) -> Response:
    form = await read_form(request, max_fields=4)
    receipt = first(form, "receipt")[:64]
    return await run_in_threadpool(_thread_page, request, ctx, receipt,
                                   lambda: service.follow_up(ctx, receipt))


@public.post("/follow-up/message")
async def write(request: Request, ctx: Ctx) -> Response:
    form = await read_form(request, max_fields=4)
    receipt, text = first(form, "receipt")[:64], first(form, "text")
    try:
        await run_in_threadpool(with_receipt, ctx, channel_limits(request),
                                lambda: service.write_again(ctx, receipt, text))
    except ClearwayError as exc:
        return await run_in_threadpool(_thread_page, request, ctx, receipt,
                                       lambda: service.follow_up(ctx, receipt), exc)
    return await run_in_threadpool(_thread_page, request, ctx, receipt,
                                   lambda: service.follow_up(ctx, receipt))


@router.get("")
async def reports(request: Request, ctx: Ctx, user: Reader) -> Response:
    found = await run_in_threadpool(service.reports, ctx)
    return page(request, "whistleblowing/cases.html",
                {"reports": found, "active": "whistleblowing"})


def _case_page(request: Request, ctx: Context, key: str, user: User,
               problem: ClearwayError | None = None) -> Response:
    report = service.read(ctx, key, user=user)
    return page(request, "whistleblowing/case.html",
                {"report": report, "active": "whistleblowing", "max_text": MAX_TEXT,
                 "problem": _problem(problem)},
                status_code=problem.status if problem else 200)


@router.get("/{key}")
async def case(request: Request, key: str, ctx: Ctx, user: Reader) -> Response:
    return await run_in_threadpool(_case_page, request, ctx, key.upper()[:40], user)


@router.post("/{key}/answer")
async def answer(request: Request, key: str, ctx: Ctx, user: Answerer) -> Response:
    form = await read_form(request, max_fields=4)
    key = key.upper()[:40]
    try:
        await run_in_threadpool(lambda: service.answer(ctx, key, first(form, "text"),
                                                       user=user))
    except ClearwayError as exc:
        if exc.status in (401, 404):
            raise
        return await run_in_threadpool(_case_page, request, ctx, key, user, exc)
    return RedirectResponse(f"/console/whistleblowing/{key}", status_code=303)
