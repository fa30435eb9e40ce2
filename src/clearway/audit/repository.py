"""Appending to and reading the audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit.model import GENESIS_HASH, AuditEntry, entry_hash
from clearway.storage.orm import AuditHeadRow, AuditRow


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def append(session: Session, *, at: datetime, actor: str, action: str, object_type: str,
           object_id: str, detail: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry inside the caller's transaction. The head row is locked, so
    concurrent writers number their entries one after another without gaps."""
    head = session.execute(
        select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHeadRow(id=1, last_id=0, last_hash=GENESIS_HASH)
        session.add(head)
        session.flush()
    # Stored timestamps lose their zone on SQLite: hash the UTC wall time, microseconds kept.
    entry = AuditEntry(id=head.last_id + 1, at=_utc(at).replace(tzinfo=None), actor=actor,
                       action=action, object_type=object_type, object_id=object_id,
                       detail=detail or {}, prev_hash=head.last_hash)
    digest = entry_hash(entry)
    session.add(AuditRow(id=entry.id, at=entry.at, actor=actor, action=action,
                         object_type=object_type, object_id=object_id, detail=entry.detail,
                         prev_hash=entry.prev_hash, hash=digest))
    head.last_id, head.last_hash = entry.id, digest
    return AuditEntry(**{**entry.__dict__, "hash": digest})


def iter_entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = session.execute(
            select(AuditRow).where(AuditRow.id > last).order_by(AuditRow.id).limit(batch)
        ).scalars().all()
        if not rows:
            return
        for r in rows:
            yield AuditEntry(id=r.id, at=_utc(r.at).replace(tzinfo=None), actor=r.actor,
                             action=r.action, object_type=r.object_type,
                             object_id=r.object_id, detail=r.detail, prev_hash=r.prev_hash,
                             hash=r.hash)
        last = rows[-1].id


def head(session: Session) -> tuple[int, str]:
    row = session.get(AuditHeadRow, 1)
    return (row.last_id, row.last_hash) if row else (0, GENESIS_HASH)
