"""User accounts and their tokens (who acts, with roles and permissions, is `identity`)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from clearway.errors import ClearwayError
from clearway.identity import User


class UserError(ClearwayError):
    """A user cannot be created as asked (bad name or role, trader role without trader id)."""

    def __init__(self, message: str) -> None:
        super().__init__(code="CW-USER-INVALID", message=message)


# Names appear in the audit trail as role:name and in URLs: keep them plain.
USER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


def new_token() -> str:
    """A random bearer token; only its hash is stored."""
    return "cw_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenCache:
    """Recently authenticated tokens, so that a busy client does not cost a database read
    per request. An entry lives `ttl_seconds` at most and never past the token's expiry:
    a revoked token stops working within that time. Keys are token hashes."""

    def __init__(self, ttl_seconds: float = 2.0, max_entries: int = 10_000) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._entries: dict[str, tuple[datetime, User]] = {}

    def get(self, token: str, now: datetime) -> User | None:
        found = self._entries.get(hash_token(token))
        if found is None or found[0] <= now:
            return None
        return found[1]

    def put(self, token: str, user: User, now: datetime) -> None:
        if self._ttl <= 0:
            return
        if len(self._entries) >= self._max:
            self._entries.clear()
        until = now + timedelta(seconds=self._ttl)
        if user.expires_at is not None:
            until = min(until, user.expires_at)
        self._entries[hash_token(token)] = (until, user)

    def clear(self) -> None:
        self._entries.clear()
