"""A partner's monthly aggregates arriving: the handler the exchange runs inside its receiving
transaction (registered in `composition.message_handlers`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.config import Settings
from clearway.exchange.inbound import Incoming
from clearway.mirror import repository as repo
from clearway.mirror.model import MirrorAggregates


def receive_aggregates(session: Session, settings: Settings, message: Incoming) -> None:
    """Store the partner's rows for the month, replacing those of an earlier message for the
    same month; a payload that is not exactly the aggregates is refused (CW-EXCH-PAYLOAD)
    and nothing is stored. A message older than the stored one changes nothing (audited)."""
    found = MirrorAggregates.from_payload(message.payload)
    envelope = message.envelope
    applied = repo.store_partner_aggregates(
        session, envelope.from_party, found.period, envelope.message_id,
        envelope.created_at, message.received_at, list(found.rows))
    audit.append(session, at=message.received_at, actor=f"partner:{envelope.from_party}",
                 action="mirror.received", object_type="exchange_message",
                 object_id=envelope.message_id,
                 detail={"partner": envelope.from_party, "period": found.period,
                         "rows": len(found.rows), "applied": applied})
