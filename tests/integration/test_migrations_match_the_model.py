"""The migrations build exactly the schema the code maps: on SQLite and PostgreSQL, a database
migrated to head and the tables of `storage.schema` differ in nothing Alembic can compare
(tables, columns, types, nullability, indexes, unique constraints)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from clearway.storage.schema import metadata


def test_a_migrated_database_matches_the_mapped_tables(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == []
