"""Signed messages between administrations: compact JWS, Ed25519, with joserfc.

Each administration's private key is read from a PEM file or derived from the secret key
with HKDF under a label of its own (never the audit key, never in the database). Only the
Ed25519 algorithm is accepted when verifying, so a token under HS256, "none" or another
algorithm is refused before its signature is looked at. The signed payload is canonical
JSON {"envelope": ..., "payload": ...}, so the envelope cannot be changed apart from it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry

from clearway import text_guard
from clearway.audit.signing import key_id
from clearway.exchange.model import Envelope, ExchangeRefused, Receipt

# RFC 9864's fully specified name for EdDSA over Ed25519 (the older "EdDSA" is deprecated).
ALG = "Ed25519"
MESSAGE_TYPE = "clearway-exchange+jws"
RECEIPT_TYPE = "clearway-receipt+jws"
# Changing these would change every derived key: they name the purpose, not a secret.
_HKDF_SALT = b"clearway/exchange"
_HKDF_INFO = b"ed25519 exchange signing key v1"
# joserfc refuses payloads over 128,000 bytes by default: far below the inbox's 2 MiB cap
# (a request with its attachments is up to 1 MiB before base64). The cap is the inbox's.
MAX_TOKEN_BYTES = 2 * 1024 * 1024


class _Registry(JWSRegistry):
    max_payload_length = MAX_TOKEN_BYTES


_REGISTRY = _Registry(algorithms=[ALG])


class KeySettings(Protocol):
    @property
    def secret_key(self) -> str: ...
    @property
    def exchange_key_file(self) -> str | None: ...


def exchange_key(settings: KeySettings) -> Ed25519PrivateKey:
    """This administration's signing key: the PEM file `settings.exchange_key_file` when set,
    else derived from `settings.secret_key`."""
    return _key(settings.secret_key, settings.exchange_key_file)


@lru_cache(maxsize=8)
def _key(secret: str, key_file: str | None) -> Ed25519PrivateKey:
    if not key_file:
        seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT,
                    info=_HKDF_INFO).derive(secret.encode())
        return Ed25519PrivateKey.from_private_bytes(seed)
    try:
        loaded = serialization.load_pem_private_key(Path(key_file).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ExchangeRefused("CW-EXCH-KEY",
                              f"Cannot read the exchange key {key_file}: {exc}") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ExchangeRefused("CW-EXCH-KEY", f"The exchange key {key_file} is not Ed25519")
    return loaded


def public_pem(key: Ed25519PrivateKey) -> str:
    """The public half of `key` as PEM (SubjectPublicKeyInfo): what a partner registers."""
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def canonical(data: Any) -> bytes:
    """JSON with sorted keys and no spaces: the same value always gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def digest(token: str) -> str:
    """SHA-256 (hex) of a token's exact text, as a receipt names it."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign(envelope: Envelope, payload: dict[str, Any], key: Ed25519PrivateKey, *,
         sent_at: datetime) -> str:
    """The message as a compact JWS signed with `key`. `sent_at` is when this copy leaves: a
    message is signed again at every delivery attempt, so a partner back after hours still
    finds it fresh, while its envelope (id, creation time) and payload stay as they were."""
    body = {"envelope": envelope.as_dict(), "payload": payload,
            "sent_at": sent_at.astimezone(UTC).isoformat()}
    return _sign(MESSAGE_TYPE, body, key)


def message_digest(envelope: Envelope, payload: dict[str, Any]) -> str:
    """SHA-256 (hex) of the message itself (envelope and payload, canonical JSON), the same for
    every signed copy: what a receipt names and what tells a retry from a replay."""
    return hashlib.sha256(canonical({"envelope": envelope.as_dict(),
                                     "payload": payload})).hexdigest()


def sent_at(token: str | bytes) -> datetime:
    """When this copy of a message was signed to leave (read without checking the signature:
    call it on a token `verify` accepted)."""
    try:
        body = _json(jws.extract_compact(_bytes(token), registry=_REGISTRY).payload)
        return datetime.fromisoformat(body["sent_at"])
    except (JoseError, ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise _junk("no readable sent_at") from None


def peek(token: str | bytes) -> tuple[Envelope, dict[str, Any]]:
    """Envelope and payload WITHOUT checking the signature: only to find whose key checks it."""
    try:
        body = _json(jws.extract_compact(_bytes(token), registry=_REGISTRY).payload)
    except (JoseError, ValueError, UnicodeDecodeError):
        raise _junk("not a compact JWS with a JSON payload") from None
    return _message(body)


def verify(token: str | bytes, public_key_pem: str) -> tuple[Envelope, dict[str, Any]]:
    """Envelope and payload of a message signed by the holder of `public_key_pem`, or
    CW-EXCH-SIGNATURE (bad signature, wrong key, any algorithm but Ed25519, wrong type)."""
    return _message(_verified(token, public_key_pem, MESSAGE_TYPE))


def sign_receipt(receipt: Receipt, key: Ed25519PrivateKey) -> str:
    return _sign(RECEIPT_TYPE, receipt.as_dict(), key)


def verify_receipt(token: str | bytes, public_key_pem: str) -> Receipt:
    """The receipt signed by the holder of `public_key_pem`, or CW-EXCH-SIGNATURE."""
    return Receipt.from_dict(_verified(token, public_key_pem, RECEIPT_TYPE))


def _sign(typ: str, body: dict[str, Any], key: Ed25519PrivateKey) -> str:
    header = {"alg": ALG, "kid": key_id(key.public_key()), "typ": typ}
    return jws.serialize_compact(header, canonical(body), _jwk(key), registry=_REGISTRY)


def _verified(token: str | bytes, public_key_pem: str, typ: str) -> Any:
    try:
        public = OKPKey.import_key(public_key_pem)
    except (JoseError, ValueError, TypeError):
        raise _forged("the partner's public key is not an Ed25519 PEM key") from None
    try:
        found = jws.deserialize_compact(_bytes(token), public, registry=_REGISTRY)
    except JoseError as exc:
        raise _forged(f"{exc.error}: {exc.description or 'refused'}") from None
    except (ValueError, TypeError):
        raise _forged("the token cannot be checked") from None
    if found.headers().get("typ") != typ:
        raise _forged(f"the token's type is not {typ}")
    try:
        return _json(found.payload)
    except (ValueError, UnicodeDecodeError):
        raise _junk("the signed payload is not JSON") from None


def _message(body: object) -> tuple[Envelope, dict[str, Any]]:
    if not isinstance(body, dict) or set(body) != {"envelope", "payload", "sent_at"}:
        raise _junk("the JWS payload is not {envelope, payload, sent_at}")
    try:
        sent = datetime.fromisoformat(body["sent_at"])
    except (TypeError, ValueError):
        raise _junk("sent_at is not a date and time") from None
    if sent.tzinfo is None:
        raise _junk("sent_at has no time zone")
    if not isinstance(body["payload"], dict):
        raise _junk("the payload is not an object")
    bad = text_guard.value_issue(body["envelope"])
    if bad is not None:
        raise _junk(bad)
    envelope = Envelope.from_dict(body["envelope"])
    bad = text_guard.value_issue(body["payload"])
    if bad is not None:
        raise ExchangeRefused("CW-EXCH-PAYLOAD", f"The payload cannot be stored: {bad}")
    return envelope, body["payload"]


def _json(data: bytes) -> Any:
    """Strict JSON (RFC 8259): no NaN or Infinity, no number too large for a float, no
    nesting deeper than the parser can follow; ValueError otherwise."""
    try:
        return json.loads(data, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"{text[:20]} is out of range")
    return number


def _jwk(key: Ed25519PrivateKey) -> OKPKey:
    return OKPKey.import_key(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


def _bytes(token: str | bytes) -> bytes:
    return token.encode("ascii", "replace") if isinstance(token, str) else token


def _junk(problem: str) -> ExchangeRefused:
    return ExchangeRefused("CW-EXCH-ENVELOPE", f"The message cannot be read: {problem}")


def _forged(problem: str) -> ExchangeRefused:
    return ExchangeRefused("CW-EXCH-SIGNATURE", f"The signature does not verify: {problem}")
