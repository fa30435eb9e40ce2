"""Readiness checks: the database answers, and its schema is at the migrations' head (an
instance of new code must not take traffic before `clearway db upgrade` ran)."""

from __future__ import annotations

import logging
from functools import cache

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from clearway.storage.migrate import alembic_config

log = logging.getLogger(__name__)


@cache
def script_heads() -> frozenset[str]:
    """The head revisions shipped with this code: read once per process (the migration
    scripts do not change while it runs)."""
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def failing_checks(engine: Engine, heads: frozenset[str] | None = None) -> dict[str, str]:
    """Each failing check's name and a short reason ({} when ready). Reasons name no
    connection detail: the probe answers without authentication."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            try:
                found = frozenset(conn.execute(
                    text("SELECT version_num FROM alembic_version")).scalars())
            except Exception:
                log.warning("readiness: no migration version in the database")
                return {"migrations": "the database was never migrated"}
    except Exception:
        log.warning("readiness: the database is unreachable", exc_info=True)
        return {"database": "the database is unreachable"}
    expected = script_heads() if heads is None else heads
    if found != expected:
        return {"migrations": f"the database is at {', '.join(sorted(found)) or 'no revision'}"
                              f", the code expects {', '.join(sorted(expected))}"}
    return {}
