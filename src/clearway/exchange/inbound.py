"""What a received message becomes besides its inbox row: a handler per message type.

The exchange knows no business domain: the composition root (`composition.message_handlers`)
hands `service.receive` one handler per message type ("anticipated-arrival" to pre-arrival,
"mutual-assistance-request" to mutual assistance...). A handler runs inside the receiving
unit of work, after the signature and the agreement's checks: what it stores commits with the
inbox row and the receipt, and a handler that raises ExchangeRefused (a payload it cannot
read) leaves nothing stored, so the sender learns at once. A type without a handler is kept
in the inbox only (a "ping").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from clearway.config import Settings
from clearway.exchange.model import Envelope


@dataclass(frozen=True)
class Incoming:
    """One verified message as a handler sees it."""

    envelope: Envelope
    payload: dict[str, Any]
    received_at: datetime


class Handler(Protocol):
    def __call__(self, session: Session, settings: Settings, message: Incoming) -> None: ...


Handlers = Mapping[str, Handler]
