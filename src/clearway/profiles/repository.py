"""Storage of profile versions (`risk_profiles`): rows in, domain profiles out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.profiles.matcher import ProfileSet
from clearway.profiles.model import Profile, ProfileStatus
from clearway.profiles.parse import parse_profile
from clearway.storage.orm_risk import RiskProfileRow


@dataclass(frozen=True)
class StoredProfile:
    """A profile version with its book-keeping."""

    profile: Profile
    id: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    activated_at: datetime | None
    retired_at: datetime | None

    @property
    def code(self) -> str:
        return self.profile.code

    @property
    def version(self) -> int:
        return self.profile.version

    @property
    def status(self) -> ProfileStatus:
        return self.profile.status


def to_profile(row: RiskProfileRow) -> Profile:
    """The domain profile of a row (its definition was validated when it was written)."""
    parsed = parse_profile(row.definition, default_owner=row.owner)
    return replace(parsed, version=row.version, status=ProfileStatus(row.status))


def stored(row: RiskProfileRow) -> StoredProfile:
    return StoredProfile(to_profile(row), row.id, row.created_at, row.created_by,
                         row.updated_at, row.activated_at, row.retired_at)


def versions(session: Session, code: str, *, for_update: bool = False) -> list[RiskProfileRow]:
    """Every version of a code, oldest first (locked when `for_update`)."""
    stmt = select(RiskProfileRow).where(RiskProfileRow.code == code)
    if for_update:
        stmt = stmt.with_for_update()
    return list(session.execute(stmt.order_by(RiskProfileRow.version)).scalars())


def list_rows(session: Session, *, status: str | None = None, area: str | None = None,
              latest_only: bool = False, agency: str | None = None) -> list[RiskProfileRow]:
    """Profile versions by code, newest version first; `latest_only`: one per code;
    `agency`: only that agency's own profiles."""
    stmt = select(RiskProfileRow)
    if latest_only:
        newest = (select(RiskProfileRow.code, func.max(RiskProfileRow.version).label("v"))
                  .group_by(RiskProfileRow.code).subquery())
        stmt = stmt.join(newest, (newest.c.code == RiskProfileRow.code)
                         & (newest.c.v == RiskProfileRow.version))
    if status:
        stmt = stmt.where(RiskProfileRow.status == status)
    if area:
        stmt = stmt.where(RiskProfileRow.area == area)
    if agency:
        stmt = stmt.where(RiskProfileRow.agency == agency)
    stmt = stmt.order_by(RiskProfileRow.code, RiskProfileRow.version.desc())
    return list(session.execute(stmt).scalars())


def active_profiles(session: Session) -> list[Profile]:
    """The active version of every code (what the risk engine runs), ordered by code."""
    return [to_profile(r) for r in list_rows(session, status=ProfileStatus.ACTIVE)]


def signature(session: Session) -> tuple[Any, ...]:
    """Changes whenever any profile version is written, activated or retired (the engine's
    knowledge cache rebuilds its profile set when this moves)."""
    return tuple(session.execute(select(func.count(RiskProfileRow.id),
                                        func.max(RiskProfileRow.updated_at))).one())


def active_set(session: Session) -> ProfileSet | None:
    """Customs' compiled active profiles, or None when none is active (an agency's own
    profiles never weigh on customs' assessment: see `agency_sets`)."""
    profiles = [p for p in active_profiles(session) if p.agency is None]
    return ProfileSet(profiles) if profiles else None


def agency_sets(session: Session) -> dict[str, ProfileSet]:
    """Each agency's compiled active profiles, by agency code (empty: none is active)."""
    by_agency: dict[str, list[Profile]] = {}
    for p in active_profiles(session):
        if p.agency is not None:
            by_agency.setdefault(p.agency, []).append(p)
    return {code: ProfileSet(found) for code, found in sorted(by_agency.items())}


def columns(profile: Profile) -> dict[str, Any]:
    """The searchable columns a profile fills (the definition holds the rest)."""
    return dict(code=profile.code, version=profile.version, name=profile.name,
                area=str(profile.area), status=str(profile.status), owner=profile.owner,
                agency=profile.agency,
                valid_from=profile.valid_from, valid_to=profile.valid_to,
                definition=profile.definition())


def add(session: Session, profile: Profile, *, now: datetime, actor: str) -> RiskProfileRow:
    row = RiskProfileRow(**columns(profile), created_at=now, created_by=actor, updated_at=now,
                         activated_at=None, retired_at=None)
    session.add(row)
    session.flush()
    return row


def rewrite(row: RiskProfileRow, profile: Profile, *, now: datetime) -> None:
    """Replace a draft's definition in place (same version)."""
    for key, value in columns(profile).items():
        setattr(row, key, value)
    row.updated_at = now


def set_status(row: RiskProfileRow, status: ProfileStatus, *, now: datetime) -> None:
    row.status = str(status)
    row.updated_at = now
    if status == ProfileStatus.ACTIVE:
        row.activated_at = now
    elif status == ProfileStatus.RETIRED:
        row.retired_at = now
