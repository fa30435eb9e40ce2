"""HTTP routes of an agency's own risk profiles, for its users: the same profiles, language
and life cycle as customs' (`/api/v1/profiles`), scoped to the user's agency. A profile
written here belongs to the writer's agency; another agency's or customs' profile reads as
unknown. Its hits select the agency's tasks only (docs/single-window.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from clearway.api.deps import Ctx, require
from clearway.api.profiles import _CHANGES as CHANGES
from clearway.api.profiles import _ERRORS as ERRORS
from clearway.api.profiles import Definition, Status, checked
from clearway.identity import Permission, User
from clearway.profiles import service
from clearway.profiles.parse import parse_profile
from clearway.profiles.schemas import ProfileOut, ProfileSummary, SavedOut, VersionIn
from clearway.profiles.schemas import profile_out as out
from clearway.profiles.schemas import summary as summary_of

router = APIRouter(prefix="/api/v1/agency-profiles", tags=["agencies"])
Reader = Annotated[User, Depends(require(Permission.READ_AGENCY_PROFILES))]
Manager = Annotated[User, Depends(require(Permission.MANAGE_AGENCY_PROFILES))]


@router.get("", operation_id="list_agency_profiles", response_model=list[ProfileSummary],
            responses=ERRORS)
def list_agency_profiles(ctx: Ctx, user: Reader, status: Status | None = None,
                         latest: bool = False) -> list[dict[str, Any]]:
    """The agency's own profile versions, by code and newest version first."""
    found = service.list_profiles(ctx, status=status, latest_only=latest,
                                  scope=user.agency_code)
    return [summary_of(s) for s in found]


@router.post("", operation_id="create_agency_profile", response_model=ProfileOut,
             status_code=201, responses=CHANGES)
def create_agency_profile(body: Definition, ctx: Ctx, user: Manager) -> ProfileOut:
    """A new profile of the agency (its code filled in when left out), as draft version 1."""
    profile = parse_profile(body, default_owner=user.name)
    return out(service.create(ctx, profile, user.actor, scope=user.agency_code))


@router.get("/{key}", operation_id="get_agency_profile", response_model=ProfileOut,
            responses=ERRORS)
def get_agency_profile(key: str, ctx: Ctx, user: Reader) -> ProfileOut:
    """The newest version of one of the agency's profiles, with its versions."""
    found, versions = service.get(ctx, checked(key), scope=user.agency_code)
    return out(found, versions)


@router.put("/{key}", operation_id="update_agency_profile", response_model=SavedOut,
            responses=CHANGES)
def update_agency_profile(key: str, body: Definition, ctx: Ctx, user: Manager) -> SavedOut:
    """Edit: a draft is rewritten; an active or retired profile gets a new draft."""
    profile = parse_profile(body, default_owner=user.name)
    saved = service.update(ctx, checked(key), profile, user.actor, scope=user.agency_code)
    return SavedOut(action=saved.action, profile=out(saved.profile))


@router.post("/{key}/activate", operation_id="activate_agency_profile",
             response_model=ProfileOut, responses=CHANGES)
def activate_agency_profile(key: str, body: VersionIn, ctx: Ctx, user: Manager) -> ProfileOut:
    """Activate a draft: from now on it selects the agency's tasks."""
    return out(service.activate(ctx, checked(key), body.version, user.actor,
                                scope=user.agency_code))


@router.post("/{key}/retire", operation_id="retire_agency_profile", response_model=ProfileOut,
             responses=CHANGES)
def retire_agency_profile(key: str, body: VersionIn, ctx: Ctx, user: Manager) -> ProfileOut:
    """Retire a version (default: the active one, else the newest draft)."""
    return out(service.retire(ctx, checked(key), body.version, user.actor,
                              scope=user.agency_code))
