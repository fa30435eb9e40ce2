"""Matching stays index lookups whatever the number of arrivals stored: the bulk seeding the
benchmark uses, then every lookup found and, on SQLite, planned on an index (never a scan
of the arrivals)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from clearway.context import Context
from clearway.prearrival import arrivals_repository as repo
from clearway.prearrival.model import AlarmKind
from conftest import NOW


def seed(n: int) -> list[dict[str, Any]]:
    exit_at = NOW - timedelta(hours=1)
    return [{"partner": "RS", "agreement_id": "RS-MK-2026", "message_id": f"m-{i}",
             "conversation_id": f"m-{i}", "mrn": f"26RS{i:013d}A",
             "office_of_exit": "RS004002", "office_of_entry": "MK002001", "exit_at": exit_at,
             "deadline_at": exit_at + timedelta(hours=24), "vehicle": f"BG{i:06d}",
             "payload": {"mrn": f"26RS{i:013d}A"}, "status": "expected", "received_at": NOW,
             "containers": [f"CONT{i:07d}"]} for i in range(n)]


def statements(ctx: Context, lookups: Callable[[Session], object]) -> list[tuple[str, Any]]:
    """The SQL statements (with their parameters) that `lookups` runs."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, sql: str, params: Any, context: Any,
               executemany: bool) -> None:
        seen.append((sql, params))

    event.listen(ctx.engine, "before_cursor_execute", record)
    try:
        with ctx.uow(read_only=True) as uow:
            lookups(uow.session)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", record)
    return [(sql, params) for sql, params in seen if sql.lstrip().upper().startswith("SELECT")]


def test_bulk_seeded_arrivals_are_found_by_each_key(ctx: Context) -> None:
    with ctx.uow() as uow:
        assert repo.bulk_insert(uow.session, seed(3000)) == 3000
        uow.commit()
    with ctx.uow(read_only=True) as uow:
        s = uow.session
        assert [r.message_id for r in repo.by_mrns(s, ["26RS0000000001234A"])] == ["m-1234"]
        assert [r.message_id for r in repo.by_containers(s, ["cont 0002999"])] == ["m-2999"]
        assert [r.message_id for r in repo.by_vehicle(s, "BG000007", ["MK002001"])] == ["m-7"]
        assert repo.by_vehicle(s, "BG000007", ["MK000001"]) == []
        assert len(repo.due(s, NOW + timedelta(days=2), 10)) == 10
        assert repo.due(s, NOW, 10) == []


def test_every_matching_lookup_is_planned_on_an_index(ctx: Context) -> None:
    if ctx.engine.dialect.name != "sqlite":
        return  # the plan's wording is SQLite's; the indexes are the same on PostgreSQL
    with ctx.uow() as uow:
        repo.bulk_insert(uow.session, seed(50))
        uow.commit()

    def lookups(s: Session) -> None:
        repo.by_mrns(s, ["26RS0000000000001A"])
        repo.by_containers(s, ["CONT0000001"])
        repo.by_vehicle(s, "BG000001", ["MK002001"])
        repo.due(s, NOW + timedelta(days=2), 10)
        repo.open_alarms_of_arrival(s, 1, AlarmKind.NO_ARRIVAL)
        repo.open_no_exit(s, "RS")

    # The key each lookup must search by (the container lookup takes two steps); a status
    # index would read every arrival expected.
    keys = ["ix_anticipated_arrivals_mrn", "ix_arrival_containers_container",
            "INTEGER PRIMARY KEY", "ix_anticipated_arrivals_vehicle",
            "ix_anticipated_arrivals_due", "ix_arrival_alarms_arrival", "ix_arrival_alarms_kind"]
    found = statements(ctx, lookups)
    assert len(found) == len(keys)
    with ctx.engine.connect() as conn:
        for (sql, params), key in zip(found, keys, strict=True):
            plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql, params).all())
            assert plan.startswith("SEARCH") and key in plan and "SCAN" not in plan, (sql, plan)
