"""The officer's room: their own control tasks, and one task's page with the decision's
reasons and instructions, a Start button, evidence upload (SHA-256 shown) and the result
form. Everything goes through `clearway.controls.service`, which hides other officers' tasks
(they answer 404) and refuses bad results with coded errors, shown on the form."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from clearway.api.deps import Ctx, require
from clearway.clearance import control_work
from clearway.context import Context
from clearway.controls import service
from clearway.controls.model import (
    ACTIONS,
    IRREGULARITIES,
    OPEN_STATUSES,
    TASK_STATUSES,
    TaskStatus,
)
from clearway.controls.schemas import ResultIn
from clearway.errors import ClearwayError, Issue, Malformed, NotFound, TooLarge
from clearway.identity import Permission, User
from clearway.instructions import service as instructions
from clearway.web.render import ConsoleRoute, is_htmx, page

router = APIRouter(prefix="/console/tasks", route_class=ConsoleRoute, include_in_schema=False)

Reader = Annotated[User, Depends(require(Permission.READ_TASKS))]
Worker = Annotated[User, Depends(require(Permission.WORK_TASKS))]
MAX_FORM_BYTES = 256 * 1024
SEIZURE_ROWS = 3  # blank seizure rows on the form; more than enough for one control


def task_id(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise NotFound("Control task", text[:40])
    return int(text)


async def read_form(request: Request, *, max_fields: int = 40) -> dict[str, list[str]]:
    """A small url-encoded or multipart form (no files) as name -> values."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_FORM_BYTES:
        raise TooLarge("CW-REQUEST-INVALID", "The form is too large")
    try:
        async with request.form(max_files=0, max_fields=max_fields,
                                max_part_size=MAX_FORM_BYTES) as form:
            values: dict[str, list[str]] = {}
            for name, value in form.multi_items():
                if isinstance(value, str):
                    values.setdefault(name, []).append(value.strip())
            return values
    except MultiPartException as exc:
        raise Malformed("CW-REQUEST-INVALID",
                        f"The form could not be read: {exc.message}") from None


def first(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[0]


STATUS_CHOICES = {"open": sorted(OPEN_STATUSES), "all": None,
                  **{s: [s] for s in TASK_STATUSES}}
PAGE_SIZE = 50
MAX_PAGE = 10_000_000 // PAGE_SIZE


def duration(seconds: float) -> str:
    """A wait in words an officer reads at a glance: "45 min", "2 h 15 min", "3 d 4 h"."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under 1 min"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def waiting(rows: list[Any], now: datetime) -> dict[int, str]:
    """How long each open task has waited since it was opened (closed ones wait no more)."""
    return {t.id: duration((now - t.created_at).total_seconds())
            for t in rows if t.status in OPEN_STATUSES}


def page_number(text: str) -> int:
    return min(max(int(text), 1), MAX_PAGE) if text.isdigit() and len(text) < 9 else 1


def pager(base: str, params: dict[str, str], page_no: int, total: int, *,
          size: int = PAGE_SIZE) -> dict[str, Any]:
    """Rows shown of the total ("1\u201350 of 214") and the links to the pages around."""
    first_row = (page_no - 1) * size + 1
    last_row = min(page_no * size, total)

    def link(n: int) -> str:
        return base + "?" + urlencode({**params, "page": str(n)})

    return {"shown": f"{first_row}\u2013{last_row} of {total}" if total >= first_row
            else f"0 of {total}", "page_no": page_no,
            "prev_link": link(page_no - 1) if page_no > 1 else None,
            "next_link": link(page_no + 1) if last_row < total else None}


@router.get("")
def task_list(request: Request, ctx: Ctx, user: Reader, status: str = "open") -> Response:
    status = status if status in STATUS_CHOICES else "open"
    page_no = page_number(request.query_params.get("page", ""))
    found = service.task_page(ctx, user, office=None, statuses=STATUS_CHOICES[status],
                              limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    return page(request, "controls/list.html", {
        "rows": found.rows, "total": found.total, "names": found.names,
        "waits": waiting(found.rows, ctx.clock.now()), "status": status,
        "choices": list(STATUS_CHOICES), "active": "tasks",
        **pager("/console/tasks", {"status": status}, page_no, found.total)})


def goods(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The declaration's goods items as the task page lists them."""
    currency = document.get("invoice_currency") or ""
    found = []
    for item in document.get("items") or []:
        value = item.get("item_price") or item.get("customs_value")
        found.append({
            "sequence": item.get("sequence"), "code": item.get("commodity_code") or "",
            "description": item.get("description") or "",
            "origin": item.get("origin_country") or "",
            "packages": "; ".join(f"{p.get('count') or ''} {p.get('kind') or ''}".strip()
                                  for p in item.get("packages") or []),
            "gross_mass": item.get("gross_mass"),
            "value": f"{value} {item.get('item_price_currency') or currency}".strip()
            if value is not None else ""})
    return found


def _task_context(ctx: Context, key: int, user: User) -> dict[str, Any]:
    found = service.task_detail(ctx, key, user)
    task = found["task"]
    mine = task.officer_id == user.id and user.may(Permission.WORK_TASKS)
    guidance = instructions.for_task(
        ctx, declaration_id=task.declaration_id, office=task.office,
        qualifications=list(task.qualifications or []), texts=list(task.instructions or []),
        officer_id=task.officer_id)
    return {**found, "mine": mine, "guidance": guidance,
            "active": "tasks", "goods": goods(found["document"]),
            "problem": None, "errors": [], "values": {}, "irregularity_types": IRREGULARITIES,
            "actions": ACTIONS,
            "seizure_rows": range(SEIZURE_ROWS), "uploaded": None,
            "can_start": mine and task.status == TaskStatus.ASSIGNED,
            "can_upload": mine and task.status in (TaskStatus.ASSIGNED,
                                                   TaskStatus.IN_PROGRESS),
            "can_record": mine and task.status == TaskStatus.IN_PROGRESS}


@router.get("/{key}")
async def task_page(request: Request, key: str, ctx: Ctx, user: Reader) -> Response:
    context = await run_in_threadpool(_task_context, ctx, task_id(key), user)
    return page(request, "controls/task.html", context)


async def _shown_with(request: Request, ctx: Context, key: int, user: User,
                      exc: ClearwayError, **extra: Any) -> Response:
    """The task page again with the refusal on it; a coded error, never a 500."""
    if exc.status == 401:
        raise exc
    context = await run_in_threadpool(_task_context, ctx, key, user)
    context.update(problem={"code": exc.code, "message": exc.message},
                   errors=[e.as_dict() for e in exc.errors], **extra)
    if is_htmx(request):  # htmx swaps only 2xx answers
        return page(request, "controls/_result_form.html", context)
    return page(request, "controls/task.html", context, status_code=exc.status)


@router.post("/{key}/start")
async def start(request: Request, key: str, ctx: Ctx, user: Worker) -> Response:
    number = task_id(key)
    try:
        await run_in_threadpool(control_work.start_task, ctx, number, user)
    except ClearwayError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _shown_with(request, ctx, number, user, exc)
    return RedirectResponse(f"/console/tasks/{number}", status_code=303)


@router.post("/{key}/evidence")
async def upload(request: Request, key: str, ctx: Ctx, user: Worker) -> Response:
    number = task_id(key)
    limit = ctx.settings.evidence_max_bytes
    try:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit + 64 * 1024:
            raise ClearwayError(code="CW-EVIDENCE-SIZE",
                                message=f"An evidence file holds 1 to {limit} bytes")
        try:
            async with request.form(max_files=1, max_fields=2,
                                    max_part_size=limit + 1) as form:
                part = form.get("file")
                if not isinstance(part, UploadFile):
                    raise ClearwayError(code="CW-EVIDENCE-SIZE",
                                        message="Choose a file to upload")
                data = await part.read(limit + 1)
                filename = (part.filename or "evidence")[:200]
                kind = part.content_type or "application/octet-stream"
        except MultiPartException as exc:
            raise Malformed("CW-REQUEST-INVALID",
                            f"The upload could not be read: {exc.message}") from None
        row = await run_in_threadpool(lambda: service.add_evidence(
            ctx, number, user, data=data, filename=filename, content_type=kind))
    except ClearwayError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _shown_with(request, ctx, number, user, exc)
    context = await run_in_threadpool(_task_context, ctx, number, user)
    context["uploaded"] = row
    return page(request, "controls/task.html", context, status_code=201)


def result_body(form: dict[str, list[str]]) -> dict[str, Any]:
    """The JSON shape the API takes, from the form's fields (blank ones left out)."""
    body: dict[str, Any] = {"outcome": first(form, "outcome"), "action": first(form, "action"),
                            "irregularities": [v for v in form.get("irregularities", []) if v]}
    if first(form, "revenue"):
        body["revenue"] = first(form, "revenue")
    if first(form, "notes"):
        body["notes"] = first(form, "notes")
    seizures = []
    for n in range(SEIZURE_ROWS):
        row = {f: first(form, f"seizure-{n}-{f}") for f in ("item", "description", "quantity",
                                                            "unit")}
        if any(row.values()):
            seizures.append({k: v for k, v in row.items() if v or k != "item"})
    body["seizures"] = seizures
    return body


def invalid(exc: ValidationError) -> ClearwayError:
    issues = [Issue("CW-CONTROL-RESULT", e["msg"],
                    pointer="/" + "/".join(str(p) for p in e["loc"])) for e in exc.errors()]
    return ClearwayError(code="CW-CONTROL-RESULT", errors=issues,
                         message="The control result is incomplete or inconsistent")


@router.post("/{key}/result")
async def record(request: Request, key: str, ctx: Ctx, user: Worker) -> Response:
    number = task_id(key)
    form = await read_form(request)
    values = {k: v if k == "irregularities" else v[0] for k, v in form.items()}
    try:
        try:
            result = ResultIn.model_validate(result_body(form)).result()
        except ValidationError as exc:
            raise invalid(exc) from None
        await run_in_threadpool(control_work.record_result, ctx, number, result, user)
    except ClearwayError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _shown_with(request, ctx, number, user, exc, values=values)
    target = f"/console/tasks/{number}"
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
