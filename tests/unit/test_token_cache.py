"""The token cache never outlives its TTL or the token's own expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clearway.identity import Role, User
from clearway.users.model import TokenCache

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def user(expires_in: float | None = None) -> User:
    expires = NOW + timedelta(seconds=expires_in) if expires_in is not None else None
    return User(id=1, name="u", role=Role.TRADER, trader_id="RS1", expires_at=expires)


@pytest.mark.parametrize(("ttl", "expires_in", "later", "cached"), [
    (2.0, None, 0.0, True),
    (2.0, None, 1.9, True),
    (2.0, None, 2.0, False),
    (2.0, 1.0, 1.0, False),   # the token expires before the cache entry would
    (0.0, None, 0.0, False),  # disabled
])
def test_entries_expire(ttl: float, expires_in: float | None, later: float, cached: bool) -> None:
    cache = TokenCache(ttl)
    cache.put("cw_token", user(expires_in), NOW)
    found = cache.get("cw_token", NOW + timedelta(seconds=later))
    assert (found is not None) is cached


def test_unknown_token_is_not_found_and_clear_empties() -> None:
    cache = TokenCache(5)
    cache.put("a", user(), NOW)
    assert cache.get("b", NOW) is None
    cache.clear()
    assert cache.get("a", NOW) is None
