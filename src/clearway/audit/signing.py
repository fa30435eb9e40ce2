"""Ed25519 keys of the audit checkpoints. The private key never enters the database: it is
derived from the secret key with HKDF, or read from a PEM file, so whoever can rewrite the
tables still cannot sign a checkpoint for a rewritten chain."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clearway.errors import ClearwayError

# Changing these would change every derived key: they name the purpose, not a secret.
_HKDF_SALT = b"clearway/audit-checkpoint"
_HKDF_INFO = b"ed25519 signing key v1"


class AuditKeyError(ClearwayError):
    def __init__(self, message: str) -> None:
        super().__init__(code="CW-AUDIT-KEY", message=message)


def key_id(public: Ed25519PublicKey) -> str:
    """Fingerprint of a public key: SHA-256 of its 32 raw bytes, first 32 hex digits."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:32]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@dataclass(frozen=True)
class Signer:
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode()


def derive_private_key(secret: str) -> Ed25519PrivateKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT,
                info=_HKDF_INFO).derive(secret.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


@lru_cache(maxsize=8)
def signer(secret: str, key_file: str | None = None) -> Signer:
    """The checkpoint signer: the PEM private key in `key_file` when given, else the key
    derived from `secret` (the settings' secret key)."""
    if not key_file:
        return Signer(derive_private_key(secret))
    try:
        loaded = serialization.load_pem_private_key(Path(key_file).read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise AuditKeyError(f"Cannot read the audit signing key {key_file}: {exc}") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise AuditKeyError(f"The audit signing key {key_file} is not an Ed25519 key")
    return Signer(loaded)


def read_public_keys(path: str) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 public keys of a file of one or more PEM blocks, by key id."""
    try:
        text = Path(path).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditKeyError(f"Cannot read public keys from {path}: {exc}") from None
    marker = "-----END PUBLIC KEY-----"
    keys: dict[str, Ed25519PublicKey] = {}
    for block in text.split(marker)[:-1]:
        try:
            loaded = serialization.load_pem_public_key((block.strip() + "\n" + marker).encode())
        except ValueError as exc:
            raise AuditKeyError(f"A public key in {path} is not valid PEM: {exc}") from None
        if not isinstance(loaded, Ed25519PublicKey):
            raise AuditKeyError(f"A public key in {path} is not an Ed25519 key")
        keys[key_id(loaded)] = loaded
    if not keys:
        raise AuditKeyError(f"No public key found in {path}")
    return keys


def signature_valid(public: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    try:
        public.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
