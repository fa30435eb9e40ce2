"""Shared values of the exchange unit tests: the example agreement, an envelope, keys."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from clearway.exchange.agreements import parse_agreements
from clearway.exchange.model import SERVICE, Agreement, Envelope, Partner

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "examples" / "agreement-rs-mk.yaml"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def example() -> Agreement:
    (agreement,) = parse_agreements(EXAMPLE.read_text())
    return agreement


def envelope(**changes: Any) -> Envelope:
    base = Envelope(
        message_id="m-1", conversation_id="c-1", ref_to_message_id=None, from_party="RS",
        to_party="MK", service=SERVICE, action="anticipated-arrival", agreement_ref="RS-MK-2026",
        legal_article="Art. 5", purpose="risk-analysis", confidentiality="restricted",
        caveats=("no-onward-transfer",), created_at=NOW, payload_type="anticipated-arrival",
        payload_version="1")
    return replace(base, **changes)


def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def other_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))


def partner(**changes: Any) -> Partner:
    return replace(Partner(code="RS", name="Serbia", inbox_url="http://127.0.0.1:1/inbox",
                           public_key_pem="", status="active"), **changes)
