"""Profile use cases: write drafts, activate, retire, import/export, back-test.

Life cycle: a new profile is a draft (version 1). Editing a draft rewrites it; editing an
active or retired profile makes a new draft version. Activating a draft retires the code's
previously active version, so a code has at most one active version. Every change is appended
to the audit trail in the same unit of work, with the definition written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearway.agencies import repository as agency_repo
from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, Conflict, DocumentInvalid, Forbidden, Issue, NotFound
from clearway.profiles import backtest as backtests
from clearway.profiles import backtest_files
from clearway.profiles import repository as repo
from clearway.profiles.model import Profile, ProfileStatus
from clearway.profiles.repository import StoredProfile
from clearway.profiles.yaml_io import dump_profiles, load_profiles
from clearway.storage.orm_risk import RiskProfileRow

DRAFT, ACTIVE, RETIRED = ProfileStatus.DRAFT, ProfileStatus.ACTIVE, ProfileStatus.RETIRED


@dataclass(frozen=True)
class Saved:
    """What writing a profile did: created, updated (the draft), new_version, unchanged;
    `activated` when an import also activated it."""

    profile: StoredProfile
    action: str
    activated: bool = False


def _audit(session: Session, ctx: Context, actor: str, action: str, row: RiskProfileRow,
           **detail: Any) -> None:
    audit.append(session, at=ctx.clock.now(), actor=actor, action=f"profile.{action}",
                 object_type="risk_profile", object_id=f"{row.code} v{row.version}",
                 detail={"code": row.code, "version": row.version, **detail})


def _state(message: str) -> ClearwayError:
    return Conflict("CW-PROFILE-STATE", message)


def _raced(code: str) -> Conflict:
    return Conflict("CW-PROFILE-EXISTS", f"Profile {code} was changed by someone else at the "
                    "same time; reload it and try again")


def _in_scope(rows: list[RiskProfileRow], code: str, scope: str | None) -> None:
    """An agency user (`scope`: its agency's code) reaches only its agency's profiles; any
    other code reads as unknown, so it learns nothing of customs' profiles."""
    if scope is not None and any(r.agency != scope for r in rows):
        raise NotFound("Profile", code)


def _owned(session: Session, profile: Profile, scope: str | None) -> Profile:
    """The profile as `scope` may write it: an agency user's profiles are its agency's
    (filled in when left out; another agency's refused); an agency named must exist."""
    if scope is not None and profile.agency is None:
        profile = replace(profile, agency=scope)
    if scope is not None and profile.agency != scope:
        raise Forbidden(f"Agency users write only profiles of their agency ({scope}), not "
                        f"of {profile.agency}")
    if profile.agency is not None and agency_repo.agency(session, profile.agency) is None:
        raise ClearwayError("CW-AGENCY-UNKNOWN", f"Profile {profile.code}: no agency "
                            f"{profile.agency!r}; create the agency first")
    return profile


def _save(session: Session, ctx: Context, profile: Profile, actor: str, *,
          must_be_new: bool = False, scope: str | None = None) -> tuple[RiskProfileRow, str]:
    now = ctx.clock.now()
    profile = _owned(session, profile, scope)
    rows = repo.versions(session, profile.code, for_update=True)
    _in_scope(rows, profile.code, scope)
    if rows and must_be_new:
        raise Conflict("CW-PROFILE-EXISTS", f"Profile {profile.code} exists already; edit it "
                       "to make a new version")
    draft = replace(profile, status=DRAFT)
    if not rows:
        row, action = repo.add(session, replace(draft, version=1), now=now, actor=actor), "created"
    else:
        latest = rows[-1]
        if latest.definition == profile.definition():
            return latest, "unchanged"
        if latest.status == DRAFT:
            repo.rewrite(latest, replace(draft, version=latest.version), now=now)
            row, action = latest, "updated"
        else:
            row = repo.add(session, replace(draft, version=latest.version + 1), now=now,
                           actor=actor)
            action = "new_version"
    _audit(session, ctx, actor, action, row, definition=profile.definition())
    return row, action


def create(ctx: Context, profile: Profile, actor: str, *,
           scope: str | None = None) -> StoredProfile:
    """A new profile code, as draft version 1. `scope`, here and below: the agency whose
    user acts (only its own profiles), None for customs."""
    try:
        with ctx.uow() as uow:
            row, _ = _save(uow.session, ctx, profile, actor, must_be_new=True, scope=scope)
            uow.commit()
    except IntegrityError:
        raise _raced(profile.code) from None
    return repo.stored(row)


def update(ctx: Context, code: str, profile: Profile, actor: str, *,
           scope: str | None = None) -> Saved:
    """Edit a profile: the draft in place, or a new draft version after an active/retired one."""
    if profile.code != code:
        raise DocumentInvalid([Issue("CW-PROFILE-ATTRIBUTE", f"Profile {code}: the code cannot "
                                     f"change (found {profile.code})", "code", "/code")])
    try:
        with ctx.uow() as uow:
            if not repo.versions(uow.session, code):
                raise NotFound("Profile", code)
            row, action = _save(uow.session, ctx, profile, actor, scope=scope)
            uow.commit()
    except IntegrityError:
        raise _raced(code) from None
    return Saved(repo.stored(row), action)


def _pick(rows: list[RiskProfileRow], code: str, version: int | None,
          fallback: tuple[str, ...]) -> RiskProfileRow:
    if not rows:
        raise NotFound("Profile", code)
    if version is not None:
        found = next((r for r in rows if r.version == version), None)
        if found is None:
            raise NotFound("Profile version", f"{code} v{version}")
        return found
    for status in fallback:
        found = next((r for r in reversed(rows) if r.status == status), None)
        if found is not None:
            return found
    raise _state(f"Profile {code} has no {' or '.join(fallback)} version")


def _activate(session: Session, ctx: Context, code: str, version: int | None,
              actor: str, scope: str | None = None) -> RiskProfileRow:
    rows = repo.versions(session, code, for_update=True)
    _in_scope(rows, code, scope)
    target = _pick(rows, code, version, (DRAFT,))
    if target.status != DRAFT:
        raise _state(f"Profile {code} v{target.version} is {target.status}: only a draft can "
                     "be activated (edit it to make a new draft)")
    now = ctx.clock.now()
    previous = [r for r in rows if r.status == ACTIVE]
    for old in previous:
        repo.set_status(old, RETIRED, now=now)
        _audit(session, ctx, actor, "retired", old, replaced_by=target.version)
    repo.set_status(target, ACTIVE, now=now)
    _audit(session, ctx, actor, "activated", target,
           replaces=previous[0].version if previous else None)
    session.flush()
    return target


def activate(ctx: Context, code: str, version: int | None, actor: str, *,
             scope: str | None = None) -> StoredProfile:
    """Activate a draft (default: the newest draft); the active version, if any, retires."""
    with ctx.uow() as uow:
        row = _activate(uow.session, ctx, code, version, actor, scope)
        uow.commit()
    ctx.risk.invalidate()  # this process decides with the new set at once
    return repo.stored(row)


def retire(ctx: Context, code: str, version: int | None, actor: str, *,
           scope: str | None = None) -> StoredProfile:
    """Retire a version (default: the active one, else the newest draft)."""
    with ctx.uow() as uow:
        rows = repo.versions(uow.session, code, for_update=True)
        _in_scope(rows, code, scope)
        target = _pick(rows, code, version, (ACTIVE, DRAFT))
        if target.status == RETIRED:
            raise _state(f"Profile {code} v{target.version} is retired already")
        was = target.status
        repo.set_status(target, RETIRED, now=ctx.clock.now())
        _audit(uow.session, ctx, actor, "retired", target, was=was)
        uow.commit()
    ctx.risk.invalidate()
    return repo.stored(target)


def get(ctx: Context, code: str, version: int | None = None, *, scope: str | None = None
        ) -> tuple[StoredProfile, list[StoredProfile]]:
    """A version (default: the newest) and every version of the code, newest first."""
    with ctx.uow(read_only=True) as uow:
        rows = repo.versions(uow.session, code)
        _in_scope(rows, code, scope)
        if not rows:
            raise NotFound("Profile", code)
        target = rows[-1] if version is None else _pick(rows, code, version, ())
        return repo.stored(target), [repo.stored(r) for r in reversed(rows)]


def list_profiles(ctx: Context, *, status: str | None = None, area: str | None = None,
                  latest_only: bool = False, scope: str | None = None) -> list[StoredProfile]:
    with ctx.uow(read_only=True) as uow:
        rows = repo.list_rows(uow.session, status=status, area=area, latest_only=latest_only,
                              agency=scope)
        return [repo.stored(r) for r in rows]


def import_yaml(ctx: Context, text: str | bytes, actor: str, *, owner: str,
                activate_all: bool = False, scope: str | None = None) -> list[Saved]:
    """Write every profile of a YAML file as drafts (all or none); `activate_all` activates
    each written draft, and leaves an unchanged active profile as it is."""
    profiles = load_profiles(text, default_owner=owner)
    results = []
    try:
        with ctx.uow() as uow:
            for profile in profiles:
                row, action = _save(uow.session, ctx, profile, actor, scope=scope)
                activated = activate_all and row.status == DRAFT
                if activated:
                    row = _activate(uow.session, ctx, row.code, row.version, actor)
                results.append((row, action, activated))
            uow.commit()
    except IntegrityError:
        raise _raced(", ".join(p.code for p in profiles)[:200]) from None
    ctx.risk.invalidate()
    return [Saved(repo.stored(row), action, activated) for row, action, activated in results]


def export_yaml(ctx: Context, status: str | None = None, *, scope: str | None = None) -> str:
    """The profiles as YAML, one version per code: its newest, or its newest in `status`."""
    found = list_profiles(ctx, status=status, latest_only=status is None, scope=scope)
    newest = {s.code: s.profile for s in reversed(found)}  # versions come newest first
    return dump_profiles(sorted(newest.values(), key=lambda p: p.code))


def backtest(ctx: Context, profile: Profile, start: date,
             end: date) -> backtests.BacktestResult:
    """What the profile would have hit among declarations accepted from `start` to `end`
    (both included), and what controls found on those."""
    backtests.check_period(start, end)
    with ctx.uow(read_only=True) as uow:
        return backtests.run(uow.session, ctx.refdata.get(), profile, start, end)


def export_history(ctx: Context, folder: str | Path, start: date, end: date) -> int:
    """Write the item frames of the declarations accepted from `start` to `end` to Parquet
    part files in `folder`, for back-tests over years (`backtest_files`); item rows written."""
    with ctx.uow(read_only=True) as uow:
        return backtest_files.export_frames(uow.session, ctx.refdata.get(), folder, start, end)


def backtest_history(profile: Profile, folder: str | Path, start: date,
                     end: date) -> backtests.BacktestResult:
    """`backtest` over an exported history (`export_history`), any number of years."""
    return backtest_files.run_files(folder, profile, start, end)
