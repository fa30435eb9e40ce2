"""Control 7 between two installations: a data subject's access export finds the person on
both sides under an old and a new pseudonym key (and a company by EORI), and never stores
the name; a rectification or erasure is applied here and sent as a correction to every
administration the data went to, which applies it to its copy and logs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from clearway.errors import ClearwayError
from clearway.exchange.delivery import deliver_once
from clearway.privacy import rights, service
from conftest import NOW
from exchange_world import Pair, open_pair
from privacy_world import (
    ANALYST,
    DPO,
    add_arrival,
    arrival_copy,
    inbox_row,
    keys_file,
    send_about,
)


@pytest.fixture
def pair(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Pair]:
    yield from open_pair(db_url, tmp_path, sqlite_template, NOW,
                         pseudonym_keys_file=keys_file(tmp_path))


def test_subject_access_finds_a_person_under_the_old_and_the_new_key(pair: Pair) -> None:
    before = send_about(pair, "Petar Petrović", NOW.date())          # key k2026
    pair.clock.advance(seconds=int(timedelta(days=12).total_seconds()))
    after = send_about(pair, "Petar Petrović", pair.clock.now().date())  # key k2027
    other = send_about(pair, "Ana Jovanović", pair.clock.now().date())
    company = pair.send(payload={"consignee": {"eori": "RS123456789", "country": "RS"},
                                 "note": "a company"})
    deliver_once(pair.rs.ctx)
    assert inbox_row(pair, before).payload["consignee"]["pseudonym"].startswith("ps1:k2026:")
    assert inbox_row(pair, after).payload["consignee"]["pseudonym"].startswith("ps1:k2027:")

    # MK's officer writes the name its own way (Cyrillic, surname first).
    found = rights.subject_access(pair.mk.ctx, DPO, name="Петровић Петар", country="RS")
    sent = rights.subject_access(pair.rs.ctx, DPO, name="petar petrovic", country="RS",
                                 eori="RS123456789")

    assert {m["message_id"] for m in found["messages"]} == {before, after}
    assert other not in {m["message_id"] for m in found["messages"]}
    first = next(m for m in found["messages"] if m["message_id"] == before)
    assert (first["direction"], first["partner"], first["purpose"], first["agreement"]) == (
        "received", "RS", "risk-analysis", "RS-MK-2026")
    assert first["legal_article"].endswith("Art. 5") and first["where"] == [
        "/consignee/pseudonym"]
    assert {m["message_id"] for m in sent["messages"]} == {before, after, company}
    assert all(m["direction"] == "sent" and m["partner"] == "MK" for m in sent["messages"])
    (entry,) = service.access_log(pair.mk.ctx, action="export")
    assert entry["actor"] == "data_protection_officer:dpo" and entry["detail"]["found"] == 2
    assert "Petar" not in json.dumps(entry, default=str)  # the log is no list of who asked


def test_a_rectification_reaches_every_recipient_and_the_partner_applies_it(
        pair: Pair) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date(), note="wrong town")
    add_arrival(pair, message_id, {"note": "wrong town", "mrn": "26RS000000000001X1"})

    (correction,) = rights.rectify(pair.rs.ctx, DPO, message_id, {"note": "right town"},
                                   "the subject showed the error")
    assert pair.rs.outbox(status="pending") == 1
    assert deliver_once(pair.rs.ctx).delivered == 1

    row = inbox_row(pair, message_id)
    assert row.payload["note"] == "right town" and row.token == "" and row.digest
    assert row.payload["consignee"]["country"] == "RS"  # other fields kept
    assert arrival_copy(pair, message_id)[0] == {"note": "right town",
                                                  "mrn": "26RS000000000001X1"}
    (logged,) = service.access_log(pair.mk.ctx, action="rectify")
    assert logged["actor"] == "partner:RS" and logged["detail"]["correction"] == correction
    assert logged["detail"]["held"] is True and logged["detail"]["fields"] == ["note"]
    (mine,) = service.access_log(pair.rs.ctx, action="rectify")
    assert mine["recipient"] == "MK" and mine["detail"]["corrections"] == [correction]


def test_an_erasure_received_and_passed_on_reaches_the_originator_too(pair: Pair) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    mk = pair.mk.ctx
    service.record_consent(mk, DPO, message_id, granted_by="RS", reference="RS letter 3",
                           recipient="police:MK-MVR")
    service.request_use(mk, ANALYST, message_id, recipient="police:MK-MVR", reason="case")

    sent = rights.erase(mk, DPO, message_id, "the subject asked")

    assert len(sent) == 1 and pair.mk.outbox(to_party="RS", action="correction") == 1
    assert inbox_row(pair, message_id).payload == {}
    (entry,) = service.access_log(mk, action="erase")
    assert entry["recipient"] == "RS"  # police:MK-MVR is not an administration to message


def test_the_originators_erasure_empties_the_partners_copy(pair: Pair) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    rights.erase(pair.rs.ctx, DPO, message_id, "the subject asked")
    assert deliver_once(pair.rs.ctx).delivered == 1
    assert inbox_row(pair, message_id).payload == {}
    (logged,) = service.access_log(pair.mk.ctx, action="erase")
    assert logged["actor"] == "partner:RS"


@pytest.mark.parametrize(("fields", "reason", "code"), [
    ({"date_of_birth": "1980-01-01"}, "why", "CW-PRIV-FIELD"),   # not a field of the purpose
    ({}, "why", "CW-PRIV-INVALID"),
    ({"note": "x"}, " ", "CW-REASON-REQUIRED"),
])
def test_a_rectification_the_agreement_does_not_allow_sends_nothing(
        pair: Pair, fields: dict[str, str], reason: str, code: str) -> None:
    message_id = send_about(pair, "Petar Petrović", NOW.date())
    with pytest.raises(ClearwayError) as refused:
        rights.rectify(pair.rs.ctx, DPO, message_id, fields, reason)
    assert refused.value.code == code
    assert pair.rs.outbox(action="correction") == 0


def test_an_unknown_message_cannot_be_corrected(pair: Pair) -> None:
    with pytest.raises(ClearwayError, match="CW-PRIV-NOT-FOUND"):
        rights.erase(pair.rs.ctx, DPO, "no-such-message", "why")
