"""Data protection of exchanged personal data, as plain values: what the access log
records, consents, the decision on a use or an onward transfer, breaches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clearway.errors import ClearwayError

# What the access log records: each way exchanged personal data is touched, and an attempt
# the rules blocked.
ACTIONS = ("read", "list", "export", "disclose", "erase", "rectify", "blocked")
BREACH_STATUSES = ("open", "contained", "closed")
DEFAULT_PURPOSE = "risk-analysis"  # of a staff listing of received messages that names none
CORRECTION = "correction"          # the message type and ...
DATA_PROTECTION = "data-protection"  # ... the purpose of a rectification or erasure
RETENTION_ACTOR = "system:retention"


def invalid(message: str) -> ClearwayError:
    return ClearwayError(code="CW-PRIV-INVALID", message=message)


def not_found(message: str) -> ClearwayError:
    return ClearwayError(code="CW-PRIV-NOT-FOUND", message=message)


@dataclass(frozen=True)
class Access:
    """One entry of the access log."""

    actor: str
    action: str
    message_id: str | None = None
    record: str | None = None
    purpose: str | None = None
    recipient: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Consent:
    """The originator's consent: message `message_id` may serve `purpose`, or go on to
    `recipient` (one of the two)."""

    message_id: str
    purpose: str | None
    recipient: str | None
    granted_by: str
    reference: str


@dataclass(frozen=True)
class Decision:
    """Whether a use or an onward transfer may go ahead; `code` when it may not, `consent`
    the reference of the consent that allows it, if one was needed."""

    allowed: bool
    code: str | None
    reason: str
    consent: str | None = None


@dataclass(frozen=True)
class Breach:
    reference: str
    detected_at: datetime
    description: str
    categories: tuple[str, ...]
    subjects_affected: int
    partners_notified: tuple[str, ...]
    authority_notified_at: datetime | None
    measures: str
    status: str
