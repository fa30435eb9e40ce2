"""Hostile inputs (probe)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.exchange import service as exchange
from clearway.exchange import signing
from conftest import NOW
from exchange_world import AGREEMENT_FILE, envelope
from helpers import make_token

KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def api(ctx: Context) -> Iterator[TestClient]:
    prepare(ctx)
    exchange.add_partner(ctx, "MK", "Customs MK", "https://mk.example/api/v1/exchange/inbox",
                         signing.public_pem(KEY), "administrator:t")
    exchange.import_agreements(ctx, AGREEMENT_FILE.read_text(encoding="utf-8"),
                               "administrator:t")
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client


def post(client: TestClient, action: str, purpose: str, payload: Any, **env: Any) -> Any:
    e = envelope(NOW, from_party="MK", to_party="RS", action=action, payload_type=action,
                 purpose=purpose, **env)
    token = signing.sign(e, payload, KEY, sent_at=NOW)
    return client.post("/api/v1/exchange/inbox", content=token,
                       headers={"Content-Type": "application/jose"})


CASES = [
    ("anticipated-arrival", "risk-analysis", {"mrn": 5}),
    ("anticipated-arrival", "risk-analysis", {"mrn": "x" * 100000, "exit_at": "2026-11-20T09:00:00+00:00", "office_of_exit": "MK002001", "office_of_entry": "RS004002"}),
    ("anticipated-arrival", "risk-analysis", {"mrn": "26MK0000000000012A", "exit_at": "2026-11-20T09:00:00+00:00", "office_of_exit": "MK002001", "office_of_entry": "RS004002", "goods_items": [{"hs6": "\x00", "gross_mass": 1e308}] * 1000}),
    ("anticipated-arrival", "risk-analysis", {"mrn": "26MK0000000000012A", "exit_at": "2026-11-20T09:00:00+00:00", "office_of_exit": "MK002001", "office_of_entry": "RS004002", "transport": {"vehicle": "\x00" * 10, "containers": [[[]]], "seals": "abc"}}),
    ("anticipated-arrival", "risk-analysis", {"mrn": "26MK0000000000012A", "exit_at": "9999-12-31T23:59:59+00:00", "office_of_exit": "MK002001", "office_of_entry": "RS004002"}),
    ("anticipated-arrival", "risk-analysis", {"mrn": "26MK0000000000012A", "exit_at": "2026-11-20T09:00:00", "office_of_exit": "MK002001", "office_of_entry": "RS004002", "totals": {"gross_mass": 2**70}}),
    ("anticipated-arrival", "risk-analysis", {"mrn": "26MK0000000000012A", "exit_at": "2026-11-20T09:00:00+00:00", "office_of_exit": "MK002001", "office_of_entry": "RS004002", "consignee": {"name": "John Smith", "country": "MK"}, "exporter": {"name": "Jane Doe"}}),
    ("anticipated-arrival", "risk-analysis", {"mrn": "26MK0000000000012A", "exit_at": "2026-11-20T09:00:00+00:00", "office_of_exit": "MK002001", "office_of_entry": "RS004002", "note": "John Smith"}),
    ("exit-confirmation", "transit-control", {"mrn": [1]}),
    ("exit-confirmation", "transit-control", {"mrn": "26RS0000000000012A", "arrived_at": "x", "result": "arrived", "alarms": "z"}),
    ("mirror-aggregates", "statistics", {"period": "2026-11", "rows": [{"hs6": "851010", "value_eur": 1e308, "mass_kg": 1e308, "count": 2**70}]}),
    ("mirror-aggregates", "statistics", {"period": "2026-13", "rows": []}),
    ("mirror-aggregates", "statistics", {"period": "9999-12", "rows": [{"hs6": "\x00\x00\x00\x00\x00\x00", "value_eur": True, "mass_kg": 1, "count": 1}]}),
    ("mirror-aggregates", "statistics", {"period": "2026-11", "rows": [{"hs6": "85101%", "value_eur": 1, "mass_kg": 1, "count": 1}]}),
    ("mirror-aggregates", "statistics", {"period": "2026-11", "rows": [{"hs6": str(100000 + i), "value_eur": 1, "mass_kg": 1, "count": 1} for i in range(20000)]}),
    ("mutual-assistance-request", "mutual-assistance", {"request_type": "information", "question": "\x00", "deadline": "0001-01-01", "attachments": [{"filename": "a", "data": "!!!"}]}),
    ("mutual-assistance-request", "mutual-assistance", {"request_type": 1}),
    ("mutual-assistance-request", "mutual-assistance", {"request_type": "information", "question": "q", "deadline": "2026-12-01", "legal_basis": "x", "priority": "normal", "attachments": "x"}),
    ("mutual-assistance-request", "mutual-assistance", {"request_type": "information", "question": "q", "deadline": "2026-12-01", "legal_basis": "x", "priority": "normal", "subject": {"a": [1] * 100000}}),
    ("mutual-assistance-reply", "mutual-assistance", {"request_ref": "x", "outcome": "answered"}),
    ("mutual-assistance-reply", "mutual-assistance", {"outcome": {"a": 1}}),
    ("correction", "data-protection", {"corrects": "x", "correction": "erase", "fields": {}, "reason": "r"}),
    ("correction", "data-protection", {"corrects": 5, "correction": "rectify", "fields": [1], "reason": None}),
    ("correction", "data-protection", {"corrects": "00000000-0000-0000-0000-000000000000", "correction": "rectify", "fields": {"mrn": "\x00"}, "reason": "r"}),
    ("ping", "risk-analysis", {"note": "x"}),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_probe(api: TestClient, case: Any) -> None:
    r = post(api, *case)
    print(case[0], r.status_code, r.text[:300])
    assert r.status_code != 500
