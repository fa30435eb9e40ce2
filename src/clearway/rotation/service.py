"""Use cases of rotation, one unit of work each, every change audited: supervisors mark
sensitive posts, read the rotation plan and its warnings, ask for a tenure exception that
another supervisor approves. The roster's own check is `repository.shift_check_in`."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound, reason_required
from clearway.identity import User
from clearway.rotation import repository as repo
from clearway.rotation.model import (
    MAX_TENURE_DAYS,
    PlanEntry,
    Post,
    Tenure,
    TenureStatus,
    serving,
    tenure,
)
from clearway.storage.orm_prevention import SensitivePostRow, TenureExceptionRow

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,23}")


def _post_error() -> ClearwayError:
    return ClearwayError(code="CW-ROTATION-POST",
                         message=f"A sensitive post names an office and a function (letters, "
                         f"digits, - and _), a maximum tenure of 1 to {MAX_TENURE_DAYS} days "
                         "and a warning of 0 days up to that tenure")


def set_post(ctx: Context, *, office: str, function: str, max_tenure_days: int,
             warn_days: int, user: User) -> SensitivePostRow:
    """Mark a post sensitive (or change its limits): from now on the roster holds its
    officers to the maximum tenure."""
    if not (_NAME.fullmatch(office) and _NAME.fullmatch(function)
            and 1 <= max_tenure_days <= MAX_TENURE_DAYS and 0 <= warn_days <= max_tenure_days):
        raise _post_error()
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = repo.post_row(uow.session, office, function)
        before = None if row is None else [row.max_tenure_days, row.warn_days]
        if row is None:
            row = repo.add_post(uow.session, office=office, function=function,
                                max_tenure_days=max_tenure_days, warn_days=warn_days,
                                updated_at=now, updated_by=user.actor)
        row.max_tenure_days, row.warn_days = max_tenure_days, warn_days
        row.updated_at, row.updated_by = now, user.actor
        audit.append(uow.session, at=now, actor=user.actor, action="sensitive_post.set",
                     object_type="sensitive_post", object_id=f"{office}/{function}",
                     detail={"max_tenure_days": max_tenure_days, "warn_days": warn_days,
                             "before": before})
        uow.commit()
        return row


def posts(ctx: Context, office: str | None = None) -> list[Post]:
    with ctx.uow(read_only=True) as uow:
        return repo.posts(uow.session, office)


def plan(ctx: Context, office: str | None = None) -> list[PlanEntry]:
    """Who must rotate by when: every officer holding a sensitive post (of `office`), the
    soonest to rotate first, with their status (ok, warning, over, exception)."""
    today = ctx.clock.now().date()
    found: list[Tenure] = []
    with ctx.uow(read_only=True) as uow:
        for post in repo.posts(uow.session, office):
            shifts = repo.shifts_on(uow.session, post.office, post.function)
            for officer in sorted({s.officer_id for s in shifts}):
                own = [s for s in shifts if s.officer_id == officer]
                if not serving(own, today):
                    continue
                until = repo.exception_until(uow.session, officer, post.office,
                                             post.function)
                held = tenure(own, post, today, until)
                if held is not None:
                    found.append(held)
        names = repo.names(uow.session, [t.officer_id for t in found])
    found.sort(key=lambda t: (t.rotate_by, t.office, t.function, t.officer_id))
    return [PlanEntry(t, names.get(t.officer_id, f"#{t.officer_id}")) for t in found]


def warnings(ctx: Context, office: str | None = None) -> list[PlanEntry]:
    """The plan's officers near or past their maximum tenure without an exception."""
    return [e for e in plan(ctx, office)
            if e.tenure.status in (TenureStatus.WARNING, TenureStatus.OVER)]


def request_exception(ctx: Context, *, officer_id: int, office: str, function: str,
                      until: date, reason: str, user: User) -> TenureExceptionRow:
    """Ask that an officer stay on a sensitive post until `until`: in force once a second
    supervisor approves."""
    if not reason.strip():
        raise reason_required("A tenure exception needs a written reason")
    now = ctx.clock.now()
    if until < now.date():
        raise ClearwayError(code="CW-ROTATION-POST",
                            message="An exception lasts until a day to come")
    with ctx.uow() as uow:
        if repo.post_row(uow.session, office, function) is None:
            raise NotFound("Sensitive post", f"{office}/{function}")
        if repo.user_role(uow.session, officer_id) is None:
            raise NotFound("User", str(officer_id))
        row = repo.add_exception(uow.session, officer_id=officer_id, office=office,
                                 function=function, until=until, reason=reason.strip(),
                                 status="pending", requested_by_id=user.id,
                                 requested_at=now)
        _audit(uow.session, now, user, row, "tenure_exception.requested",
               {"until": until.isoformat(), "reason": row.reason})
        uow.commit()
        return row


def decide_exception(ctx: Context, exception_id: int, *, approve: bool, note: str | None,
                     user: User) -> TenureExceptionRow:
    """Four eyes: a supervisor who neither asked for the exception nor is its officer
    approves or rejects it."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = repo.get_exception(uow.session, exception_id)
        if row is None:
            raise NotFound("Tenure exception", str(exception_id))
        if row.status != "pending" or user.id in (row.requested_by_id, row.officer_id):
            raise ClearwayError(code="CW-ROTATION-EXCEPTION",
                                message=f"Tenure exception {row.id} is {row.status}; it is "
                                "decided once, by a supervisor who neither asked for it nor "
                                "is its officer")
        row.status = "approved" if approve else "rejected"
        row.decided_by_id, row.decided_at = user.id, now
        row.decision_note = (note or "").strip() or None
        _audit(uow.session, now, user, row, f"tenure_exception.{row.status}",
               {"note": row.decision_note})
        uow.commit()
        return row


def exceptions(ctx: Context, *, status: str | None = None
               ) -> tuple[list[TenureExceptionRow], dict[int, str]]:
    with ctx.uow(read_only=True) as uow:
        rows = repo.exceptions(uow.session, status=status)
        people = [i for r in rows for i in (r.officer_id, r.requested_by_id, r.decided_by_id)
                  if i is not None]
        return rows, repo.names(uow.session, people)


def share(ctx: Context, year: int) -> dict[str, Any]:
    with ctx.uow(read_only=True) as uow:
        return repo.rotation_share(uow.session, year)


def _audit(session: Any, now: Any, user: User, row: TenureExceptionRow, action: str,
           detail: dict[str, object]) -> None:
    audit.append(session, at=now, actor=user.actor, action=action,
                 object_type="tenure_exception", object_id=str(row.id),
                 detail={"officer_id": row.officer_id, "office": row.office,
                         "function": row.function, **detail})
