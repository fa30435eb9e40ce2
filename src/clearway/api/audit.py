"""HTTP routes of the audit trail: entries by filter, paged, and the chain's verification.
Auditors and supervisors only (audit:read)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from clearway.api.deps import Ctx, require
from clearway.audit import service
from clearway.audit.model import AuditEntry
from clearway.audit.repository import EntryFilter
from clearway.errors import ClearwayError
from clearway.identity import Permission, User

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
Reader = Annotated[User, Depends(require(Permission.READ_AUDIT))]


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, e: AuditEntry) -> AuditEntryOut:
        return cls(id=e.id, at=e.at.replace(tzinfo=UTC), actor=e.actor, action=e.action,
                   object_type=e.object_type, object_id=e.object_id, detail=e.detail,
                   prev_hash=e.prev_hash, hash=e.hash)


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    next_after: int | None  # pass as `after` for the next page; None: this was the last


Text = Annotated[str | None, Query(max_length=120)]


def _utc(at: datetime | None) -> datetime | None:
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


@router.get("/entries", operation_id="list_audit_entries", response_model=AuditPage)
def list_entries(
    ctx: Ctx, user: Reader, object_type: Text = None, object_id: Text = None,
    actor: Text = None, action: Text = None,
    start: Annotated[datetime | None, Query(alias="from", description="From (inclusive), "
                                            "ISO date or date-time, UTC if no zone")] = None,
    end: Annotated[datetime | None, Query(alias="to", description="To (exclusive)")] = None,
    after: Annotated[int, Query(ge=0, le=2**62, description="Entries after this id")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """Audit entries matching every filter given, oldest first, `limit` at a time."""
    start, end = _utc(start), _utc(end)
    if start and end and end <= start:
        raise ClearwayError(code="CW-REQUEST-INVALID",
                            message="`to` must be after `from`")
    flt = EntryFilter(object_type=object_type, object_id=object_id, actor=actor,
                      action=action, start=start, end=end)
    found = service.list_entries(ctx, flt, after=after, limit=limit)
    return AuditPage(items=[AuditEntryOut.of(e) for e in found],
                     next_after=found[-1].id if len(found) == limit else None)


@router.get("/verify", operation_id="verify_audit_chain")
def verify(ctx: Ctx, user: Reader, deep: Annotated[bool, Query(
        description="Also compare every stored record with the chain (slow: it reads "
        "them all)")] = False) -> dict[str, Any]:
    """Recompute the chain, check its head, every signed checkpoint and the witness:
    `intact`, counts, the latest checkpoint, warnings, and the first broken entry with its
    kind and reason; with `deep`, also the first stored record that disagrees (`record`)."""
    return service.verify_report(ctx, deep=deep).as_dict()
