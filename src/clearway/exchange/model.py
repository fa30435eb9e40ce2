"""What administrations exchange: partners, agreements, the envelope of a message and the
receipt that proves its delivery. Plain frozen values; storage maps them from outside.

The envelope's fields follow the ebMS3/AS4 user-message header (From/To party, Service,
Action, ConversationId, MessageId, RefToMessageId), so an AS4 gateway can carry a message
without reshaping it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from clearway.errors import ClearwayError, shown

SERVICE = "urn:clearway:exchange"
PARTNER_STATUSES = ("active", "suspended")
ONWARD_TRANSFER = ("forbidden", "with-consent")


class ExchangeRefused(ClearwayError):
    """A message refused by code (CW-EXCH-*): on the way out before the outbox, on the way in
    before anything is stored."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code=code, message=message)


def new_message_id() -> str:
    """A message or conversation id: unique without asking anyone (a UUID4)."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Partner:
    """An administration this one exchanges with; `public_key_pem` verifies what it signs."""

    code: str
    name: str
    inbox_url: str
    public_key_pem: str
    status: str  # "active" | "suspended"

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Crossing:
    """A border crossing the agreement covers: each party's office at it (the exporting
    side's is the office of exit, the other's the office of entry), how long the road between
    them plausibly takes, and how long after exit an arrival may still come."""

    name: str
    offices: Mapping[str, str]  # country code -> office code at this crossing
    min_transit_minutes: int
    max_transit_minutes: int
    arrival_deadline_hours: int

    def entry_office(self, exit_office: str) -> str | None:
        """The other party's office, where goods leaving through `exit_office` arrive."""
        if exit_office not in self.offices.values():
            return None
        others = [office for office in self.offices.values() if office != exit_office]
        return others[0] if len(others) == 1 else None


@dataclass(frozen=True)
class Agreement:
    """What two (or more) administrations agreed to exchange: message types, purposes, the
    top-level payload fields allowed per purpose, for how long and under which article."""

    id: str
    parties: frozenset[str]
    legal_basis: str
    valid_from: date
    valid_to: date | None
    message_types: frozenset[str]
    purposes: frozenset[str]
    fields: Mapping[str, frozenset[str]]  # purpose -> allowed top-level payload field names
    retention_days: int
    onward_transfer: str  # "forbidden" | "with-consent"
    crossings: tuple[Crossing, ...] = ()

    def crossing_at(self, office: str) -> Crossing | None:
        """The crossing where `office` (either side's) stands, if the agreement covers one."""
        return next((c for c in self.crossings if office in c.offices.values()), None)

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def binds(self, one: str, other: str) -> bool:
        """Whether both administrations are parties (a message to oneself is never covered)."""
        return one != other and {one, other} <= self.parties

    def allowed_fields(self, purpose: str) -> frozenset[str]:
        return self.fields.get(purpose, frozenset())


_TEXT = ("message_id", "conversation_id", "from_party", "to_party", "service", "action",
         "agreement_ref", "legal_article", "purpose", "confidentiality", "payload_type",
         "payload_version")


@dataclass(frozen=True)
class Envelope:
    """The header of one message; `action` is its message type ("anticipated-arrival",
    "ping"), `created_at` an aware UTC time."""

    message_id: str
    conversation_id: str
    ref_to_message_id: str | None
    from_party: str
    to_party: str
    service: str
    action: str
    agreement_ref: str
    legal_article: str
    purpose: str
    confidentiality: str
    caveats: tuple[str, ...]
    created_at: datetime
    payload_type: str
    payload_version: str

    def as_dict(self) -> dict[str, Any]:
        """The envelope as JSON values (the time in ISO 8601 with its offset)."""
        data: dict[str, Any] = {name: getattr(self, name) for name in _TEXT}
        data["ref_to_message_id"] = self.ref_to_message_id
        data["caveats"] = list(self.caveats)
        data["created_at"] = self.created_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: object) -> Envelope:
        """The envelope of `as_dict`, or CW-EXCH-ENVELOPE naming the first field at fault."""
        if not isinstance(data, dict):
            raise _bad("the envelope is not an object")
        unknown = set(data) - set(_TEXT) - {"ref_to_message_id", "caveats", "created_at"}
        if unknown:
            raise _bad(f"unknown field {shown(sorted(unknown)[0])}")
        text = {name: _text(data, name) for name in _TEXT}
        ref = data.get("ref_to_message_id")
        if ref is not None and (not isinstance(ref, str) or not ref):
            raise _bad("ref_to_message_id is not a non-empty text or null")
        caveats = data.get("caveats", [])
        if not isinstance(caveats, list) or not all(isinstance(c, str) for c in caveats):
            raise _bad("caveats is not a list of texts")
        return cls(**text, ref_to_message_id=ref, caveats=tuple(caveats),
                   created_at=aware_time(data.get("created_at"), "created_at"))


@dataclass(frozen=True)
class Receipt:
    """Proof that `receiver` received the message `message_id`: `digest` is the SHA-256 (hex)
    of the exact JWS text received, so the sender can show which token was acknowledged."""

    message_id: str
    received_at: datetime
    receiver: str
    digest: str

    def as_dict(self) -> dict[str, str]:
        return {"message_id": self.message_id, "received_at": self.received_at.isoformat(),
                "receiver": self.receiver, "digest": self.digest}

    @classmethod
    def from_dict(cls, data: object) -> Receipt:
        if not isinstance(data, dict) or set(data) != {"message_id", "received_at", "receiver",
                                                       "digest"}:
            raise _bad("a receipt holds exactly message_id, received_at, receiver and digest")
        return cls(message_id=_text(data, "message_id"), receiver=_text(data, "receiver"),
                   digest=_text(data, "digest"),
                   received_at=aware_time(data["received_at"], "received_at"))


def aware_time(value: object, name: str) -> datetime:
    """An ISO 8601 time with an offset, as UTC; CW-EXCH-ENVELOPE otherwise."""
    if not isinstance(value, str):
        raise _bad(f"{name} is not a text")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _bad(f"{name} {shown(value)} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise _bad(f"{name} {shown(value)} has no UTC offset")
    try:
        return plausible_time(moment)
    except ValueError:
        raise _bad(f"{name} {shown(value)} is not a plausible time") from None


# Times a partner sends are stored in UTC and moved by hours or days (deadlines, windows):
# year 1 at +23:00 or year 9999 would overflow there, as a 500, instead of a refusal.
EARLIEST_YEAR, LATEST_YEAR = 1900, 9000


def plausible_time(moment: datetime) -> datetime:
    """An aware time as UTC, or ValueError outside EARLIEST_YEAR..LATEST_YEAR (pydantic
    reports a ValueError of a validator as a field's fault)."""
    try:
        found = moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("the time is out of range") from None
    if not EARLIEST_YEAR <= found.year <= LATEST_YEAR:
        raise ValueError(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return found


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"{name} is missing or not a non-empty text")
    return value


def _bad(problem: str) -> ExchangeRefused:
    return ExchangeRefused("CW-EXCH-ENVELOPE", f"The message cannot be read: {problem}")
