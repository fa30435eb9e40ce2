"""Two installations (tests/exchange_world.py) sharing one pseudonym keys file, with a data
protection officer and staff on each, and messages about people sent from RS to MK."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import select

from clearway.exchange import repository as exchange_repo
from clearway.exchange import signing
from clearway.exchange.delivery import deliver_once
from clearway.identity import Role, User
from clearway.privacy import pseudonyms
from clearway.storage.orm_exchange import InboxRow, OutboxRow
from clearway.storage.orm_prearrival import ArrivalRow
from conftest import NOW
from exchange_world import AGREEMENT, INBOX, Pair

OLD_SECRET, NEW_SECRET = bytes(range(32)), bytes(range(100, 132))
KEYS = (pseudonyms.new_key_entry(AGREEMENT, "k2026", date(2026, 1, 1), OLD_SECRET)
        .replace("valid_to: null", "valid_to: 2026-12-31")
        + pseudonyms.new_key_entry(AGREEMENT, "k2027", date(2026, 12, 1), NEW_SECRET))


def keys_file(folder: Path) -> str:
    path = folder / "pseudonym-keys.yaml"
    path.write_text(KEYS)
    return str(path)


def person(role: Role, name: str = "someone") -> User:
    return User(id=1, name=name, role=role, trader_id=None)


DPO = person(Role.DPO, "dpo")
ANALYST = person(Role.SUPERVISOR, "sup")


def pseudonym_of(pair: Pair, name: str, country: str, day: date) -> str:
    ring = pseudonyms.load(pair.rs.ctx.settings.pseudonym_keys_file)
    found = pseudonyms.pseudonymise(ring, AGREEMENT, pseudonyms.normalised(name, country), day)
    assert found is not None
    return found


def send_about(pair: Pair, name: str, day: date, note: str = "about a consignee") -> str:
    """RS sends MK a message naming the consignee by pseudonym (under the key of `day`), and
    delivers it."""
    payload = {"consignee": {"pseudonym": pseudonym_of(pair, name, "RS", day),
                             "country": "RS"}, "note": note}
    message_id = pair.send(action="ping", purpose="risk-analysis", payload=payload)
    assert deliver_once(pair.rs.ctx).delivered == 1
    return message_id


def inbox_row(pair: Pair, message_id: str) -> InboxRow:
    with pair.mk.ctx.uow(read_only=True) as uow:
        row = uow.session.execute(select(InboxRow).where(
            InboxRow.message_id == message_id)).scalar_one()
        uow.session.expunge(row)
    return row


def post_again(pair: Pair, message_id: str) -> httpx.Response:
    """RS posts a message it sent once more, signed anew now (a late retry)."""
    with pair.rs.ctx.uow(read_only=True) as uow:
        token = uow.session.execute(select(OutboxRow.token).where(
            OutboxRow.message_id == message_id)).scalar_one()
    envelope, payload = signing.peek(token)
    again = signing.sign(envelope, payload, pair.rs.key, sent_at=pair.clock.now())
    return httpx.post(pair.mk.url + INBOX, content=again.encode(),
                      headers={"Content-Type": "application/jose"}, timeout=10)


def receipt_of(pair: Pair, message_id: str) -> str | None:
    with pair.mk.ctx.uow(read_only=True) as uow:
        return exchange_repo.receipt(uow.session, message_id, exchange_repo.IN)


def add_arrival(pair: Pair, message_id: str, payload: dict[str, object] | None = None) -> None:
    """Pre-arrival's copy of an announced arrival, as its receiving side keeps one."""
    with pair.mk.ctx.uow() as uow:
        uow.session.add(ArrivalRow(
            partner="RS", agreement_id=AGREEMENT, message_id=message_id,
            conversation_id=message_id, mrn="26RS000000000001X1", office_of_exit="RS004002",
            office_of_entry="MK002001", exit_at=NOW, deadline_at=NOW, vehicle="BG123AB",
            payload=payload or {"note": "copy", "transport": {"vehicle": "BG-123-AB"}},
            status="arrived", received_at=NOW))
        uow.commit()


def arrival_copy(pair: Pair, message_id: str) -> tuple[dict[str, object], str | None]:
    with pair.mk.ctx.uow(read_only=True) as uow:
        row = uow.session.execute(select(ArrivalRow).where(
            ArrivalRow.message_id == message_id)).scalar_one()
        return row.payload, row.vehicle
