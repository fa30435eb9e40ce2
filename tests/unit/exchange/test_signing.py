"""Signed messages and receipts: what is signed verifies with the sender's public key and
nothing else does (altered, another key, another algorithm, another token type)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jws
from joserfc.jwk import ECKey, OKPKey

from clearway.audit.signing import derive_private_key
from clearway.exchange import signing
from clearway.exchange.model import ExchangeRefused, Receipt
from unit.exchange.exchange_data import NOW, envelope, key, other_key

PAYLOAD = {"mrn": "26RS000000000001X1", "goods_items": [{"hs6": "847130", "packages": 3}]}
PUBLIC = signing.public_pem(key())


def _code(call: object, *args: object) -> str:
    with pytest.raises(ExchangeRefused) as refused:
        call(*args)  # type: ignore[operator]
    return refused.value.code


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_signed_message_verifies_and_peeks_to_what_was_signed() -> None:
    token = signing.sign(envelope(), PAYLOAD, key(), sent_at=NOW)
    assert signing.verify(token, PUBLIC) == (envelope(), PAYLOAD)
    assert signing.verify(token.encode(), PUBLIC) == (envelope(), PAYLOAD)
    assert signing.peek(token) == (envelope(), PAYLOAD)
    header = jws.extract_compact(token.encode()).headers()
    assert header == {"alg": "Ed25519", "kid": header["kid"], "typ": "clearway-exchange+jws"}


def test_the_signed_payload_is_canonical_json() -> None:
    token = signing.sign(envelope(), {"b": 1, "a": "č"}, key(), sent_at=NOW)
    body = jws.extract_compact(token.encode()).payload
    assert body == signing.canonical({"envelope": envelope().as_dict(),
                                      "payload": {"a": "č", "b": 1},
                                      "sent_at": NOW.astimezone(UTC).isoformat()})
    assert signing.sign(envelope(), {"a": "č", "b": 1}, key(), sent_at=NOW) == token


def _tampered(token: str) -> list[str]:
    head, body, sig = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["payload"]["mrn"] = "26RS000000000002X9"
    other_head = _b64(json.dumps({"alg": "Ed25519", "typ": "clearway-exchange+jws"}).encode())
    flipped = sig[:10] + ("A" if sig[10] != "A" else "B") + sig[11:]
    return [f"{head}.{_b64(json.dumps(data).encode())}.{sig}", f"{other_head}.{body}.{sig}",
            f"{head}.{body}.{flipped}", f"{head}.{body}."]


@pytest.mark.parametrize("which", range(4), ids=["payload", "header", "signature", "no signature"])
def test_an_altered_token_is_refused(which: int) -> None:
    token = _tampered(signing.sign(envelope(), PAYLOAD, key(), sent_at=NOW))[which]
    assert _code(signing.verify, token, PUBLIC) == "CW-EXCH-SIGNATURE"


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = signing.sign(envelope(), PAYLOAD, other_key(), sent_at=NOW)
    assert _code(signing.verify, token, PUBLIC) == "CW-EXCH-SIGNATURE"


def _body() -> bytes:
    return signing.canonical({"envelope": envelope().as_dict(), "payload": PAYLOAD})


def _with_alg(alg: str) -> str:
    header = {"alg": alg, "typ": "clearway-exchange+jws"}
    if alg == "HS256":  # the classic confusion: the public key's text as an HMAC secret
        signed = f"{_b64(json.dumps(header).encode())}.{_b64(_body())}"
        mac = hmac.new(PUBLIC.encode(), signed.encode(), hashlib.sha256).digest()
        return f"{signed}.{_b64(mac)}"
    if alg == "none":
        return f"{_b64(json.dumps(header).encode())}.{_b64(_body())}."
    if alg == "ES256":
        ec_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        return jws.serialize_compact(header, _body(), ECKey.import_key(ec_key),
                                     algorithms=["ES256"])
    private = key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    with pytest.warns(Warning):  # joserfc marks the old name as deprecated (RFC 9864)
        return jws.serialize_compact(header, _body(), OKPKey.import_key(private),
                                     algorithms=[alg])


@pytest.mark.parametrize("alg", ["HS256", "none", "ES256", "EdDSA"])
def test_any_algorithm_but_ed25519_is_refused(alg: str) -> None:
    assert _code(signing.verify, _with_alg(alg), PUBLIC) == "CW-EXCH-SIGNATURE"


def test_a_receipt_verifies_and_is_never_taken_for_a_message() -> None:
    token = signing.sign(envelope(), PAYLOAD, key(), sent_at=NOW)
    receipt = Receipt("m-1", NOW, "MK", signing.digest(token))
    signed = signing.sign_receipt(receipt, key())
    assert signing.verify_receipt(signed, PUBLIC) == receipt
    assert len(receipt.digest) == 64
    assert _code(signing.verify_receipt, signed, signing.public_pem(other_key())) \
        == "CW-EXCH-SIGNATURE"
    assert _code(signing.verify, signed, PUBLIC) == "CW-EXCH-SIGNATURE"
    assert _code(signing.verify_receipt, token, PUBLIC) == "CW-EXCH-SIGNATURE"


@pytest.mark.parametrize("junk", ["", "junk", "a.b.c", f"{_b64(b'{}')}.{_b64(b'[1]')}.",
                                  f"{_b64(b'{}')}.{_b64(b'not json')}."])
def test_junk_is_no_message(junk: str) -> None:
    assert _code(signing.peek, junk) == "CW-EXCH-ENVELOPE"
    assert _code(signing.verify, junk, PUBLIC) in {"CW-EXCH-SIGNATURE", "CW-EXCH-ENVELOPE"}


def test_a_signed_but_malformed_envelope_is_refused_after_its_signature() -> None:
    header = {"alg": "Ed25519", "typ": "clearway-exchange+jws"}
    private = key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    token = jws.serialize_compact(header, signing.canonical({"envelope": {}, "payload": {}}),
                                  OKPKey.import_key(private), algorithms=["Ed25519"])
    assert _code(signing.verify, token, PUBLIC) == "CW-EXCH-ENVELOPE"


def test_a_public_key_that_is_not_ed25519_pem_refuses_everything() -> None:
    token = signing.sign(envelope(), PAYLOAD, key(), sent_at=NOW)
    assert _code(signing.verify, token, "not a key") == "CW-EXCH-SIGNATURE"


def test_the_derived_key_is_stable_and_not_the_audit_key() -> None:
    settings = SimpleNamespace(secret_key="s" * 40, exchange_key_file=None)
    derived = signing.exchange_key(settings)
    assert signing.public_pem(derived) == signing.public_pem(signing.exchange_key(settings))
    assert signing.public_pem(derived) != signing.public_pem(derive_private_key("s" * 40))
    other = SimpleNamespace(secret_key="t" * 40, exchange_key_file=None)
    assert signing.public_pem(signing.exchange_key(other)) != signing.public_pem(derived)


def test_the_key_file_is_used_when_set_and_refused_when_unusable(tmp_path: Path) -> None:
    good = tmp_path / "exchange.pem"
    good.write_bytes(key().private_bytes(serialization.Encoding.PEM,
                                         serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))
    settings = SimpleNamespace(secret_key="s" * 40, exchange_key_file=str(good))
    assert signing.public_pem(signing.exchange_key(settings)) == PUBLIC
    wrong = tmp_path / "ec.pem"
    wrong.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    for path in (tmp_path / "missing.pem", wrong):
        unusable = SimpleNamespace(secret_key="s" * 40, exchange_key_file=str(path))
        assert _code(signing.exchange_key, unusable) == "CW-EXCH-KEY"
