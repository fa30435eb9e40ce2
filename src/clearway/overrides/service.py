"""Four-eyes requests of the overrides room: reject one, read them.

Asking for an override and applying an approval change a declaration's selection, so they are
the clearance room's (`clearance.overrides`); it uses `pending_for_decision` and `what_of`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.declarations import repository as decl_repo
from clearway.errors import NotFound
from clearway.identity import Permission, User
from clearway.overrides import repository as repo
from clearway.overrides.model import (
    Status,
    check_decider,
    written,
)
from clearway.storage.orm_controls import OverrideRow

# What the trader reads when customs cancel a selected declaration: never the staff's reason.
CANCELLED_NOTICE = "cancelled by customs after review"


def sees_all(user: User) -> bool:
    """Approvers and auditors see every request; those who only ask see their own."""
    return user.may(Permission.APPROVE_OVERRIDE) or user.may(Permission.READ_AUDIT)


def reject(ctx: Context, override_id: int, note: str | None, user: User) -> OverrideRow:
    """Refuse a request, with a written note; the selection stays as it is."""
    text = written(note, "rejection note")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        found = pending_for_decision(uow.session, override_id, user)
        found.status, found.decided_by_id, found.decided_at = Status.REJECTED, user.id, now
        found.decision_note = text
        audit.append(uow.session, at=now, actor=user.actor, action="override.rejected",
                     object_type="override", object_id=str(found.id),
                     detail={**what_of(found), "requested_by_id": found.requested_by_id,
                             "note": text})
        uow.commit()
        return found


def pending_for_decision(session: Session, override_id: int, user: User) -> OverrideRow:
    found = repo.get(session, override_id, for_update=True)
    if found is None:
        raise NotFound("Override", str(override_id))
    check_decider(found.requested_by_id, user.id, Status(found.status))
    return found


def what_of(found: OverrideRow) -> dict[str, Any]:
    return {"kind": found.kind, "from_channel": found.from_channel,
            "to_channel": found.to_channel}


def list_for(ctx: Context, user: User, flt: repo.OverrideFilter, *, offset: int,
             limit: int) -> tuple[list[repo.Listed], int]:
    """Requests the user may see: all for approvers and auditors, else their own."""
    if not sees_all(user):
        flt = repo.OverrideFilter(status=flt.status, requested_by_id=user.id,
                                  declaration_id=flt.declaration_id)
    with ctx.uow(read_only=True) as uow:
        return repo.listed(uow.session, flt, offset=offset, limit=limit)


def get_for(ctx: Context, user: User, override_id: int) -> repo.Listed:
    with ctx.uow(read_only=True) as uow:
        found = repo.one(uow.session, override_id)
    if found is None or not (sees_all(user) or found.row.requested_by_id == user.id):
        raise NotFound("Override", str(override_id))
    return found


def declaration_id(ctx: Context, key: str) -> int:
    """The internal number of a declaration named by MRN (or number), for filters."""
    with ctx.uow(read_only=True) as uow:
        row = decl_repo.get(uow.session, key)
    if row is None:
        raise NotFound("Declaration", key)
    return row.id


def history(ctx: Context, *, offset: int, limit: int) -> tuple[list[repo.Listed], int]:
    """Decided requests, the latest decision first, for approvers (the approvals room)."""
    with ctx.uow(read_only=True) as uow:
        return repo.decided(uow.session, offset=offset, limit=limit)
