"""When received data must go: the agreement's retention period counted from receipt, plus
the extensions the data protection officer granted (each with a reason)."""

from __future__ import annotations

from datetime import datetime, timedelta


def expires_at(received_at: datetime, retention_days: int, extended_days: int = 0) -> datetime:
    """The moment the data of a message received at `received_at` must be gone."""
    return received_at + timedelta(days=retention_days + extended_days)


def expired(received_at: datetime, retention_days: int, extended_days: int,
            now: datetime) -> bool:
    return expires_at(received_at, retention_days, extended_days) <= now


def cutoff(now: datetime, retention_days: int) -> datetime:
    """Messages received at or before this moment are past the period (unless extended)."""
    return now - timedelta(days=retention_days)
