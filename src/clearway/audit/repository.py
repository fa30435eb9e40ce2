"""Appending to and reading the audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from clearway.audit.model import GENESIS_HASH, AuditEntry, entry_hash
from clearway.storage.orm import AuditHeadRow, AuditRow
from clearway.storage.unit_of_work import insert_rows

_HEAD = cast(Table, AuditHeadRow.__table__)
_ADVANCE_HEAD = (update(_HEAD).where(_HEAD.c.id == 1)
                 .values(last_id=bindparam("last_id"), last_hash=bindparam("last_hash")))


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def append(session: Session, *, at: datetime, actor: str, action: str, object_type: str,
           object_id: str, detail: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry inside the caller's transaction. The head row is locked, so
    concurrent writers number their entries one after another without gaps."""
    found = session.execute(
        select(AuditHeadRow.last_id, AuditHeadRow.last_hash).where(AuditHeadRow.id == 1)
        .with_for_update()
    ).first()
    if found is None:  # the migration creates the head; re-create it on an emptied table
        insert_rows(session, AuditHeadRow, dict(id=1, last_id=0, last_hash=GENESIS_HASH))
        last_id, last_hash = 0, GENESIS_HASH
    else:
        last_id, last_hash = found
    # Stored timestamps lose their zone on SQLite: hash the UTC wall time, microseconds kept.
    entry = AuditEntry(id=last_id + 1, at=_utc(at).replace(tzinfo=None), actor=actor,
                       action=action, object_type=object_type, object_id=object_id,
                       detail=detail or {}, prev_hash=last_hash)
    digest = entry_hash(entry)
    insert_rows(session, AuditRow, dict(
        id=entry.id, at=entry.at, actor=actor, action=action, object_type=object_type,
        object_id=object_id, detail=entry.detail, prev_hash=entry.prev_hash, hash=digest))
    session.connection().execute(_ADVANCE_HEAD, {"last_id": entry.id, "last_hash": digest})
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
