"""Dual-use control list entries in the database (table `dual_use_entries`)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clearway.dualuse.model import DualUseEntry
from clearway.storage.orm_risk import DualUseEntryRow
from clearway.storage.unit_of_work import insert_rows


def entries(session: Session) -> list[DualUseEntry]:
    rows = session.execute(select(DualUseEntryRow).order_by(DualUseEntryRow.control_number))
    return [DualUseEntry(r.control_number, r.description, tuple(r.codes), r.valid_from,
                         r.valid_to) for r in rows.scalars()]


def count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(DualUseEntryRow)).scalar_one())


def replace_all(session: Session, new: Sequence[DualUseEntry], now: datetime) -> int:
    """Delete every entry and insert `new`; returns how many were there before."""
    before = count(session)
    session.execute(delete(DualUseEntryRow))
    if new:
        insert_rows(session, DualUseEntryRow, [
            {"control_number": e.control_number, "description": e.description,
             "codes": list(e.codes), "valid_from": e.valid_from, "valid_to": e.valid_to,
             "loaded_at": now} for e in new])
    return before


def signature(session: Session) -> Hashable:
    """Changes when the list is loaded again (for the engine's cache)."""
    return tuple(session.execute(select(func.count(), func.max(DualUseEntryRow.loaded_at))
                                 .select_from(DualUseEntryRow)).one())
