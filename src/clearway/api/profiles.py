"""HTTP routes for risk profiles: thin, every one declares its permission."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from clearway.api.deps import Ctx, require
from clearway.context import Context
from clearway.declarations.schemas import ErrorBody
from clearway.errors import NotFound
from clearway.identity import Permission, User
from clearway.profiles import service
from clearway.profiles.parse import CODE, parse_profile
from clearway.profiles.schemas import (
    DEFINITION_DOC,
    BacktestDefinitionIn,
    BacktestIn,
    BacktestOut,
    ImportedOut,
    PeriodIn,
    ProfileOut,
    ProfileSummary,
    SavedOut,
    VersionIn,
    backtest_out,
    profile_out,
    summary,
)

router = APIRouter(prefix="/api/v1/profiles", tags=["risk profiles"])

Reader = Annotated[User, Depends(require(Permission.READ_PROFILES))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_PROFILES))]
Status = Literal["draft", "active", "retired"]
Definition = Annotated[dict[str, Any], Body(description=DEFINITION_DOC)]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No valid token"},
    403: {"model": ErrorBody, "description": "Role not allowed"},
    404: {"model": ErrorBody, "description": "No such profile or version"},
    422: {"model": ErrorBody, "description": "Coded errors naming the profile and field"},
}
_CHANGES = {**_ERRORS, 409: {"model": ErrorBody, "description": "Not allowed in this status"}}
YAML_BODY = {"requestBody": {"required": True, "content": {
    "application/yaml": {"schema": {"type": "string", "description": "A list of profiles"}}}}}


def checked(key: str) -> str:
    if not CODE.fullmatch(key):
        raise NotFound("Profile", key[:40])
    return key


def period(ctx: Context, body: PeriodIn) -> tuple[date, date]:
    end = body.end or ctx.clock.now().date()
    return body.start or end - timedelta(days=30), end


@router.get("", operation_id="list_profiles", response_model=list[ProfileSummary],
            responses=_ERRORS)
def list_profiles(ctx: Ctx, user: Reader, status: Status | None = None,
                  area: Annotated[str | None, Query(max_length=40)] = None,
                  latest: bool = False) -> list[dict[str, Any]]:
    """Profile versions, by code and newest version first (`latest`: one per code)."""
    found = service.list_profiles(ctx, status=status, area=area, latest_only=latest)
    return [summary(s) for s in found]


@router.post("", operation_id="create_profile", response_model=ProfileOut, status_code=201,
             responses=_CHANGES)
def create_profile(body: Definition, ctx: Ctx, user: Manager) -> ProfileOut:
    """Write a new profile (a new code) as draft version 1."""
    profile = parse_profile(body, default_owner=user.name)
    return profile_out(service.create(ctx, profile, user.actor))


@router.get("/export", operation_id="export_profiles", responses={
    200: {"content": {"application/yaml": {}}, "description": "A YAML list of profiles"},
    **_ERRORS})
def export_profiles(ctx: Ctx, user: Reader, status: Status | None = None) -> Response:
    """The profiles as YAML (one version per code: the newest, or the newest in `status`)."""
    text = service.export_yaml(ctx, status)
    return Response(text, media_type="application/yaml; charset=utf-8")


@router.post("/import", operation_id="import_profiles", response_model=list[ImportedOut],
             openapi_extra=YAML_BODY, responses=_CHANGES)
async def import_profiles(request: Request, ctx: Ctx, user: Manager,
                          activate: bool = False) -> list[ImportedOut]:
    """Write every profile of a YAML list as drafts, all or none (`activate`: activate each)."""
    data = await request.body()  # read_yaml refuses more than MAX_YAML_BYTES, coded
    saved = await run_in_threadpool(service.import_yaml, ctx, data, user.actor,
                                    owner=user.name, activate_all=activate)
    return [ImportedOut(code=s.profile.code, version=s.profile.version,
                        status=str(s.profile.status), action=s.action, activated=s.activated)
            for s in saved]


@router.post("/backtest", operation_id="backtest_profile_definition",
             response_model=BacktestOut, responses=_ERRORS)
def backtest_definition(body: BacktestDefinitionIn, ctx: Ctx, user: Reader) -> BacktestOut:
    """Test an unsaved definition against the declarations accepted in a period."""
    profile = parse_profile(body.profile, default_owner=user.name)
    start, end = period(ctx, body)
    return backtest_out(service.backtest(ctx, profile, start, end), profile.code, None)


@router.get("/{key}", operation_id="get_profile", response_model=ProfileOut, responses=_ERRORS)
def get_profile(key: str, ctx: Ctx, user: Reader,
                version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None) -> ProfileOut:
    """A version of a profile (default: the newest) and the list of its versions."""
    found, versions = service.get(ctx, checked(key), version)
    return profile_out(found, versions)


@router.put("/{key}", operation_id="update_profile", response_model=SavedOut,
            responses=_CHANGES)
def update_profile(key: str, body: Definition, ctx: Ctx, user: Manager) -> SavedOut:
    """Edit a profile: a draft is rewritten; an active or retired one gets a new draft."""
    profile = parse_profile(body, default_owner=user.name)
    saved = service.update(ctx, checked(key), profile, user.actor)
    return SavedOut(action=saved.action, profile=profile_out(saved.profile))


@router.post("/{key}/activate", operation_id="activate_profile", response_model=ProfileOut,
             responses=_CHANGES)
def activate_profile(key: str, body: VersionIn, ctx: Ctx, user: Manager) -> ProfileOut:
    """Activate a draft; the code's active version, if any, is retired."""
    return profile_out(service.activate(ctx, checked(key), body.version, user.actor))


@router.post("/{key}/retire", operation_id="retire_profile", response_model=ProfileOut,
             responses=_CHANGES)
def retire_profile(key: str, body: VersionIn, ctx: Ctx, user: Manager) -> ProfileOut:
    """Retire a version (default: the active one, else the newest draft)."""
    return profile_out(service.retire(ctx, checked(key), body.version, user.actor))


@router.post("/{key}/backtest", operation_id="backtest_profile", response_model=BacktestOut,
             responses=_ERRORS)
def backtest_profile(key: str, body: BacktestIn, ctx: Ctx, user: Reader) -> BacktestOut:
    """What the profile would have hit in a period (default: the last 30 days), how many of
    those were controlled and how many found irregular."""
    found, _ = service.get(ctx, checked(key), body.version)
    start, end = period(ctx, body)
    return backtest_out(service.backtest(ctx, found.profile, start, end),
                        found.code, found.version)
