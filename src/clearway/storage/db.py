"""Engine creation: SQLite (WAL, foreign keys) by default, PostgreSQL in production."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic_core
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

# Execution option marking an engine view whose transactions only read.
READ_ONLY = "clearway_read_only"


def json_serializer(value: Any) -> str:
    """JSON columns are written with pydantic-core's serializer: about twice as fast as the
    standard library's on declaration documents, and it knows dates and decimals."""
    return pydantic_core.to_json(value).decode()


def make_engine(url: str, *, sqlite_synchronous: str = "NORMAL", **kwargs: Any) -> Engine:
    """`sqlite_synchronous`: NORMAL survives a killed process (the WAL is in the OS cache);
    FULL also survives power loss, at the price of an fsync per commit."""
    if sqlite_synchronous not in ("NORMAL", "FULL", "EXTRA"):
        raise ValueError(f"sqlite_synchronous: NORMAL, FULL or EXTRA, not {sqlite_synchronous!r}")
    kwargs.setdefault("json_serializer", json_serializer)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event issue BEGIN itself (see below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={sqlite_synchronous}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin_immediate(conn: Any) -> None:
            # Writers take the write lock at BEGIN: concurrent writers queue (busy_timeout)
            # instead of failing with "database is locked" when two readers both upgrade.
            # Read-only units of work (READ_ONLY option) begin deferred and never block.
            read_only = conn.get_execution_options().get(READ_ONLY, False)
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        url = str(parsed.set(drivername="postgresql+psycopg"))
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, **kwargs)
