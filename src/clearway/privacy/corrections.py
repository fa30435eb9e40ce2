"""A correction (rectification or erasure) applied to a received message held here: by the
data protection officer here, or on the originator's "correction" message (the handler
registered for that type in `composition.message_handlers`).

The payload of a correction: `corrects` (the message id), `correction` ("rectify" or
"erase"), `fields` (the new values, top-level fields of the original's purpose; null for an
erasure) and `reason`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.config import Settings
from clearway.errors import ClearwayError
from clearway.exchange import repository as exchange_repo
from clearway.exchange.inbound import Incoming
from clearway.exchange.model import ExchangeRefused
from clearway.privacy import repository as repo
from clearway.privacy.model import DATA_PROTECTION, Access
from clearway.storage.orm_exchange import InboxRow


def apply(session: Session, row: InboxRow, fields: dict[str, Any] | None, now: datetime, *,
          cause: str) -> None:
    """Replace fields of the received message (its signed token, which still holds the old
    values, is dropped; the digest stays), or erase its data (`fields` None)."""
    if fields is None:
        repo.erase(session, row, cause, now)
        return
    if repo.is_erased(session, row.message_id):
        raise ClearwayError("CW-PRIV-FIELD", "The message's data was already erased")
    payload = {**row.payload, **fields}
    repo.empty(row)
    row.payload = payload
    repo.rectify_arrival(session, row.message_id, fields)


# How each type of message is read (its domain's strict reader, raising CW-EXCH-PAYLOAD):
# a rectified copy must still read as its type, so a correction cannot slip in a field the
# type has no room for (a person's name in an anticipated arrival) or a value it cannot hold.
Readers = Mapping[str, Callable[[dict[str, Any]], object]]


def _unreadable(problem: str) -> ExchangeRefused:
    return ExchangeRefused("CW-EXCH-PAYLOAD", f"The correction cannot be read: {problem}")


def _read(payload: dict[str, Any]) -> tuple[str, dict[str, Any] | None, str]:
    corrects, kind = payload.get("corrects"), payload.get("correction")
    fields, reason = payload.get("fields"), payload.get("reason")
    if not isinstance(corrects, str) or not corrects or len(corrects) > 64:
        raise _unreadable("corrects is not a message id")
    if kind not in ("rectify", "erase"):
        raise _unreadable("correction is neither 'rectify' nor 'erase'")
    if kind == "rectify" and (not isinstance(fields, dict) or not fields):
        raise _unreadable("a rectification carries the corrected fields")
    if not isinstance(reason, str):
        raise _unreadable("reason is not a text")
    return corrects, fields if kind == "rectify" else None, reason


def receive_correction(session: Session, settings: Settings, message: Incoming,
                       readers: Readers | None = None) -> None:
    """The originator corrects or erases a message it sent here: applied to the copy held
    (only the originator's own message, only fields its purpose allows, only when the
    corrected message still reads as its type: `readers`), and logged."""
    corrects, fields, reason = _read(message.payload)
    sender = message.envelope.from_party
    row = repo.received(session, corrects, lock=True)
    held = row is not None and row.from_party == sender
    if row is not None and held:
        if fields is not None:
            agreement = exchange_repo.agreement(session, row.agreement_ref)
            allowed = agreement.allowed_fields(row.purpose) if agreement else frozenset()
            if not set(fields) <= allowed:
                raise _unreadable("a corrected field is not one of the message's purpose")
            read = (readers or {}).get(row.action)
            if read is not None:
                read({**row.payload, **fields})
        if fields is None or not repo.is_erased(session, corrects):
            apply(session, row, fields, message.received_at, cause="correction")
    repo.log(session, message.received_at, Access(
        actor=f"partner:{sender}", action="erase" if fields is None else "rectify",
        message_id=corrects, purpose=DATA_PROTECTION, record="exchange_inbox",
        detail={"correction": message.envelope.message_id, "held": held,
                "fields": sorted(fields or {}), "reason": reason[:500]}))
