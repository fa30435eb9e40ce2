"""A hostile partner, or anyone who can reach the inbox: junk JSON, junk text, impossible
times, counts too large to store, messages larger than the JWS library's default, and a
correction that smuggles a name into an anticipated arrival. Each is refused with a code
(never a 500) and leaves nothing behind."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from joserfc import jws
from sqlalchemy import func, select

from clearway.app import create_app
from clearway.audit.signing import key_id
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.exchange import service as exchange
from clearway.exchange import signing
from clearway.storage.orm_exchange import InboxRow
from clearway.storage.orm_prearrival import ArrivalRow
from conftest import NOW
from exchange_world import AGREEMENT_FILE, envelope
from helpers import make_token

INBOX = "/api/v1/exchange/inbox"
KEY = Ed25519PrivateKey.generate()
MRN = "26MK0000000000012A"


@pytest.fixture
def api(ctx: Context) -> Iterator[TestClient]:
    prepare(ctx)
    exchange.add_partner(ctx, "MK", "Customs MK", "https://mk.example/api/v1/exchange/inbox",
                         signing.public_pem(KEY), "administrator:t")
    exchange.import_agreements(ctx, AGREEMENT_FILE.read_text(encoding="utf-8"),
                               "administrator:t")
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client


def _envelope(action: str, purpose: str) -> dict[str, Any]:
    return envelope(NOW, from_party="MK", to_party="RS", action=action, payload_type=action,
                    purpose=purpose).as_dict()


def _signed_text(body: str) -> str:
    """A compact JWS signed with MK's registered key over `body` exactly as given (JSON the
    sender's own encoder would never write)."""
    header = {"alg": signing.ALG, "kid": key_id(KEY.public_key()),
              "typ": signing.MESSAGE_TYPE}
    return jws.serialize_compact(header, body.encode(), signing._jwk(KEY),
                                 registry=signing._REGISTRY)


def _body(payload_text: str, action: str = "ping", purpose: str = "risk-analysis") -> str:
    return (f'{{"envelope":{json.dumps(_envelope(action, purpose))},'
            f'"payload":{payload_text},"sent_at":"{NOW.isoformat()}"}}')


def _post(client: TestClient, token: str) -> Any:
    return client.post(INBOX, content=token, headers={"Content-Type": "application/jose"})


def _send(client: TestClient, action: str, purpose: str, payload: dict[str, Any]) -> Any:
    env = envelope(NOW, from_party="MK", to_party="RS", action=action, payload_type=action,
                   purpose=purpose)
    return _post(client, signing.sign(env, payload, KEY, sent_at=NOW))


def _stored(ctx: Context) -> int:
    with ctx.uow(read_only=True) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(InboxRow)) or 0)


def _arrival(**changes: Any) -> dict[str, Any]:
    return {"mrn": MRN, "exit_at": (NOW - timedelta(minutes=30)).isoformat(),
            "office_of_exit": "MK002001", "office_of_entry": "RS004002", **changes}


def _unsigned(body: str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    header = b64(b'{"alg":"Ed25519"}')
    return f"{header}.{b64(body.encode())}.AAAA"


@pytest.mark.parametrize("token", [
    pytest.param(lambda: _unsigned("[" * 90_000), id="unsigned-deep-nesting"),
    pytest.param(lambda: _unsigned('{"envelope":' + "[" * 50_000 + "]" * 50_000 + "}"),
                 id="unsigned-deep-envelope"),
    pytest.param(lambda: _signed_text(_body('{"note":' + "[" * 20_000 + "]" * 20_000 + "}")),
                 id="signed-deep-nesting"),
    pytest.param(lambda: _signed_text(_body('{"note":NaN}')), id="NaN"),
    pytest.param(lambda: _signed_text(_body('{"note":-Infinity}')), id="Infinity"),
    pytest.param(lambda: _signed_text(_body('{"note":1e400}')), id="1e400"),
    pytest.param(lambda: _signed_text(_body('{"note":' + "9" * 5000 + "}")), id="huge-int"),
])
def test_json_that_is_not_json_is_refused_not_a_500(api: TestClient, ctx: Context,
                                                    token: Any) -> None:
    answer = _post(api, token())
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "CW-EXCH-ENVELOPE"
    assert _stored(ctx) == 0


@pytest.mark.parametrize(("payload", "where"), [
    ('{"note":"a\\u0000b"}', "/note"),
    ('{"note":"a\\ud800b"}', "/note"),
    ('{"note":{"k\\u0000":"v"}}', "/note"),
])
def test_text_no_column_can_hold_is_refused_as_payload(api: TestClient, ctx: Context,
                                                       payload: str, where: str) -> None:
    answer = _post(api, _signed_text(_body(payload)))
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "CW-EXCH-PAYLOAD"
    assert where in answer.json()["message"]
    assert _stored(ctx) == 0


def test_a_nul_in_the_envelope_is_refused(api: TestClient, ctx: Context) -> None:
    env = {**_envelope("ping", "risk-analysis"), "message_id": "a\x00b"}
    body = json.dumps({"envelope": env, "payload": {}, "sent_at": NOW.isoformat()})
    answer = _post(api, _signed_text(body))
    assert answer.status_code == 422 and answer.json()["code"] == "CW-EXCH-ENVELOPE"
    assert _stored(ctx) == 0


@pytest.mark.parametrize(("action", "purpose", "payload"), [
    ("anticipated-arrival", "risk-analysis", _arrival(exit_at="9999-12-31T23:59:59+00:00")),
    ("anticipated-arrival", "risk-analysis", _arrival(exit_at="0001-01-01T00:00:00+23:00")),
    ("exit-confirmation", "transit-control",
     {"mrn": MRN, "arrived_at": "9999-12-31T23:00:00-23:00", "office_of_entry": "RS004002",
      "result": "arrived"}),
    ("mutual-assistance-request", "mutual-assistance",
     {"request_type": "information", "question": "q", "legal_basis": "Art. 5",
      "deadline": "0001-01-01T00:00:00+23:00"}),
    ("mirror-aggregates", "statistics",
     {"period": "2026-10", "rows": [{"hs6": "851010", "value_eur": 1.0, "mass_kg": 1.0,
                                     "count": 2**70}]}),
], ids=["exit-year-9999", "exit-before-year-1", "arrived-year-9999", "deadline-year-1",
        "count-2**70"])
def test_values_that_cannot_be_stored_are_refused_as_payload(
        api: TestClient, ctx: Context, action: str, purpose: str,
        payload: dict[str, Any]) -> None:
    answer = _send(api, action, purpose, payload)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "CW-EXCH-PAYLOAD"
    assert _stored(ctx) == 0


def test_a_message_larger_than_the_jws_librarys_default_is_received(
        api: TestClient, ctx: Context) -> None:
    """joserfc refuses payloads over 128,000 bytes unless told otherwise; a request with a
    500 KiB attachment (within assistance's 512 KiB) must still arrive."""
    answer = _send(api, "ping", "risk-analysis", {"note": "x" * 500 * 1024})
    assert answer.status_code == 200, answer.text
    assert _stored(ctx) == 1


def test_a_correction_cannot_put_a_name_into_an_anticipated_arrival(
        api: TestClient, ctx: Context) -> None:
    announced = _send(api, "anticipated-arrival", "risk-analysis",
                      _arrival(consignee={"eori": "MK1234567"}))
    assert announced.status_code == 200, announced.text
    with ctx.uow(read_only=True) as uow:
        message_id = uow.session.scalar(select(ArrivalRow.message_id))
    for fields in ({"consignee": {"name": "Marko Markovski", "country": "MK"}},
                   {"exit_at": "not a time"}, {"mrn": 5}):
        answer = _send(api, "correction", "data-protection", {
            "corrects": message_id, "correction": "rectify", "fields": fields,
            "reason": "rectification"})
        assert answer.status_code == 422, answer.text
        assert answer.json()["code"] == "CW-EXCH-PAYLOAD"
    with ctx.uow(read_only=True) as uow:
        row = uow.session.scalars(select(ArrivalRow)).one()
        assert row.payload["consignee"] == {"eori": "MK1234567"}
        inbox = uow.session.scalars(select(InboxRow).where(
            InboxRow.message_id == message_id)).one()
        assert "Markovski" not in json.dumps(inbox.payload)
    officer = {"Authorization": f"Bearer {make_token(ctx, 'o', 'officer')}"}
    shown = api.get(f"/api/v1/arrivals/{row.id}", headers=officer)
    assert shown.status_code == 200 and "Markovski" not in shown.text
    # A correct rectification still applies.
    fixed = _send(api, "correction", "data-protection", {
        "corrects": message_id, "correction": "rectify",
        "fields": {"consignee": {"eori": "MK7654321"}}, "reason": "typo"})
    assert fixed.status_code == 200, fixed.text
