"""The profiles room: analysts write risk profiles in YAML, test them against past
declarations, activate and retire them. Reading needs READ_PROFILES; changes MANAGE_PROFILES."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from starlette.formparsers import MultiPartException

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.errors import ClearwayError, DocumentInvalid, Malformed, NotFound, TooLarge, shown
from clearway.feedback import service as feedback
from clearway.identity import Permission, User
from clearway.profiles import service
from clearway.profiles.backtest import MAX_DAYS
from clearway.profiles.model import ProfileStatus, render
from clearway.profiles.parse import CODE
from clearway.profiles.yaml_io import dump_profile, load_profile
from clearway.web.render import ConsoleRoute, is_htmx, page

router = APIRouter(prefix="/console/profiles", route_class=ConsoleRoute,
                   include_in_schema=False)

Reader = Annotated[User, Depends(require(Permission.READ_PROFILES))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_PROFILES))]
STATUSES = tuple(s.value for s in ProfileStatus)  # the list filter's choices
MAX_FORM_BYTES = 512 * 1024
TEMPLATE = """code: VAL-EXAMPLE
name: Undervalued cotton T-shirts from China
area: valuation            # security_safety, valuation, classification, origin,
                           # prohibitions_restrictions, ipr, dual_use, health
weight: 0.6                # 0 to 1
min_channel: yellow        # green, blue, yellow, red; leave out for a soft profile
instructions: Check the invoice and the proof of payment
qualification: valuation
valid_from: {today}
when:
  all:
    - {{field: hs6, prefix: ["6109"]}}
    - {{field: origin_country, in: [CN]}}
    - {{field: unit_value, less_than_field: reference_unit_value, factor: 0.5}}
"""


def _key(key: str) -> str:
    if not CODE.fullmatch(key):
        raise NotFound("Profile", key[:40])
    return key


async def _form(request: Request) -> dict[str, str]:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_FORM_BYTES:
        raise TooLarge("CW-PROFILE-YAML", "The form is too large")
    try:
        async with request.form(max_files=0, max_fields=8,
                                max_part_size=MAX_FORM_BYTES) as form:
            return {k: v for k, v in form.items() if isinstance(v, str)}
    except MultiPartException as exc:
        raise Malformed("CW-REQUEST-INVALID",
                        f"The form could not be read: {exc.message}") from None


def _day(text: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(text) if text else fallback
    except ValueError:
        raise ClearwayError("CW-PROFILE-PERIOD",
                            f"{shown(text)} is not a date (YYYY-MM-DD)") from None


@router.get("")
def profile_list(request: Request, ctx: Ctx, user: Reader, status: str = "") -> Response:
    chosen = status if status in STATUSES else ""
    rows = service.list_profiles(ctx, status=chosen or None)
    return page(request, "profiles/list.html", {
        "rows": rows, "status": chosen, "statuses": STATUSES, "active": "profiles",
        "problem": "Unknown status; it was ignored." if status and not chosen else None})


def _editor(request: Request, *, text: str, code: str | None, errors: list[dict[str, Any]],
            problem: dict[str, str] | None = None, status_code: int = 200) -> Response:
    return page(request, "profiles/edit.html", {
        "text": text, "code": code, "errors": errors, "problem": problem,
        "active": "profiles"}, status_code=status_code)


def _refused(request: Request, exc: ClearwayError, text: str, code: str | None) -> Response:
    if exc.status in (401, 403):
        raise exc
    return _editor(request, text=text, code=code, errors=[e.as_dict() for e in exc.errors],
                   problem={"code": exc.code, "message": exc.message},
                   status_code=exc.status if exc.status >= 400 else 422)


@router.get("/new")
def new_profile(request: Request, ctx: Ctx, user: Manager) -> Response:
    text = TEMPLATE.format(today=ctx.clock.now().date().isoformat())
    return _editor(request, text=text, code=None, errors=[])


async def _write(request: Request, ctx: Ctx, user: User, code: str | None) -> Response:
    text = (await _form(request)).get("definition", "")
    try:
        profile = load_profile(text, default_owner=user.name)
        if code is None:
            saved = await run_in_threadpool(service.create, ctx, profile, user.actor)
        else:
            saved = (await run_in_threadpool(service.update, ctx, code, profile,
                                             user.actor)).profile
    except (DocumentInvalid, ClearwayError) as exc:
        return _refused(request, exc, text, code)
    return RedirectResponse(f"/console/profiles/{saved.code}?version={saved.version}",
                            status_code=303)


@router.post("/new")
async def create_profile(request: Request, ctx: Ctx, user: Manager) -> Response:
    return await _write(request, ctx, user, None)


def _detail(ctx: Context, key: str, version: int | None) -> dict[str, Any]:
    found, versions = service.get(ctx, key, version)
    today = ctx.clock.now().date()
    return {"s": found, "p": found.profile, "versions": versions,
            "condition": render(found.profile.when), "yaml": dump_profile(found.profile),
            "start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat(),
            "result": None, "problem": None, "max_days": MAX_DAYS, "active": "profiles"}


def _version(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 8 else None


@router.get("/effectiveness")
def effectiveness(request: Request, ctx: Ctx, user: Reader) -> Response:
    """Per profile code: controls, hits, hit rate, revenue per control, last hit."""
    rows = feedback.profile_effectiveness(ctx)
    return page(request, "profiles/effectiveness.html", {"rows": rows, "active": "profiles"})


@router.get("/{key}")
async def profile_detail(request: Request, key: str, ctx: Ctx, user: Reader,
                         version: str | None = None) -> Response:
    context = await run_in_threadpool(_detail, ctx, _key(key), _version(version))
    return page(request, "profiles/detail.html", context)


@router.get("/{key}/edit")
def edit_profile(request: Request, key: str, ctx: Ctx, user: Manager) -> Response:
    found, _versions = service.get(ctx, _key(key))
    return _editor(request, text=dump_profile(found.profile), code=found.code, errors=[])


@router.post("/{key}/edit")
async def update_profile(request: Request, key: str, ctx: Ctx, user: Manager) -> Response:
    return await _write(request, ctx, user, _key(key))


@router.post("/{key}/backtest")
async def backtest_profile(request: Request, key: str, ctx: Ctx, user: Reader) -> Response:
    form = await _form(request)
    context = await run_in_threadpool(_detail, ctx, _key(key), _version(form.get("version")))
    status_code = 200
    try:
        end = _day(form.get("end"), ctx.clock.now().date())
        start = _day(form.get("start"), end - timedelta(days=30))
        context.update(start=start.isoformat(), end=end.isoformat())
        context["result"] = await run_in_threadpool(service.backtest, ctx,
                                                    context["p"], start, end)
    except ClearwayError as exc:
        context["problem"] = {"code": exc.code, "message": exc.message}
        status_code = exc.status
    name = "profiles/_backtest.html" if is_htmx(request) else "profiles/detail.html"
    # htmx swaps only 2xx answers: a refused period is shown in the panel with a 200.
    return page(request, name, context, status_code=200 if is_htmx(request) else status_code)


async def _change(request: Request, ctx: Ctx, user: User, key: str, action: Any) -> Response:
    form = await _form(request)
    saved = await run_in_threadpool(action, ctx, _key(key), _version(form.get("version")),
                                    user.actor)
    return RedirectResponse(f"/console/profiles/{saved.code}?version={saved.version}",
                            status_code=303)


@router.post("/{key}/activate")
async def activate_profile(request: Request, key: str, ctx: Ctx, user: Manager) -> Response:
    return await _change(request, ctx, user, key, service.activate)


@router.post("/{key}/retire")
async def retire_profile(request: Request, key: str, ctx: Ctx, user: Manager) -> Response:
    return await _change(request, ctx, user, key, service.retire)
