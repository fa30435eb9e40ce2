"""The exit side of pre-arrival, two installations over real HTTP on loopback: an export
released through RS's border office RS004002 becomes an anticipated arrival in RS's outbox in
the releasing transaction (and rolls back with it), reaches MK's inbox with the person named
only by a keyed pseudonym; MK's exit confirmation closes RS's exit record; one never confirmed
by its deadline becomes an EXIT_UNCONFIRMED alarm. A non-border export sends nothing."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import func, select

from clearway.clearance import lodging, moves
from clearway.composition import bind_audit
from clearway.declarations import repository as decl_repo
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.queries import event_view
from clearway.exchange import service, signing
from clearway.exchange.delivery import deliver_once
from clearway.exchange.outbox import send_in
from clearway.identity import User
from clearway.prearrival import exits
from clearway.prearrival.model import AlarmKind
from clearway.prearrival.payload import (
    ACTION,
    ACTION_CONFIRMATION,
    PURPOSE_CONFIRMATION,
    AnticipatedArrival,
    ExitConfirmation,
)
from clearway.storage.orm import AuditRow, DeclarationRow, EventRow
from clearway.storage.orm_exchange import InboxRow, OutboxRow
from clearway.storage.orm_prearrival import AlarmRow, ExitRecordRow
from conftest import NOW
from controls_world import staff
from exchange_world import AGREEMENT, Installation, Pair, open_pair
from helpers import TRADER, import_doc, make_token

PERSON = "Marko Marković"
KEYS = [{"agreement": AGREEMENT, "id": "k2026", "valid_from": date(2026, 1, 1),
         "secret": base64.b64encode(b"k" * 32).decode()}]


@pytest.fixture
def pair(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Pair]:
    keys = tmp_path / "pseudonym-keys.yaml"
    keys.write_text(yaml.safe_dump(KEYS), encoding="utf-8")
    yield from open_pair(db_url, tmp_path, sqlite_template, NOW, random_share=0.0,
                         pseudonym_keys_file=str(keys))


def _export(lrn: str, exit_office: str | None, **changes: Any) -> dict[str, Any]:
    doc = import_doc(lrn=lrn, declaration_type="EX", additional_type="A",
                     exporter={"id": TRADER}, importer=None,
                     consignee={"name": PERSON, "address": {"city": "Skopje",
                                                            "country": "MK"}},
                     offices={"lodgement": "RS004002", "exit": exit_office},
                     transport={"mode_at_border": "3", "border_nationality": "RS",
                                "border_identity": "NS123AB",
                                "container_ids": ["MSCU1234566"], "seals": ["RS-778899"]},
                     dispatch_country="RS", destination_country="MK", **changes)
    for item in doc["items"]:
        item["procedure"] = {"requested": "10", "previous": "00"}
    return doc


def _lodge(side: Installation, trader: User, doc: dict[str, Any], *,
           auto_release: bool) -> DeclarationRow:
    ctx = side.ctx
    ctx.settings = ctx.settings.model_copy(update={"auto_release": auto_release})
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json", trader)
    assert out.kind == "created", out.errors
    assert out.row is not None
    return out.row


def _count(side: Installation, row: Any, **where: Any) -> int:
    return side.count(row, **where)


def _records(side: Installation) -> list[ExitRecordRow]:
    with side.ctx.uow(read_only=True) as uow:
        return list(uow.session.scalars(select(ExitRecordRow).order_by(ExitRecordRow.id)))


def _confirm(pair: Pair, mrn: str, result: str = "arrived") -> None:
    mk = pair.mk.ctx
    confirmation = ExitConfirmation(mrn=mrn, arrived_at=mk.clock.now(),
                                    office_of_entry="MK002001", result=result,  # type: ignore[arg-type]
                                    alarms=("seals-different",) if result != "arrived" else ())
    with mk.uow() as uow:
        send_in(uow.session, mk.settings, pair.mk.key, to="RS", action=ACTION_CONFIRMATION,
                purpose=PURPOSE_CONFIRMATION, agreement_id=AGREEMENT,
                payload=confirmation.as_payload(), now=mk.clock.now())
        uow.commit()


def test_a_border_export_is_announced_when_released_and_reaches_the_partner(
        pair: Pair) -> None:
    trader = staff(pair.rs.ctx, "trader", "trader", TRADER)
    row = _lodge(pair.rs, trader, _export("EX-1", "RS004002"), auto_release=True)

    (record,) = _records(pair.rs)
    assert (record.mrn, record.partner, record.status) == (row.mrn, "MK", "announced")
    assert (record.office_of_exit, record.office_of_entry) == ("RS004002", "MK002001")
    assert record.deadline_at == record.exit_at + timedelta(hours=24)
    assert pair.rs.outbox(action=ACTION, to_party="MK", status="pending") == 1
    assert _count(pair.rs, AuditRow, action="exit.announced") == 1

    assert deliver_once(pair.rs.ctx).delivered == 1
    with pair.mk.ctx.uow(read_only=True) as uow:
        (inbox,) = uow.session.scalars(select(InboxRow).where(InboxRow.action == ACTION))
    arrival = AnticipatedArrival.from_payload(inbox.payload)
    assert (arrival.mrn, arrival.office_of_entry) == (row.mrn, "MK002001")
    assert arrival.transport is not None and arrival.transport.seals == ("RS-778899",)
    assert arrival.consignee is not None and arrival.consignee.pseudonym
    assert "Markovi" not in json.dumps(inbox.payload) and "Marko" not in inbox.token


def test_the_announcement_rolls_back_with_the_release(pair: Pair) -> None:
    rs = pair.rs.ctx
    trader = staff(rs, "trader", "trader", TRADER)
    lodged = _lodge(pair.rs, trader, _export("EX-2", "RS004002"), auto_release=False)
    assert lodged.mrn is not None and _records(pair.rs) == []
    for commit in (False, True):
        with rs.uow() as uow:
            row = decl_repo.get(uow.session, lodged.mrn, for_update=True)
            assert row is not None
            moves.move(uow.session, row, S.RELEASED, now=rs.clock.now(), actor="officer:1")
            inside = uow.session.scalar(select(func.count()).select_from(OutboxRow))
            assert inside == 1  # written by the release, in its own transaction
            if commit:
                uow.commit()
        assert pair.rs.outbox() == int(commit) and len(_records(pair.rs)) == int(commit)


@pytest.mark.parametrize("exit_office", [None, "RS001002"])
def test_an_export_not_leaving_at_a_covered_crossing_sends_nothing(
        pair: Pair, exit_office: str | None) -> None:
    trader = staff(pair.rs.ctx, "trader", "trader", TRADER)
    row = _lodge(pair.rs, trader, _export("EX-3", exit_office), auto_release=True)
    with pair.rs.ctx.uow(read_only=True) as uow:
        assert uow.session.get(DeclarationRow, row.id).status == S.RELEASED  # type: ignore[union-attr]
    assert pair.rs.outbox() == 0 and _records(pair.rs) == []


@pytest.mark.parametrize("result", ["arrived", "arrived-with-discrepancies"])
def test_the_partners_confirmation_closes_the_export(pair: Pair, result: str) -> None:
    trader = staff(pair.rs.ctx, "trader", "trader", TRADER)
    row = _lodge(pair.rs, trader, _export("EX-4", "RS004002"), auto_release=True)
    assert row.mrn is not None
    deliver_once(pair.rs.ctx)
    pair.clock.advance(hours=3)
    _confirm(pair, row.mrn, result)

    assert deliver_once(pair.mk.ctx).delivered == 1

    (record,) = _records(pair.rs)
    assert record.status == "confirmed" and record.confirmed_at == pair.clock.now()
    assert record.confirmation is not None and record.confirmation["result"] == result
    assert _count(pair.rs, AuditRow, action="exit.confirmed") == 1
    assert _count(pair.rs, EventRow, declaration_id=row.id, kind="exit_confirmed") == 1
    with pair.rs.ctx.uow(read_only=True) as uow:
        (event,) = uow.session.scalars(select(EventRow).where(
            EventRow.declaration_id == row.id, EventRow.kind == "exit_confirmed"))
    # The trader learns the exit result, never the alarm kinds the partner raised.
    seen = event_view(event, for_trader=True)["detail"]
    assert seen == {"result": result, "arrived_at": seen["arrived_at"],
                    "office_of_entry": "MK002001"}
    assert datetime.fromisoformat(seen["arrived_at"]) == pair.clock.now()
    pair.clock.advance(hours=30)
    assert exits.sweep_unconfirmed(pair.rs.ctx) == 0  # confirmed: never an alarm


def test_a_confirmation_of_an_export_never_announced_is_refused(pair: Pair) -> None:
    _confirm(pair, "26RS0000000009999")

    report = deliver_once(pair.mk.ctx)

    assert (report.delivered, report.failed) == (0, 1)
    with pair.mk.ctx.uow(read_only=True) as uow:
        (sent,) = uow.session.scalars(select(OutboxRow))
    assert "CW-PRE-UNKNOWN-EXPORT" in (sent.last_error or "")
    assert _count(pair.rs, InboxRow) == 0 and _count(pair.rs, AuditRow,
                                                       action="exit.confirmed") == 0


def test_an_export_never_confirmed_becomes_an_alarm(pair: Pair) -> None:
    trader = staff(pair.rs.ctx, "trader", "trader", TRADER)
    row = _lodge(pair.rs, trader, _export("EX-5", "RS004002"), auto_release=True)
    pair.clock.advance(hours=23)
    assert exits.sweep_unconfirmed(pair.rs.ctx) == 0  # the deadline has not passed

    pair.clock.advance(hours=2)
    assert exits.sweep_unconfirmed(pair.rs.ctx) == 1
    assert exits.sweep_unconfirmed(pair.rs.ctx) == 0  # raised once

    (record,) = _records(pair.rs)
    assert record.status == "unconfirmed"
    with pair.rs.ctx.uow(read_only=True) as uow:
        (alarm,) = uow.session.scalars(select(AlarmRow))
    assert (alarm.kind, alarm.partner, alarm.mrn) == (AlarmKind.EXIT_UNCONFIRMED, "MK", row.mrn)
    assert (alarm.declaration_id, alarm.exit_record_id) == (row.id, record.id)
    assert alarm.evidence["office_of_entry"] == "MK002001" and alarm.status == "open"


def test_a_suspended_partner_does_not_hold_the_goods_back(pair: Pair) -> None:
    rs = pair.rs.ctx
    service.add_partner(rs, "MK", "Customs MK", pair.mk.inbox_url,
                        signing.public_pem(pair.mk.key), "administrator:test",
                        status="suspended")
    trader = staff(rs, "trader", "trader", TRADER)
    row = _lodge(pair.rs, trader, _export("EX-6", "RS004002"), auto_release=True)
    with rs.uow(read_only=True) as uow:
        assert uow.session.get(DeclarationRow, row.id).status == S.RELEASED  # type: ignore[union-attr]
        (entry,) = uow.session.scalars(select(AuditRow).where(
            AuditRow.action == "exit.not-announced"))
    assert entry.detail == {"partner": "MK", "code": "CW-EXCH-UNKNOWN-PARTNER"}
    assert pair.rs.outbox() == 0 and _records(pair.rs) == []


def test_unreadable_pseudonym_keys_leave_the_persons_out_not_the_export(
        pair: Pair, tmp_path: Path) -> None:
    rs = pair.rs.ctx
    broken = tmp_path / "keys.yaml"
    broken.write_text("- agreement: RS-MK-2026\n  id: k1\n  secret: not-base64!\n")
    rs.settings = rs.settings.model_copy(update={"pseudonym_keys_file": str(broken)})
    bind_audit(rs)  # the release reads the settings its session is bound to
    trader = staff(rs, "trader", "trader", TRADER)
    row = _lodge(pair.rs, trader, _export("EX-7", "RS004002"), auto_release=True)

    assert deliver_once(rs).delivered == 1
    with pair.mk.ctx.uow(read_only=True) as uow:
        (received,) = uow.session.scalars(select(InboxRow))
        assert "consignee" not in received.payload and PERSON not in str(received.payload)
    with rs.uow(read_only=True) as uow:
        (entry,) = uow.session.scalars(select(AuditRow).where(
            AuditRow.action == "exit.announced"))
    assert entry.object_id == row.mrn and entry.detail["persons_left_out"] == "CW-PRIV-KEYS"


@pytest.mark.parametrize(("role", "query", "answer"), [
    ("officer", "", 200), ("risk_analyst", "?status=announced", 200),
    ("supervisor", "?status=confirmed", 200), ("trader", "", 403),
    ("officer", "?status=lost", 422),
])
def test_staff_read_the_exit_records(pair: Pair, role: str, query: str, answer: int) -> None:
    rs = pair.rs.ctx
    trader = staff(rs, "trader", "trader", TRADER)
    row = _lodge(pair.rs, trader, _export("EX-7", "RS004002"), auto_release=True)
    token = make_token(rs, "reader", role, TRADER if role == "trader" else None)
    found = httpx.get(f"{pair.rs.url}/api/v1/arrivals/exits{query}",
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert found.status_code == answer, found.text
    if answer == 200:
        expected = [row.mrn] if query in ("", "?status=announced") else []
        assert [e["mrn"] for e in found.json()] == expected
