"""Storage of rotation: sensitive posts, tenure exceptions and the duty shifts they are
measured on. The roster's check (`shift_check_in`) runs in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from clearway.rotation.model import BREAK_DAYS, Post, Served, Tenure, rotated_in, shift_tenure
from clearway.storage.orm import UserRow
from clearway.storage.orm_controls import DutyShiftRow
from clearway.storage.orm_prevention import SensitivePostRow, TenureExceptionRow


def _post(row: SensitivePostRow) -> Post:
    return Post(row.office, row.function, row.max_tenure_days, row.warn_days)


def post_row(session: Session, office: str, function: str) -> SensitivePostRow | None:
    return session.execute(select(SensitivePostRow).where(
        SensitivePostRow.office == office, SensitivePostRow.function == function)
    ).scalar_one_or_none()


def posts(session: Session, office: str | None = None) -> list[Post]:
    query = select(SensitivePostRow)
    if office is not None:
        query = query.where(SensitivePostRow.office == office)
    rows = session.execute(query.order_by(SensitivePostRow.office, SensitivePostRow.function))
    return [_post(r) for r in rows.scalars()]


def add_post(session: Session, **values: Any) -> SensitivePostRow:
    row = SensitivePostRow(**values)
    session.add(row)
    session.flush()
    return row


def _served(row: DutyShiftRow) -> Served:
    return Served(row.officer_id, row.office, row.function, row.starts_at, row.ends_at)


def shifts_on(session: Session, office: str, function: str, *,
              officer_id: int | None = None) -> list[Served]:
    query = select(DutyShiftRow).where(DutyShiftRow.office == office,
                                       DutyShiftRow.function == function)
    if officer_id is not None:
        query = query.where(DutyShiftRow.officer_id == officer_id)
    return [_served(r) for r in session.execute(query.order_by(DutyShiftRow.starts_at))
            .scalars()]


def exception_until(session: Session, officer_id: int, office: str, function: str
                    ) -> date | None:
    """The latest day an approved exception lets the officer stay on the post."""
    return session.execute(select(func.max(TenureExceptionRow.until)).where(
        TenureExceptionRow.officer_id == officer_id, TenureExceptionRow.office == office,
        TenureExceptionRow.function == function, TenureExceptionRow.status == "approved")
    ).scalar()


def shift_check_in(session: Session, *, officer_id: int, office: str, function: str,
                   starts_at: datetime, ends_at: datetime) -> Tenure | None:
    """The tenure a new shift would bring the officer to on a sensitive post (None: the
    post is not sensitive)."""
    row = post_row(session, office, function)
    if row is None:
        return None
    new = Served(officer_id, office, function, starts_at, ends_at)
    existing = shifts_on(session, office, function, officer_id=officer_id)
    return shift_tenure(existing, new, _post(row),
                        exception_until(session, officer_id, office, function))


def add_exception(session: Session, **values: Any) -> TenureExceptionRow:
    row = TenureExceptionRow(**values)
    session.add(row)
    session.flush()
    return row


def get_exception(session: Session, exception_id: int) -> TenureExceptionRow | None:
    return session.execute(select(TenureExceptionRow).where(
        TenureExceptionRow.id == exception_id).with_for_update()).scalar_one_or_none()


def exceptions(session: Session, *, status: str | None, limit: int = 500
               ) -> list[TenureExceptionRow]:
    query = select(TenureExceptionRow)
    if status is not None:
        query = query.where(TenureExceptionRow.status == status)
    return list(session.execute(query.order_by(TenureExceptionRow.requested_at.desc(),
                                               TenureExceptionRow.id.desc())
                                .limit(limit)).scalars())


def names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {int(i): str(n) for i, n in session.execute(
        select(UserRow.id, UserRow.name).where(UserRow.id.in_(wanted)))}


def user_role(session: Session, user_id: int) -> str | None:
    return session.execute(select(UserRow.role).where(UserRow.id == user_id)
                           ).scalar_one_or_none()


def rotation_share(session: Session, year: int) -> dict[str, Any]:
    """The year's share of officers rotated off sensitive posts (the progress report's
    anti-corruption section): {"year", "officers" (who served on a sensitive post in the
    year), "rotated" (of them, who left such a post for another in the year and did not
    come back within BREAK_DAYS), "share" (rotated / officers, None without officers)}.
    Judged on the posts marked sensitive now."""
    sensitive = {(p.office, p.function) for p in posts(session)}
    if not sensitive:
        return {"year": year, "officers": 0, "rotated": 0, "share": None}
    start = datetime(year, 1, 1) - timedelta(days=BREAK_DAYS)
    end = datetime(year + 1, 1, 1) + timedelta(days=BREAK_DAYS)
    pairs = [(DutyShiftRow.office == o) & (DutyShiftRow.function == f) for o, f in sensitive]
    officers = select(DutyShiftRow.officer_id).where(
        or_(*pairs), DutyShiftRow.starts_at < datetime(year + 1, 1, 1),
        DutyShiftRow.ends_at >= datetime(year, 1, 1))
    rows = session.execute(select(DutyShiftRow).where(
        DutyShiftRow.officer_id.in_(officers), DutyShiftRow.starts_at < end,
        DutyShiftRow.ends_at >= start)).scalars()
    served, rotated = rotated_in([_served(r) for r in rows], sensitive, year)
    return {"year": year, "officers": len(served), "rotated": len(rotated),
            "share": len(rotated) / len(served) if served else None}
