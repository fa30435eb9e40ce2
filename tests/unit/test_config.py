"""Settings refuse unsafe values where the system is deployed."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from clearway.config import DEVELOPMENT_SECRET, Settings


@pytest.mark.parametrize(("environment", "secret", "bench", "ok"), [
    ("development", DEVELOPMENT_SECRET, False, True),
    ("test", DEVELOPMENT_SECRET, True, True),
    ("production", DEVELOPMENT_SECRET, False, False),
    ("staging", DEVELOPMENT_SECRET, False, False),
    ("production", "short", False, False),
    ("production", "x" * 40, False, True),
    ("production", "x" * 40, True, False),
])
def test_secret_and_bench_rules(environment: str, secret: str, bench: bool, ok: bool) -> None:
    def build() -> Settings:
        return Settings(environment=environment, secret_key=secret, bench_endpoints=bench)

    if ok:
        assert build().environment == environment
    else:
        with pytest.raises(ValidationError):
            build()


def test_country_code_must_be_two_letters() -> None:
    with pytest.raises(ValidationError):
        Settings(country_code="R1")
