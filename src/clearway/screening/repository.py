"""Restricted-party list entries in the database (table `screening_entries`)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clearway.screening.model import ListEntry
from clearway.storage.orm_risk import ScreeningEntryRow
from clearway.storage.unit_of_work import insert_rows


def _entry(data: dict[str, object]) -> ListEntry:
    tuples = ("aliases", "countries", "programs")
    fields = {k: tuple(v) if k in tuples and isinstance(v, list) else v for k, v in data.items()}
    return ListEntry(**fields)  # type: ignore[arg-type]


def load_entries(session: Session, list_id: str | None = None) -> list[ListEntry]:
    stmt = select(ScreeningEntryRow.data).order_by(ScreeningEntryRow.id)
    if list_id is not None:
        stmt = stmt.where(ScreeningEntryRow.list_id == list_id)
    return [_entry(d) for d in session.execute(stmt).scalars()]


def replace_list(session: Session, list_id: str, entries: Sequence[ListEntry],
                 now: datetime) -> int:
    """Replace every entry of `list_id` by `entries` (their list_id is set to `list_id`)."""
    session.execute(delete(ScreeningEntryRow).where(ScreeningEntryRow.list_id == list_id))
    rows = []
    for e in entries:
        data = asdict(e)
        data["list_id"] = list_id
        rows.append({"list_id": list_id, "entry_id": e.entry_id, "data": data,
                     "loaded_at": now})
    if rows:
        insert_rows(session, ScreeningEntryRow, rows)
    return len(rows)


def list_counts(session: Session) -> list[tuple[str, int, datetime]]:
    stmt = (select(ScreeningEntryRow.list_id, func.count(), func.max(ScreeningEntryRow.loaded_at))
            .group_by(ScreeningEntryRow.list_id).order_by(ScreeningEntryRow.list_id))
    return [(lid, n, at) for lid, n, at in session.execute(stmt)]


def signature(session: Session) -> Hashable:
    """Changes whenever a list is loaded or replaced: the engine's index is rebuilt then."""
    return tuple(session.execute(select(func.count(ScreeningEntryRow.id),
                                        func.max(ScreeningEntryRow.id),
                                        func.max(ScreeningEntryRow.loaded_at))).one())
