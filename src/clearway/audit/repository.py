"""Appending to and reading the audit chain."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, event, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from clearway.audit import witness
from clearway.audit.model import (
    GENESIS_HASH,
    AuditEntry,
    Checkpoint,
    WitnessRecord,
    checkpoint_message,
    entry_hash,
)
from clearway.audit.signing import Signer, signer
from clearway.config import Settings, get_settings
from clearway.storage.orm import AuditHeadRow, AuditRow
from clearway.storage.orm_controls import AuditCheckpointRow
from clearway.storage.unit_of_work import insert_rows
from clearway.storage.upsert import dialect_insert

log = logging.getLogger(__name__)
_HEAD = cast(Table, AuditHeadRow.__table__)
_ADVANCE_HEAD = (update(_HEAD).where(_HEAD.c.id == 1)
                 .values(last_id=bindparam("last_id"), last_hash=bindparam("last_hash")))


_SETTINGS_KEY = "clearway.settings"


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def bind_settings(sessions: sessionmaker[Session], settings: Settings) -> None:
    """Make the sessions of `sessions` sign checkpoints with `settings` (key and interval).
    Sessions not bound use the process settings (environment), which is what a deployed
    process has anyway; binding matters where one process holds several configurations."""
    sessions.configure(info={_SETTINGS_KEY: settings})


def settings_of(session: Session) -> Settings:
    found = session.info.get(_SETTINGS_KEY)
    return found if isinstance(found, Settings) else get_settings()


def signer_of(settings: Settings) -> Signer:
    return signer(settings.secret_key, settings.audit_signing_key_file)


# Built once: every audited transaction takes it (a core statement on the connection).
_LOCK_HEAD = (select(_HEAD.c.last_id, _HEAD.c.last_hash).where(_HEAD.c.id == 1)
              .with_for_update())


def lock_head(session: Session) -> tuple[int, str]:
    """Lock the chain's head row until the transaction ends (every audited writer takes it,
    so this also serialises anything that must not race with them) and return it."""
    connection = session.connection()
    found = connection.execute(_LOCK_HEAD).first()
    if found is None:
        # The migration creates the head; re-create it on an emptied table. Two writers may
        # both find it missing: the loser's insert does nothing and it waits on the lock.
        connection.execute(dialect_insert(session, _HEAD).on_conflict_do_nothing(),
                           dict(id=1, last_id=0, last_hash=GENESIS_HASH))
        found = connection.execute(_LOCK_HEAD).one()
    return int(found[0]), str(found[1])


_PENDING = "clearway.audit_pending"
WITNESS_PENDING = "clearway.audit_witness_pending"


def append(session: Session, *, at: datetime, actor: str, action: str, object_type: str,
           object_id: str, detail: dict[str, Any] | None = None) -> None:
    """Add one entry to the caller's transaction. Entries are queued and written, in the
    order given, as the transaction commits (`_write_pending`): the chain's head is then
    locked only for those inserts and the commit itself, not for the rest of the use case
    (on an acceptance, the risk decision), so writers in several processes overlap. The
    entries commit with the use case or not at all, exactly as before."""
    if not session.in_transaction():
        session.begin()   # so that a rollback before any SQL still drops the entry
    # Stored timestamps lose their zone on SQLite: hash the UTC wall time, microseconds kept.
    session.info.setdefault(_PENDING, []).append(dict(
        at=_utc(at).replace(tzinfo=None), actor=actor, action=action,
        object_type=object_type, object_id=object_id, detail=detail or {}))


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """Number, hash and insert the transaction's queued entries under the head's lock.
    Every `audit_checkpoint_every`-th entry is checkpointed in the same transaction."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    last_id, last_hash = lock_head(session)
    settings = settings_of(session)
    every = settings.audit_checkpoint_every
    rows = []
    for values in pending:
        entry = AuditEntry(id=last_id + 1, prev_hash=last_hash, **values)
        last_id, last_hash = entry.id, entry_hash(entry)
        rows.append(dict(id=entry.id, prev_hash=entry.prev_hash, hash=last_hash, **values))
    insert_rows(session, AuditRow, rows)
    session.connection().execute(_ADVANCE_HEAD, {"last_id": last_id, "last_hash": last_hash})
    for row in rows:
        if every > 0 and row["id"] % every == 0:
            add_checkpoint(session, signer_of(settings), row["id"], row["hash"], row["at"])


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction: Any) -> None:
    """A rolled-back transaction's entries go with it (Clearway uses no savepoints)."""
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
        session.info.pop(WITNESS_PENDING, None)


def _entry(r: Any) -> AuditEntry:
    """An entry from an AuditRow or a row of `_ENTRY_COLUMNS` (the same attribute names)."""
    return AuditEntry(id=r.id, at=_utc(r.at).replace(tzinfo=None), actor=r.actor,
                      action=r.action, object_type=r.object_type, object_id=r.object_id,
                      detail=r.detail, prev_hash=r.prev_hash, hash=r.hash)


# Verifying reads every entry: plain column rows, not ORM objects, whose identity map and
# instance state cost more than hashing them (the integrity page verifies on each visit).
_ENTRY_COLUMNS = (AuditRow.id, AuditRow.at, AuditRow.actor, AuditRow.action,
                  AuditRow.object_type, AuditRow.object_id, AuditRow.detail,
                  AuditRow.prev_hash, AuditRow.hash)


def iter_entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = session.execute(
            select(*_ENTRY_COLUMNS).where(AuditRow.id > last).order_by(AuditRow.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from (_entry(r) for r in rows)
        last = rows[-1].id


def head(session: Session) -> tuple[int, str]:
    row = session.get(AuditHeadRow, 1)
    return (row.last_id, row.last_hash) if row else (0, GENESIS_HASH)


def _checkpoint(row: AuditCheckpointRow) -> Checkpoint:
    return Checkpoint(id=row.id, entry_id=row.entry_id, entry_hash=row.entry_hash,
                      at=_utc(row.at).replace(tzinfo=None), key_id=row.key_id,
                      signature=row.signature)


def checkpoints(session: Session) -> list[Checkpoint]:
    """All checkpoints in the order they were made."""
    rows = session.execute(select(AuditCheckpointRow).order_by(AuditCheckpointRow.id))
    return [_checkpoint(r) for r in rows.scalars()]


def latest_checkpoint(session: Session) -> Checkpoint | None:
    row = session.execute(select(AuditCheckpointRow).order_by(AuditCheckpointRow.id.desc())
                          .limit(1)).scalar_one_or_none()
    return None if row is None else _checkpoint(row)


def add_checkpoint(session: Session, key: Signer, entry_id: int, digest: str,
                   at: datetime) -> Checkpoint:
    """Sign "entry `entry_id` has hash `digest`", numbered after and chained to the latest
    checkpoint. The caller holds the head lock, so checkpoints are made one after another
    and their numbers have no gaps (a sequence would lose one on every rollback). It is
    written to the witness once the transaction commits (`_publish_witnessed`)."""
    previous = session.execute(select(AuditCheckpointRow.id, AuditCheckpointRow.signature)
                               .order_by(AuditCheckpointRow.id.desc()).limit(1)).first()
    number = previous[0] + 1 if previous else 1
    prev_signature = previous[1] if previous else None
    at = _utc(at).replace(tzinfo=None)
    signature = key.sign(checkpoint_message(entry_id, digest, at, key.key_id, prev_signature,
                                            number))
    row = AuditCheckpointRow(id=number, entry_id=entry_id, entry_hash=digest, at=at,
                             key_id=key.key_id, signature=signature)
    session.add(row)
    session.flush()
    made = _checkpoint(row)
    session.info.setdefault(WITNESS_PENDING, []).append(
        WitnessRecord(made, prev_signature))
    return made


@event.listens_for(Session, "after_commit")
def _publish_witnessed(session: Session) -> None:
    """Checkpoints go to the witness only once committed: a record of a checkpoint that was
    rolled back would later read as a deleted one. A crash in between loses the record
    (verify warns that the witness lags; `clearway audit witness` catches up). Once the
    file holds them, the witness's head advances, on another connection (this session's
    transaction is over; no lock was held while the file was written)."""
    made = session.info.pop(WITNESS_PENDING, None)
    if made and witness.publish(settings_of(session), made):
        first, last = made[0].checkpoint, made[-1].checkpoint
        try:
            with session.get_bind().engine.connect() as conn, conn.begin():
                mark_witnessed(conn, last.id, last.entry_hash, after=first.id - 1)
        except SQLAlchemyError as exc:  # the next `audit witness` (or server tick) marks it
            log.error("audit witness head not advanced to checkpoint %s: %s", last.id, exc)


# Row 2 of `audit_head` is the witness's head: the number (and entry hash) of the latest
# checkpoint that the witness file is known to hold, every earlier one included. Kept in
# the database, so that a witness file deleted or cut reads as an error in `verify`, not as
# a chain nobody witnessed; whoever hides a cut tail must now edit both consistently. An
# existing table's second row: no migration.
WITNESS_HEAD = 2


def witness_mark(session: Session) -> int:
    """The latest checkpoint number the witness file is known to hold (0: none)."""
    row = session.get(AuditHeadRow, WITNESS_HEAD)
    return row.last_id if row else 0


def mark_witnessed(conn: Connection, number: int, digest: str, *,
                   after: int | None = None) -> bool:
    """Advance the witness's head to checkpoint `number`. `after`: only from exactly that
    number (an automatic checkpoint's record follows the previous one only if that one was
    marked: a record lost in a crash leaves the mark behind, not past a hole). Never
    moves back."""
    conn.execute(dialect_insert(conn, _HEAD).on_conflict_do_nothing(),
                 dict(id=WITNESS_HEAD, last_id=0, last_hash=GENESIS_HASH))
    advance = update(_HEAD).where(_HEAD.c.id == WITNESS_HEAD).values(
        last_id=number, last_hash=digest)
    advance = advance.where(_HEAD.c.last_id == after if after is not None
                            else _HEAD.c.last_id < number)
    return bool(conn.execute(advance).rowcount)


@dataclass(frozen=True)
class EntryFilter:
    object_type: str | None = None
    object_id: str | None = None
    actor: str | None = None
    action: str | None = None
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive


def find_entries(session: Session, flt: EntryFilter, *, after: int, limit: int
                 ) -> list[AuditEntry]:
    """Entries matching `flt` with id above `after`, oldest first (keyset paging)."""
    query = select(AuditRow).where(AuditRow.id > after)
    for column, value in ((AuditRow.object_type, flt.object_type),
                          (AuditRow.object_id, flt.object_id), (AuditRow.actor, flt.actor),
                          (AuditRow.action, flt.action)):
        if value is not None:
            query = query.where(column == value)
    if flt.start is not None:
        query = query.where(AuditRow.at >= flt.start)
    if flt.end is not None:
        query = query.where(AuditRow.at < flt.end)
    rows = session.execute(query.order_by(AuditRow.id).limit(limit)).scalars()
    return [_entry(r) for r in rows]
