"""The regional view (docs/progress-report.md): for the conference secretariat (and the head
of administration), the administrations' submitted reports side by side, indicator by
indicator, each readable whole as HTML or PDF; the secretariat imports another
administration's exported report here (checked against its SHA-256)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError, Malformed
from clearway.identity import Permission, User
from clearway.progress import document, regional, service
from clearway.progress.schemas import CONFERENCE_CODE
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/progress/regional", route_class=ConsoleRoute,
                   include_in_schema=False)
Region = Annotated[User, Depends(require(Permission.READ_REGIONAL))]
Importer = Annotated[User, Depends(require(Permission.IMPORT_PROGRESS))]
Code = Annotated[str, Path(pattern=CONFERENCE_CODE)]
Key = Annotated[int, Path(ge=1, le=2**62)]
MAX_IMPORT = 2 * 1024 * 1024


def _context(ctx: Context, code: str | None) -> dict[str, Any]:
    return {"conferences": service.conferences(ctx), "active": "progress", "problem": None,
            "side": regional.regional(ctx, code) if code else None}


@router.get("")
async def conferences(request: Request, ctx: Ctx, user: Region) -> Response:
    return page(request, "progress/regional.html", await run_in_threadpool(_context, ctx, None))


@router.get("/{code}")
async def side_by_side(request: Request, code: Code, ctx: Ctx, user: Region) -> Response:
    return page(request, "progress/regional.html", await run_in_threadpool(_context, ctx, code))


async def _upload(request: Request) -> bytes:
    try:
        async with request.form(max_files=1, max_fields=2,
                                max_part_size=MAX_IMPORT + 1) as form:
            part = form.get("file")
            if not isinstance(part, UploadFile):
                raise ClearwayError("CW-PROGRESS-IMPORT", "Choose the exported report's file")
            data = await part.read(MAX_IMPORT + 1)
    except MultiPartException as exc:
        raise Malformed("CW-REQUEST-INVALID",
                        f"The upload could not be read: {exc.message}") from None
    if len(data) > MAX_IMPORT:
        raise ClearwayError("CW-SYN-SIZE", f"A report file may be at most {MAX_IMPORT} bytes")
    return data


@router.post("/imports")
async def import_report(request: Request, ctx: Ctx, user: Importer) -> Response:
    try:
        data = await _upload(request)
        made = await run_in_threadpool(regional.import_report, ctx, user, data)
    except ClearwayError as exc:
        if exc.status == 401:
            raise
        context = await run_in_threadpool(_context, ctx, None)
        context["problem"] = {"code": exc.code, "message": exc.message}
        return page(request, "progress/regional.html", context, status_code=exc.status)
    return RedirectResponse(f"/console/progress/regional/{made.conference.code}",
                            status_code=303)


@router.get("/reports/{key}/document.html")
async def as_html(key: Key, ctx: Ctx, user: Region) -> Response:
    found = await run_in_threadpool(regional.shared_report, ctx, key)
    return HTMLResponse(await run_in_threadpool(document.html, found.content, found.status,
                                                found.content_hash))


@router.get("/reports/{key}/document.pdf")
async def as_pdf(key: Key, ctx: Ctx, user: Region) -> Response:
    found = await run_in_threadpool(regional.shared_report, ctx, key)
    made = await run_in_threadpool(document.pdf, found.content, found.status,
                                   found.content_hash)
    return Response(made, media_type="application/pdf")
