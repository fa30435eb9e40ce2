"""Shared fixtures: a fresh database per test on SQLite and, when CLEARWAY_TEST_POSTGRES_URL
is set (CI sets it), on PostgreSQL too; a fixed clock; users of every role."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.storage.migrate import upgrade
from clearway.storage.schema import metadata
from helpers import samples_dir

REPO = Path(__file__).resolve().parents[1]
SAMPLES = samples_dir()
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
POSTGRES_URL = os.environ.get("CLEARWAY_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
# A demo running in this checkout writes var/clearway.env for the command line: tests that
# run `clearway` (in-process or as a child) must not pick it up (clearway.cli.envfile).
os.environ["CLEARWAY_ENV_FILE"] = "off"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database(worker_id: str) -> Iterator[str]:
    assert POSTGRES_URL
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"clearway_test_{worker_id}_{os.getpid()}"  # runs side by side never collide
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "clearway.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    engine = create_engine(url)
    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ctx(db_url: str, clock: FixedClock) -> Iterator[Context]:
    settings = Settings(database_url=db_url, environment="test", country_code="RS",
                        token_cache_seconds=0)
    context = build_context(settings, clock=clock, rng=random.Random(7))
    yield context
    context.engine.dispose()
