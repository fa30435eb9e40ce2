"""API shapes of four-eyes requests."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from clearway.overrides.model import Kind, Status
from clearway.overrides.repository import Listed
from clearway.risk.engine.decision import Channel


class OverrideIn(BaseModel):
    kind: Kind = Field(description="channel_change, waiver (of the open control) or "
                       "cancellation (of the selected declaration)")
    to_channel: Channel | None = Field(None, description="The new channel (channel_change "
                                       "only)")
    reason: str | None = Field(None, max_length=4000,
                               description="Why: at least 10 characters, shown to the "
                               "approver and kept in the audit trail, never to the trader")


class DecisionIn(BaseModel):
    note: str | None = Field(None, max_length=4000,
                             description="The approver's note (required to reject, 10 "
                             "characters or more)")


class OverrideOut(BaseModel):
    id: int
    declaration: str = Field(description="MRN of the declaration")
    kind: Kind
    from_channel: str | None
    to_channel: str | None
    reason: str
    status: Status
    requested_by: str
    requested_by_id: int
    requested_at: datetime
    decided_by: str | None
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str | None
    audit_sampled: bool

    @classmethod
    def of(cls, found: Listed) -> OverrideOut:
        row = found.row
        return cls(id=row.id, declaration=found.reference, kind=Kind(row.kind),
                   from_channel=row.from_channel, to_channel=row.to_channel,
                   reason=row.reason, status=Status(row.status),
                   requested_by=found.requested_by, requested_by_id=row.requested_by_id,
                   requested_at=row.requested_at, decided_by=found.decided_by,
                   decided_by_id=row.decided_by_id, decided_at=row.decided_at,
                   decision_note=row.decision_note, audit_sampled=bool(row.audit_sampled))


class OverridePage(BaseModel):
    items: list[OverrideOut]
    total: int
    offset: int
    limit: int
