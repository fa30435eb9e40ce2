"""Control 6 between two installations: received data past the agreement's retention period
is erased by the sweep (the audit chain keeps that it happened, not the data), a late retry
of an erased message still gets its receipt (not a replay refusal), and an extension needs
a reason and is counted."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from clearway.errors import ClearwayError
from clearway.ops.sweeps import run_sweeps
from clearway.privacy import registers, service
from clearway.storage.orm import AuditRow
from conftest import NOW
from exchange_world import AGREEMENT, Pair, open_pair
from privacy_world import (
    DPO,
    add_arrival,
    arrival_copy,
    inbox_row,
    keys_file,
    post_again,
    receipt_of,
    send_about,
)

DAY = 24 * 3600


@pytest.fixture
def pair(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Pair]:
    yield from open_pair(db_url, tmp_path, sqlite_template, NOW,
                         pseudonym_keys_file=keys_file(tmp_path))


def _audit(pair: Pair, action: str) -> list[AuditRow]:
    with pair.mk.ctx.uow(read_only=True) as uow:
        rows = uow.session.execute(select(AuditRow).where(AuditRow.action == action))
        found = list(rows.scalars())
        for row in found:
            uow.session.expunge(row)
    return found


def test_the_sweep_erases_expired_data_and_audits_without_it(pair: Pair) -> None:
    old = send_about(pair, "Petar Petrović", NOW.date(), note="the old one")
    add_arrival(pair, old)
    pair.clock.advance(seconds=200 * DAY)
    young = send_about(pair, "Ana Jovanović", pair.clock.now().date(), note="the young one")
    add_arrival(pair, young)
    pair.clock.advance(seconds=165 * DAY - 1)
    assert service.sweep_retention(pair.mk.ctx) == {AGREEMENT: 0}  # a second early
    pair.clock.advance(seconds=1)

    assert service.sweep_retention(pair.mk.ctx) == {AGREEMENT: 1}

    erased, kept = inbox_row(pair, old), inbox_row(pair, young)
    assert (erased.payload, erased.token) == ({}, "") and erased.digest
    assert erased.envelope["purpose"] == "risk-analysis"  # the basis it came on stays
    assert kept.payload["note"] == "the young one" and kept.token
    assert arrival_copy(pair, old) == ({}, None)  # pre-arrival's copy too
    assert arrival_copy(pair, young)[1] == "BG123AB"
    (entry,) = _audit(pair, "privacy.retention_swept")
    assert entry.detail["erased"] == 1 and entry.detail["agreement"] == AGREEMENT
    text = json.dumps(entry.detail)
    assert "old one" not in text and "ps1:" not in text and old not in text
    assert service.sweep_retention(pair.mk.ctx) == {AGREEMENT: 0}  # once only
    (log,) = service.access_log(pair.mk.ctx, action="erase")
    assert log["actor"] == "system:retention"


def test_a_late_retry_of_an_erased_message_gets_its_receipt_not_a_replay(pair: Pair) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    receipt = receipt_of(pair, message_id)
    pair.clock.advance(seconds=366 * DAY)
    assert service.sweep_retention(pair.mk.ctx) == {AGREEMENT: 1}

    answer = post_again(pair, message_id)

    assert answer.status_code == 200, answer.text
    assert answer.text == receipt
    assert inbox_row(pair, message_id).payload == {}  # nothing came back with the retry


def test_an_extension_keeps_a_message_past_the_period_and_is_counted(pair: Pair) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    with pytest.raises(ClearwayError, match="CW-REASON-REQUIRED"):
        service.extend_retention(pair.mk.ctx, DPO, message_id, 30, "  ")
    assert service.extend_retention(pair.mk.ctx, DPO, message_id, 30, "open case 12") == 30
    assert service.extend_retention(pair.mk.ctx, DPO, message_id, 10, "court order") == 40

    pair.clock.advance(seconds=(365 + 39) * DAY)
    assert service.sweep_retention(pair.mk.ctx) == {AGREEMENT: 0}
    (row,) = registers.processing_register(pair.mk.ctx)
    assert row["extensions"] == 2 and row["received"] == 1
    assert service.retention_overview(pair.mk.ctx)["extensions"] == {AGREEMENT: 2}
    pair.clock.advance(seconds=DAY)
    assert service.sweep_retention(pair.mk.ctx) == {AGREEMENT: 1}
    with pytest.raises(ClearwayError, match="CW-PRIV-NOT-FOUND"):
        service.extend_retention(pair.mk.ctx, DPO, message_id, 5, "too late")
    assert [e.detail["days"] for e in _audit(pair, "privacy.retention_extended")] == [30, 10]


def test_the_scheduled_sweep_erases_without_an_operator(pair: Pair) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    pair.clock.advance(seconds=366 * DAY)
    stop = threading.Event()
    stop.set()  # one round, then stop
    run_sweeps(pair.mk.ctx, stop)
    assert inbox_row(pair, message_id).payload == {}
