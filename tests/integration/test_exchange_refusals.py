"""Every refusal of MK's inbox over real HTTP, each with its code and status and nothing
stored: no inbox row, no receipt, no audit entry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clearway.exchange import service, signing
from conftest import NOW
from exchange_world import INBOX, Pair, envelope, open_pair

NOTHING = {"inbox": 0, "receipts": 0, "received": 0}
OLD_AGREEMENT = """
- id: RS-MK-2020
  parties: [RS, MK]
  legal_basis: "Protocol of 2020, Art. 3"
  valid_from: 2020-01-01
  valid_to: 2021-12-31
  message_types: [ping]
  purposes:
    risk-analysis: [note]
  retention_days: 30
  onward_transfer: forbidden
- id: RS-AL-2026
  parties: [RS, AL]
  legal_basis: "Agreement RS-AL, Art. 2"
  valid_from: 2026-01-01
  message_types: [ping]
  purposes:
    risk-analysis: [note]
  retention_days: 30
  onward_transfer: forbidden
"""


@pytest.fixture
def pair(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Pair]:
    yield from open_pair(db_url, tmp_path, sqlite_template, NOW)


def post(pair: Pair, body: str | bytes) -> httpx.Response:
    return httpx.post(pair.mk.url + INBOX, content=body,
                      headers={"Content-Type": "application/jose"})


def signed(pair: Pair, key: Any = None, payload: dict[str, Any] | None = None,
           sent_at: datetime | None = None, **changes: Any) -> str:
    return signing.sign(envelope(pair.clock.now(), **changes),
                        {"note": "hello"} if payload is None else payload,
                        key or pair.rs.key, sent_at=sent_at or pair.clock.now())


def refused(answer: httpx.Response, code: str, status: int) -> None:
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text


@pytest.mark.parametrize(("changes", "code", "status"), [
    ({"from_party": "AL"}, "CW-EXCH-UNKNOWN-PARTNER", 403),
    ({"to_party": "AL"}, "CW-EXCH-NOT-FOR-US", 403),
    ({"sent_at": NOW - timedelta(minutes=6)}, "CW-EXCH-STALE", 403),
    ({"sent_at": NOW + timedelta(minutes=6)}, "CW-EXCH-STALE", 403),
    ({"agreement_ref": "NO-SUCH"}, "CW-EXCH-AGREEMENT-MISSING", 403),
    ({"agreement_ref": "RS-AL-2026"}, "CW-EXCH-AGREEMENT-MISSING", 403),
    ({"agreement_ref": "RS-MK-2020"}, "CW-EXCH-AGREEMENT-EXPIRED", 403),
    ({"action": "seizure-notice"}, "CW-EXCH-TYPE", 403),
    ({"purpose": "marketing"}, "CW-EXCH-PURPOSE", 403),
    ({"payload": {"note": "hi", "holder_name": "A. Person"}}, "CW-EXCH-FIELD", 403),
])
def test_a_message_outside_the_register_or_the_agreement_is_refused(
        pair: Pair, changes: dict[str, Any], code: str, status: int) -> None:
    service.import_agreements(pair.mk.ctx, OLD_AGREEMENT, "administrator:test")
    refused(post(pair, signed(pair, **changes)), code, status)
    assert pair.mk.stored() == NOTHING


def test_a_field_refusal_names_the_field(pair: Pair) -> None:
    answer = post(pair, signed(pair, payload={"note": "hi", "holder_name": "A. Person"}))
    assert "holder_name" in answer.json()["message"]


def test_a_suspended_partner_is_refused(pair: Pair) -> None:
    service.add_partner(pair.mk.ctx, "RS", "Customs RS", pair.rs.inbox_url,
                        signing.public_pem(pair.rs.key), "administrator:test",
                        status="suspended")
    refused(post(pair, signed(pair)), "CW-EXCH-UNKNOWN-PARTNER", 403)
    assert pair.mk.stored() == NOTHING


def test_a_message_signed_with_another_key_is_refused(pair: Pair) -> None:
    refused(post(pair, signed(pair, key=Ed25519PrivateKey.generate())),
            "CW-EXCH-SIGNATURE", 401)
    assert pair.mk.stored() == NOTHING


def test_an_altered_message_is_refused(pair: Pair) -> None:
    header, _body, signature = signed(pair).split(".")
    other = signed(pair, payload={"note": "changed on the way"}).split(".")[1]
    refused(post(pair, f"{header}.{other}.{signature}"), "CW-EXCH-SIGNATURE", 401)
    assert pair.mk.stored() == NOTHING


@pytest.mark.parametrize("body", [b"not a token", b"a.b.c", "é".encode(), b"{}"])
def test_junk_is_refused(pair: Pair, body: bytes) -> None:
    refused(post(pair, body), "CW-EXCH-ENVELOPE", 422)
    assert pair.mk.stored() == NOTHING


def test_another_token_under_a_used_message_id_is_a_replay(pair: Pair) -> None:
    first = envelope(pair.clock.now())
    assert post(pair, signing.sign(first, {"note": "one"}, pair.rs.key,
                                   sent_at=pair.clock.now())).status_code == 200
    again = signing.sign(first, {"note": "two"}, pair.rs.key, sent_at=pair.clock.now())
    refused(post(pair, again), "CW-EXCH-REPLAY", 409)
    assert pair.mk.stored() == {"inbox": 1, "receipts": 1, "received": 1}


def test_the_inbox_needs_no_token_but_caps_the_body(pair: Pair) -> None:
    refused(post(pair, b"x" * (2 * 1024 * 1024 + 1)), "CW-SYN-SIZE", 413)
    assert pair.mk.stored() == NOTHING


def test_staff_routes_need_a_token(pair: Pair) -> None:
    assert httpx.get(pair.mk.url + "/api/v1/exchange/partners").status_code == 401
