"""What must change at once when a control result is recorded, in the caller's transaction.

The clearance room calls `apply_result` in the same unit of work that inserts the
`control_results` row, so a profile's statistics never disagree with the results stored.
Everything else that reads results (label store, trader records, valuation references, the
non-compliance estimate, KPIs) reads `control_results` directly and needs no update here;
valuation references are recomputed by `clearway valuation rebuild` from the label store.

Profile effectiveness: every profile code (all versions) that hit the declaration counts the
control once (however many items it hit), a hit when the outcome is irregular, and the whole
revenue assessed (a declaration hit by two profiles credits both: revenue per control is a
profile's own yield, not a share of a total).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, literal, select
from sqlalchemy.orm import Session

from clearway.storage.orm_controls import ProfileEffectivenessRow
from clearway.storage.orm_risk import RiskDecisionRow
from clearway.storage.upsert import dialect_insert

IRREGULAR = "irregular"


def profile_code(ref: str) -> str:
    """The profile code of a hit's ref ("CODE v3" -> "CODE"; a bare code stays itself)."""
    code, sep, version = ref.rpartition(" v")
    return code if sep and version.isdigit() else ref


def profile_codes(hits: Iterable[dict[str, Any]]) -> list[str]:
    """The distinct profile codes among a stored decision's hits, sorted (a fixed lock order
    keeps concurrent upserts of overlapping profiles from deadlocking on PostgreSQL)."""
    return sorted({profile_code(str(h["ref"])) for h in hits
                   if h.get("source") == "profile" and h.get("ref")})


def apply_result(session: Session, *, declaration_id: int, outcome: str,
                 revenue: Decimal | None, recorded_at: datetime) -> None:
    """Update what depends on this control result at once, in the caller's transaction (the
    result row itself is the caller's)."""
    decision = session.execute(select(RiskDecisionRow.decision).where(
        RiskDecisionRow.declaration_id == declaration_id)).scalar_one_or_none()
    codes = profile_codes((decision or {}).get("hits") or [])
    if codes:
        _count_profiles(session, codes, irregular=outcome == IRREGULAR,
                        revenue=revenue or Decimal("0"), at=recorded_at)


def _later(current: Any, new: Any) -> ColumnElement[Any]:
    """The later of two timestamps, null-safe, the same SQL on SQLite and PostgreSQL."""
    return case((current.is_(None), new), (new.is_(None), current),
                (new > current, new), else_=current)


def _count_profiles(session: Session, codes: list[str], *, irregular: bool, revenue: Decimal,
                    at: datetime) -> None:
    """One atomic upsert per code: INSERT ... ON CONFLICT DO UPDATE adds to the stored
    counters in the database (never read-modify-write in Python), so concurrent results for
    the same profile both count; PostgreSQL locks the row for the rest of the transaction."""
    table = ProfileEffectivenessRow
    for code in codes:
        stmt = dialect_insert(session, table).values(
            code=code, controls=1, hits=int(irregular), revenue=revenue, last_control_at=at,
            last_hit_at=at if irregular else None)
        new = stmt.excluded
        stmt = stmt.on_conflict_do_update(index_elements=["code"], set_={
            "controls": table.controls + 1,
            "hits": table.hits + literal(int(irregular)),
            "revenue": table.revenue + new.revenue,
            "last_control_at": _later(table.last_control_at, new.last_control_at),
            "last_hit_at": _later(table.last_hit_at, new.last_hit_at),
        })
        session.execute(stmt)
