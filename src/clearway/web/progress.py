"""The progress report room (R9, docs/progress-report.md): the conferences with their
deadlines and due reminders, this administration's reports, and one report to read, write
(each section's owner), review, send back, approve, submit and revise, with its HTML and PDF
documents. Reading needs READ_PROGRESS; each step its own permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound
from clearway.identity import Permission, User
from clearway.progress import document, service, workflow
from clearway.progress.model import BY_KEY
from clearway.web.controls import first, read_form
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/progress", route_class=ConsoleRoute,
                   include_in_schema=False)
Reader = Annotated[User, Depends(require(Permission.READ_PROGRESS))]
Writer = Annotated[User, Depends(require(Permission.WRITE_PROGRESS))]
Reviewer = Annotated[User, Depends(require(Permission.REVIEW_PROGRESS))]
Head = Annotated[User, Depends(require(Permission.APPROVE_PROGRESS))]
Key = Annotated[int, Path(ge=1, le=2**62)]


def _room(ctx: Context) -> dict[str, Any]:
    return {"conferences": service.conferences(ctx), "reports": service.list_reports(ctx),
            "reminders": service.due_reminders(ctx), "country": ctx.settings.country_code,
            "active": "progress", "problem": None}


@router.get("")
async def room(request: Request, ctx: Ctx, user: Reader) -> Response:
    return page(request, "progress/room.html", await run_in_threadpool(_room, ctx))


@router.post("/reports")
async def create(request: Request, ctx: Ctx, user: Writer) -> Response:
    form = await read_form(request)
    try:
        made = await run_in_threadpool(service.create_report, ctx, user,
                                       first(form, "conference")[:40])
    except ClearwayError as exc:
        if exc.status in (401, 404):
            raise
        context = await run_in_threadpool(_room, ctx)
        context["problem"] = {"code": exc.code, "message": exc.message}
        return page(request, "progress/room.html", context, status_code=exc.status)
    return RedirectResponse(f"/console/progress/reports/{made.id}", status_code=303)


def _report(ctx: Context, key: int, user: User) -> dict[str, Any]:
    found = service.get_report(ctx, key)
    if found.administration != ctx.settings.country_code:
        raise NotFound("Progress report", str(key))   # another's: the regional view's
    return {"report": found, "sections": found.content["sections"], "asks": BY_KEY,
            "active": "progress", "problem": None, "mine": {
                s["key"] for s in found.content["sections"] if s.get("owner") == user.name}}


@router.get("/reports/{key}")
async def report(request: Request, key: Key, ctx: Ctx, user: Reader) -> Response:
    return page(request, "progress/report.html",
                await run_in_threadpool(_report, ctx, key, user))


async def _step(request: Request, ctx: Context, key: int, user: User,
                act: Callable[[], Any]) -> Response:
    """Run a step; its refusal is shown on the report's page with its status."""
    try:
        done = await run_in_threadpool(act)
    except ClearwayError as exc:
        if exc.status in (401, 404):
            raise
        context = await run_in_threadpool(_report, ctx, key, user)
        context["problem"] = {"code": exc.code, "message": exc.message}
        return page(request, "progress/report.html", context, status_code=exc.status)
    target = getattr(done, "id", key)
    return RedirectResponse(f"/console/progress/reports/{target}", status_code=303)


@router.post("/reports/{key}/sections/{section}")
async def write(request: Request, key: Key, section: Annotated[str, Path(max_length=20)],
                ctx: Ctx, user: Writer) -> Response:
    form = await read_form(request)
    narrative = first(form, "narrative")[:20000]
    complete = first(form, "complete") == "yes"
    return await _step(request, ctx, key, user, lambda: service.write_section(
        ctx, user, key, section, narrative, complete))


@router.post("/reports/{key}/review")
async def review(request: Request, key: Key, ctx: Ctx, user: Reviewer) -> Response:
    return await _step(request, ctx, key, user, lambda: workflow.review(ctx, user, key))


@router.post("/reports/{key}/send-back")
async def send_back(request: Request, key: Key, ctx: Ctx, user: Reviewer) -> Response:
    reason = first(await read_form(request), "reason")[:2000]
    return await _step(request, ctx, key, user,
                       lambda: workflow.send_back(ctx, user, key, reason))


@router.post("/reports/{key}/approve")
async def approve(request: Request, key: Key, ctx: Ctx, user: Head) -> Response:
    return await _step(request, ctx, key, user, lambda: workflow.approve(ctx, user, key))


@router.post("/reports/{key}/submit")
async def submit(request: Request, key: Key, ctx: Ctx, user: Head) -> Response:
    return await _step(request, ctx, key, user, lambda: workflow.submit(ctx, user, key))


@router.post("/reports/{key}/revise")
async def revise(request: Request, key: Key, ctx: Ctx, user: Writer) -> Response:
    return await _step(request, ctx, key, user, lambda: workflow.revise(ctx, user, key))


@router.get("/reports/{key}/document.html")
async def as_html(key: Key, ctx: Ctx, user: Reader) -> Response:
    found = await run_in_threadpool(service.get_report, ctx, key)
    return HTMLResponse(await run_in_threadpool(document.html, found.content, found.status,
                                                found.content_hash))


@router.get("/reports/{key}/document.pdf")
async def as_pdf(key: Key, ctx: Ctx, user: Reader) -> Response:
    found = await run_in_threadpool(service.get_report, ctx, key)
    made = await run_in_threadpool(document.pdf, found.content, found.status,
                                   found.content_hash)
    return Response(made, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="progress-{found.administration}-'
                               f'{found.conference.code}-v{found.version}.pdf"'})
