"""HTTP routes of the progress report to the regional conference (docs/progress-report.md):
conferences and reminders, this administration's reports and their workflow, the report as
HTML and PDF, the JSON export, and the region's reports side by side."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from clearway.api.deps import Ctx, require, run_use_case
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.progress import document, messages, regional, service, workflow
from clearway.progress.model import Conference
from clearway.progress.schemas import (
    CONFERENCE_CODE,
    ConferenceIn,
    ConferenceOut,
    OwnerIn,
    ReasonIn,
    ReportIn,
    ReportOut,
    SectionIn,
    SendIn,
)

router = APIRouter(prefix="/api/v1/progress", tags=["progress"])
Reader = Annotated[User, Depends(require(Permission.READ_PROGRESS))]
Organiser = Annotated[User, Depends(require(Permission.MANAGE_CONFERENCES))]
Writer = Annotated[User, Depends(require(Permission.WRITE_PROGRESS))]
Reviewer = Annotated[User, Depends(require(Permission.REVIEW_PROGRESS))]
Head = Annotated[User, Depends(require(Permission.APPROVE_PROGRESS))]
Region = Annotated[User, Depends(require(Permission.READ_REGIONAL))]
Importer = Annotated[User, Depends(require(Permission.IMPORT_PROGRESS))]
Key = Annotated[int, Path(ge=1, le=2**62, description="The report's id")]
Code = Annotated[str, Path(pattern=CONFERENCE_CODE, description="The conference's code")]
SectionKey = Annotated[str, Path(pattern=r"^[a-z_]{1,20}$", description="e.g. risk")]
MAX_IMPORT = 2 * 1024 * 1024


@router.get("/conferences", operation_id="list_conferences", response_model=list[ConferenceOut])
def list_conferences(ctx: Ctx, user: Reader) -> list[ConferenceOut]:
    return [ConferenceOut.of(c) for c in service.conferences(ctx)]


@router.post("/conferences", operation_id="create_conference", response_model=ConferenceOut,
             status_code=201)
async def create_conference(body: ConferenceIn, ctx: Ctx, user: Organiser) -> ConferenceOut:
    """A conference, its participants and reporting terms (deadline, reminders)."""
    start = body.period_start or service.default_start(ctx, body.held_on, body.lead_months)
    found = Conference(body.code, body.name, body.held_on, tuple(dict.fromkeys(
        body.administrations)), start, body.lead_months, tuple(body.reminder_days))
    return ConferenceOut.of(await run_use_case(ctx, partial(
        service.create_conference, ctx, user, found)))


@router.get("/reminders", operation_id="progress_reminders")
def reminders(ctx: Ctx, user: Reader) -> list[dict[str, Any]]:
    """Conferences whose reminder has fallen (or deadline passed) with no report submitted,
    and whom the report waits on."""
    return service.due_reminders(ctx)


@router.get("/reports", operation_id="list_progress_reports", response_model=list[ReportOut])
def list_reports(ctx: Ctx, user: Reader, conference: Annotated[
        str | None, Query(pattern=CONFERENCE_CODE)] = None) -> list[ReportOut]:
    return [ReportOut.of(v) for v in service.list_reports(ctx, conference)]


@router.post("/reports", operation_id="create_progress_report", response_model=ReportOut,
             status_code=201)
async def create_report(body: ReportIn, ctx: Ctx, user: Writer) -> ReportOut:
    """This administration's report for a conference, in draft."""
    return ReportOut.of(await run_use_case(ctx, partial(
        service.create_report, ctx, user, body.conference, body.owners)))


@router.get("/reports/{key}", operation_id="get_progress_report", response_model=ReportOut)
def get_report(key: Key, ctx: Ctx, user: Reader) -> ReportOut:
    return ReportOut.of(service.get_report(ctx, key))


@router.put("/reports/{key}/sections/{section}", operation_id="write_progress_section",
            response_model=ReportOut)
async def write_section(key: Key, section: SectionKey, body: SectionIn, ctx: Ctx,
                        user: Writer) -> ReportOut:
    """The section's owner writes its narrative; `complete` marks it done."""
    return ReportOut.of(await run_use_case(ctx, partial(
        service.write_section, ctx, user, key, section, body.narrative, body.complete)))


@router.put("/reports/{key}/sections/{section}/owner", operation_id="name_section_owner",
            status_code=204)
async def name_owner(key: Key, section: SectionKey, body: OwnerIn, ctx: Ctx,
                     user: Writer) -> Response:
    await run_use_case(ctx, partial(service.set_owner, ctx, user, key, section, body.owner))
    return Response(status_code=204)


@router.post("/reports/{key}/review", operation_id="review_progress_report",
             response_model=ReportOut)
async def review(key: Key, ctx: Ctx, user: Reviewer) -> ReportOut:
    return ReportOut.of(await run_use_case(ctx, partial(workflow.review, ctx, user, key)))


@router.post("/reports/{key}/send-back", operation_id="send_back_progress_report",
             response_model=ReportOut)
async def send_back(key: Key, body: ReasonIn, ctx: Ctx, user: Reviewer) -> ReportOut:
    return ReportOut.of(await run_use_case(ctx, partial(
        workflow.send_back, ctx, user, key, body.reason)))


@router.post("/reports/{key}/approve", operation_id="approve_progress_report",
             response_model=ReportOut)
async def approve(key: Key, ctx: Ctx, user: Head) -> ReportOut:
    """Approve (four eyes): the document is frozen and its SHA-256 audited."""
    return ReportOut.of(await run_use_case(ctx, partial(workflow.approve, ctx, user, key)))


@router.post("/reports/{key}/submit", operation_id="submit_progress_report",
             response_model=ReportOut)
async def submit(key: Key, ctx: Ctx, user: Head) -> ReportOut:
    return ReportOut.of(await run_use_case(ctx, partial(workflow.submit, ctx, user, key)))


@router.post("/reports/{key}/revise", operation_id="revise_progress_report",
             response_model=ReportOut, status_code=201)
async def revise(key: Key, ctx: Ctx, user: Writer) -> ReportOut:
    """A new draft version of an approved or submitted report."""
    return ReportOut.of(await run_use_case(ctx, partial(workflow.revise, ctx, user, key)))


@router.get("/reports/{key}/export", operation_id="export_progress_report")
def export(key: Key, ctx: Ctx, user: Reader) -> dict[str, Any]:
    """A submitted report with its SHA-256, as the region imports it."""
    return regional.export(ctx, key)


@router.get("/reports/{key}/document.html", operation_id="progress_report_html",
            response_class=HTMLResponse)
async def report_html(key: Key, ctx: Ctx, user: Reader) -> HTMLResponse:
    found = await run_in_threadpool(service.get_report, ctx, key)
    page = await run_in_threadpool(document.html, found.content, found.status,
                                   found.content_hash)
    return HTMLResponse(page)


@router.get("/reports/{key}/document.pdf", operation_id="progress_report_pdf",
            response_class=Response)
async def report_pdf(key: Key, ctx: Ctx, user: Reader) -> Response:
    found = await run_in_threadpool(service.get_report, ctx, key)
    made = await run_in_threadpool(document.pdf, found.content, found.status,
                                   found.content_hash)
    name = f"progress-{found.administration}-{found.conference.code}-v{found.version}.pdf"
    return Response(made, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.post("/reports/{key}/send", operation_id="send_progress_report", status_code=202)
async def send(key: Key, body: SendIn, ctx: Ctx, user: Head) -> dict[str, str]:
    """Send a submitted report to another participant as a signed exchange message."""
    message_id = await run_use_case(ctx, partial(messages.send_report, ctx, user, key,
                                                 body.to))
    return {"message_id": message_id, "to": body.to}


@router.post("/imports", operation_id="import_progress_report", response_model=ReportOut,
             status_code=201)
async def import_report(request: Request, ctx: Ctx, user: Importer) -> ReportOut:
    """Another administration's exported report; its content must hash to its SHA-256."""
    data = await request.body()
    if len(data) > MAX_IMPORT:
        raise ClearwayError("CW-SYN-SIZE", f"A report file may be at most {MAX_IMPORT} bytes")
    return ReportOut.of(await run_use_case(ctx, partial(
        regional.import_report, ctx, user, data)))


@router.get("/regional", operation_id="regional_conferences",
            response_model=list[ConferenceOut])
def regional_conferences(ctx: Ctx, user: Region) -> list[ConferenceOut]:
    """The conferences, for the secretariat to choose one."""
    return [ConferenceOut.of(c) for c in service.conferences(ctx)]


@router.get("/regional/{code}", operation_id="regional_progress")
def regional_view(code: Code, ctx: Ctx, user: Region) -> dict[str, Any]:
    """The conference's administrations' submitted reports, indicator by indicator."""
    return regional.regional(ctx, code)
