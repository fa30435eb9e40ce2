"""Fixtures of the integration tests that several files share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from clearway.config import get_settings
from clearway.context import Context


@pytest.fixture
def run(ctx: Context, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A CLI runner on the test's database (`ctx`'s)."""
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
