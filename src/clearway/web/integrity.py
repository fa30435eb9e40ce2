"""The integrity auditor's dashboard: indicators per officer and office with the outliers
and their reasons, the audit chain's status (loaded apart: verifying walks the whole
chain), the register of integrity cases with the form to open one, and the yearly figures
(R4). Reading needs READ_INTEGRITY; opening a case MANAGE_INTEGRITY."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.api.deps import Ctx, require
from clearway.audit.service import verify_report
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.integrity import service
from clearway.integrity.cases import ALLEGATIONS, SOURCES
from clearway.periods import period
from clearway.users import service as people
from clearway.web.controls import first, read_form
from clearway.web.oversight import office_code
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/integrity", route_class=ConsoleRoute,
                   include_in_schema=False)

Reader = Annotated[User, Depends(require(Permission.READ_INTEGRITY))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_INTEGRITY))]


def day(text: str, what: str) -> date | None:
    """A YYYY-MM-DD form value (None when blank); a coded refusal otherwise."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ClearwayError(code="CW-REQUEST-INVALID",
                            message=f"{what} must be a date (YYYY-MM-DD)") from None


def _year(text: str, fallback: int) -> int:
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else fallback


def _dashboard(ctx: Context, params: dict[str, str]) -> dict[str, Any]:
    today = ctx.clock.now().date()
    office = office_code(params.get("office", ""))
    span = period(today, day(params.get("from", ""), "From"), day(params.get("to", ""), "To"))
    year = _year(params.get("year", ""), today.year)
    found = service.indicators(ctx, span, office or None)
    officers = sorted(found["officers"], key=lambda x: (not x["flags"], x["office"],
                                                        x["officer_id"]))
    cases = service.list_cases(ctx)
    return {"found": found, "officers": officers, "office": office,
            "start": span.first.isoformat(), "end": span.last.isoformat(),
            "cases": cases, "year": year, "staff": people.people(ctx, people.STAFF_ROLES),
            "names": people.names(ctx, [c.officer_id for c in cases]),
            "report": service.yearly_report(ctx, year), "allegations": ALLEGATIONS,
            "sources": SOURCES, "problem": None, "values": {}, "opened": None,
            "active": "integrity"}


def _params(request: Request) -> dict[str, str]:
    return {k: v.strip()[:32] for k, v in request.query_params.items()}


@router.get("")
async def dashboard(request: Request, ctx: Ctx, user: Reader) -> Response:
    params = _params(request)
    context = await run_in_threadpool(_dashboard, ctx, params)
    opened = params.get("opened", "")
    context["opened"] = opened if opened.startswith("IC-") else None
    return page(request, "integrity/dashboard.html", context)


@router.get("/chain")
async def chain(request: Request, ctx: Ctx, user: Reader) -> Response:
    report = await run_in_threadpool(verify_report, ctx)
    return page(request, "integrity/_chain.html", {"chain": report.as_dict()})


@router.post("/cases")
async def open_case(request: Request, ctx: Ctx, user: Manager) -> Response:
    form = await read_form(request)
    values = {n: first(form, n) for n in ("allegation", "source", "officer_id", "office",
                                          "description")}
    try:
        officer = values["officer_id"]
        if officer and (not officer.isdigit() or len(officer) > 18):
            raise ClearwayError(code="CW-INTEGRITY-OFFICER",
                                message="Choose the officer from the list")
        case = await run_in_threadpool(lambda: service.open_case(
            ctx, allegation=values["allegation"], description=values["description"],
            source=values["source"], office=office_code(values["office"]) or None,
            officer_id=int(officer) if officer else None, user=user))
    except ClearwayError as exc:
        if exc.status == 401:
            raise
        context = await run_in_threadpool(_dashboard, ctx, {})
        context.update(problem={"code": exc.code, "message": exc.message}, values=values)
        return page(request, "integrity/dashboard.html", context, status_code=exc.status)
    return RedirectResponse("/console/integrity?" + urlencode({"opened": case.reference}),
                            status_code=303)
