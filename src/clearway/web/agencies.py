"""The agency room: an agency officer's or supervisor's tasks (their own agency's only), a
task's routed items with its steps, and the decision form (release, release on conditions,
inspect, refuse with a reason, ask the trader for a document), and the agency's own risk
profiles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from clearway.agencies.model import TEXT_NEEDED, AgencyDecision, DecisionIn
from clearway.api.deps import Ctx, require
from clearway.clearance import agency_work
from clearway.errors import ClearwayError
from clearway.identity import Permission, User
from clearway.profiles import service as profile_service
from clearway.web.controls import first, read_form, task_id
from clearway.web.render import ConsoleRoute, page

router = APIRouter(prefix="/console/agency", route_class=ConsoleRoute,
                   include_in_schema=False)
Reader = Annotated[User, Depends(require(Permission.READ_AGENCY_TASKS))]
Decider = Annotated[User, Depends(require(Permission.DECIDE_AGENCY_TASKS))]
ProfileReader = Annotated[User, Depends(require(Permission.READ_AGENCY_PROFILES))]
WORDS = {AgencyDecision.RELEASE: "Release",
         AgencyDecision.RELEASE_WITH_CONDITIONS: "Release with conditions",
         AgencyDecision.INSPECT: "Inspect", AgencyDecision.REFUSE: "Refuse",
         AgencyDecision.REQUEST_DOCUMENT: "Ask the trader for a document"}
VIEWS = ("open", "decided", "all")


@router.get("")
async def tasks(request: Request, ctx: Ctx, user: Reader, view: str = "open") -> Response:
    chosen = view if view in VIEWS else "open"
    rows = await run_in_threadpool(agency_work.list_tasks, ctx, user,
                                   status=None if chosen == "all" else chosen)
    return page(request, "agency/tasks.html", {"rows": rows, "view": chosen,
                                               "views": VIEWS, "active": "agency"})


@router.get("/profiles")
async def profiles(request: Request, ctx: Ctx, user: ProfileReader) -> Response:
    """The agency's own risk profiles (newest version of each), as they select its tasks."""
    found = await run_in_threadpool(profile_service.list_profiles, ctx, latest_only=True,
                                    scope=user.agency_code)
    return page(request, "agency/profiles.html", {"rows": found, "active": "agency"})


def _task_page(request: Request, found: Any, steps: Any, others: Any, *,
               problem: dict[str, str] | None = None, status_code: int = 200) -> Response:
    return page(request, "agency/task.html", {
        "task": found, "steps": steps, "others": others, "words": WORDS, "needs": TEXT_NEEDED,
        "problem": problem, "active": "agency"}, status_code=status_code)


@router.get("/tasks/{key}")
async def task(request: Request, key: str, ctx: Ctx, user: Reader) -> Response:
    found, steps, others = await run_in_threadpool(agency_work.get_task, ctx, task_id(key),
                                                   user)
    return _task_page(request, found, steps, others)


@router.post("/tasks/{key}/decision")
async def decide(request: Request, key: str, ctx: Ctx, user: Decider) -> Response:
    number = task_id(key)
    form = await read_form(request)
    try:
        decision = AgencyDecision(first(form, "decision"))
        await run_in_threadpool(agency_work.decide, ctx, number, DecisionIn(
            decision, first(form, "text") or None, first(form, "shared") == "yes"), user)
    except (ValueError, ClearwayError) as exc:
        if isinstance(exc, ClearwayError) and exc.status in (401, 404):
            raise
        problem = ({"code": exc.code, "message": exc.message}
                   if isinstance(exc, ClearwayError) else
                   {"code": "CW-AGENCY-DECISION", "message": "Choose a decision"})
        found, steps, others = await run_in_threadpool(agency_work.get_task, ctx, number,
                                                       user)
        return _task_page(request, found, steps, others, problem=problem,
                          status_code=exc.status if isinstance(exc, ClearwayError) else 422)
    return RedirectResponse(f"/console/agency/tasks/{number}", status_code=303)
