"""`INSERT ... ON CONFLICT` for the two supported databases: the one place that picks
SQLite's or PostgreSQL's insert construct by dialect (both offer `on_conflict_do_nothing`,
`on_conflict_do_update` and `excluded` with the same arguments)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

_INSERT: dict[str, Any] = {"sqlite": sqlite_insert, "postgresql": pg_insert}
DIALECTS = tuple(_INSERT)


def insert_for(dialect: str, table: Any) -> Any:
    """The dialect's `INSERT` on `table` (a Table or a mapped class), by dialect name: for
    statements built once per dialect at import, off the hot path."""
    return _INSERT[dialect](table)


def dialect_insert(bind: Session | Connection, table: Any) -> Any:
    """The `INSERT` of the database the session or connection is talking to."""
    connection = bind.connection() if isinstance(bind, Session) else bind
    return insert_for(connection.dialect.name, table)
