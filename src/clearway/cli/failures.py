"""Recognising, after the fact, the failures of a command that configuration fixes: an invalid
setting, a database that is missing, unreachable or not migrated. Each becomes one line
(clearway.cli.group prints it with its exit code) instead of a traceback."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

FIX = "run `clearway db upgrade` (or start `make demo` and run commands from the same folder)"
# SQLite's and PostgreSQL's words for a schema that is older than the code, or absent.
MISSING_SCHEMA = ("no such table", "no such column", "undefinedtable", "undefinedcolumn",
                  "does not exist")
UNREACHABLE = ("unable to open database file", "connection refused", "could not connect",
               "connection failed", "could not translate host name")


class DatabaseNotReady(Exception):
    """Raised before a command whose loop would log and retry failures forever."""


def require_ready(engine: Engine) -> None:
    """Refuse at once a database that is missing, unreachable or not at the code's migration
    head (for commands that keep running and would log one traceback per round)."""
    from clearway.ops.readiness import failing_checks

    quiet = logging.getLogger("clearway.ops.readiness")  # its warnings would be a 2nd line
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        failing = failing_checks(engine)
    finally:
        quiet.setLevel(level)
    if not failing:
        return
    url = _database_url()
    if "database" in failing:
        raise DatabaseNotReady(f"cannot open the database {url}")
    if _sqlite_without_tables(url):
        raise DatabaseNotReady(f"no Clearway database at {url} (missing or empty): {FIX}")
    raise DatabaseNotReady(f"the database {url} is not migrated to this version "
                           f"({failing['migrations']}): {FIX}")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def settings_problem(exc: BaseException) -> str | None:
    """'CLEARWAY_X: why' for settings that do not validate, else None."""
    if "pydantic" not in sys.modules:
        return None
    from pydantic import ValidationError

    for item in _chain(exc):
        if isinstance(item, ValidationError) and item.title == "Settings":
            first = item.errors()[0]
            message = str(first["msg"]).removeprefix("Value error, ")
            where = ".".join(str(part) for part in first["loc"])
            if not where:
                return f"invalid settings: {message}"
            return f"invalid setting CLEARWAY_{where.upper()}: {message}"
    return None


def database_problem(exc: BaseException) -> str | None:
    """What is wrong with the database, which one, and what to run; None when the failure
    is something else."""
    if isinstance(exc, DatabaseNotReady):
        return str(exc)
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import DBAPIError

    for item in _chain(exc):
        if isinstance(item, DatabaseNotReady):
            return str(item)
        if isinstance(item, DBAPIError):
            return _describe(item)
    return None


def _describe(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    text = f"{type(orig).__name__} {orig}".lower()
    url = _database_url()
    if any(word in text for word in UNREACHABLE):
        return f"cannot open the database {url}: {str(orig).strip().splitlines()[0]}"
    if not any(word in text for word in MISSING_SCHEMA):
        return None
    if _sqlite_without_tables(url):
        return f"no Clearway database at {url} (missing or empty): {FIX}"
    detail = str(orig).strip().splitlines()[0]
    return f"the database {url} is not migrated to this version ({detail}): {FIX}"


def _database_url() -> str:
    from sqlalchemy.engine import make_url

    from clearway.config import get_settings

    return make_url(get_settings().database_url).render_as_string(hide_password=True)


def _sqlite_without_tables(url: str) -> bool:
    """True for a SQLite file without a single table, and removes it: opening a missing
    file created it, and an empty file would only hide, next time, that it was missing."""
    import sqlite3

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return False
    path = Path(parsed.database)
    if parsed.database == ":memory:" or not path.exists():
        return True
    with sqlite3.connect(path) as conn:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    conn.close()
    if tables:
        return False
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return True
