"""Keyed pseudonyms of natural persons: both administrations can tell that two records name
the same person, and neither learns from the exchange who it is.

A pseudonym is HMAC-SHA256 over the person's normalised identity under a key the parties of
one agreement share (never a plain hash: without the key, nobody can test a guessed name).
Keys rotate: each has a validity; the sender uses the newest valid key and names it in the
pseudonym ("ps1:<key id>:<hex>"), and during the overlap of an old and a new key a receiver
still matches pseudonyms made under either. The keys live in a YAML file beside the exchange
key (`Settings.pseudonym_keys_file`), never in the database:

    - agreement: RS-MK-2026
      id: k2026
      secret: "<base64 of at least 32 random bytes>"
      valid_from: 2026-01-01
      valid_to: null          # or the last day of the overlap once a newer key is in use
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from clearway.errors import ClearwayError

PREFIX = "ps1"
MIN_SECRET_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
# Serbian and Macedonian Cyrillic to the Latin letters each administration's traders use, so
# one person written in either script normalises to the same identity.
_CYRILLIC = dict(zip(
    "абвгдђежзијклљмнњопрстћуфхцчџшѓѕќ",
    ["a", "b", "v", "g", "d", "dj", "e", "z", "z", "i", "j", "k", "l", "lj", "m", "n", "nj",
     "o", "p", "r", "s", "t", "c", "u", "f", "h", "c", "c", "dz", "s", "g", "dz", "k"],
    strict=True))


class PseudonymKeysInvalid(ClearwayError):
    def __init__(self, message: str) -> None:
        super().__init__(code="CW-PRIV-KEYS", message=message)


@dataclass(frozen=True)
class PseudonymKey:
    agreement: str
    id: str
    secret: bytes
    valid_from: date
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Keyring:
    """The pseudonym keys this administration holds, by agreement."""

    keys: Mapping[str, tuple[PseudonymKey, ...]]

    def current(self, agreement: str, day: date) -> PseudonymKey | None:
        """The key to make pseudonyms with on `day`: the valid one that started last."""
        valid = [k for k in self.keys.get(agreement, ()) if k.valid_on(day)]
        return max(valid, key=lambda k: k.valid_from, default=None)

    def valid(self, agreement: str, day: date) -> tuple[PseudonymKey, ...]:
        return tuple(k for k in self.keys.get(agreement, ()) if k.valid_on(day))


EMPTY = Keyring({})


def normalised(name: str, country: str | None = None) -> str:
    """A person's identity as both sides write it: Cyrillic in Latin letters, accents,
    punctuation, case and spacing dropped, the words in order, then the country."""
    text = "".join(_CYRILLIC.get(c, c) for c in name.casefold())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(sorted(words)) + "|" + (country or "").upper().strip()


def pseudonym(key: PseudonymKey, identity: str) -> str:
    digest = hmac.new(key.secret, identity.encode(), hashlib.sha256).hexdigest()
    return f"{PREFIX}:{key.id}:{digest}"


def pseudonymise(ring: Keyring, agreement: str, identity: str, day: date) -> str | None:
    """The pseudonym to send on `day` (None: no valid key, so the person is not sent)."""
    key = ring.current(agreement, day)
    return None if key is None else pseudonym(key, identity)


def same_person(ring: Keyring, agreement: str, identity: str, received: str,
                day: date) -> bool:
    """Whether `received` (a partner's pseudonym) names the person of `identity`, under any
    key of the agreement valid on `day` (the overlap of a rotation included)."""
    return any(hmac.compare_digest(pseudonym(k, identity), received)
               for k in ring.valid(agreement, day))


def load(path: str | None) -> Keyring:
    """The keyring of the YAML file at `path` (None: no keys). Every border release and
    every match of a person asks for it: the file is read and parsed again only when it
    changed (a rotation edits it), and a file that cannot be read is refused every time."""
    if path is None:
        return EMPTY
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise PseudonymKeysInvalid(f"The pseudonym keys cannot be read: {exc}") from None
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load(path: str, _mtime_ns: int, _size: int) -> Keyring:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PseudonymKeysInvalid(f"The pseudonym keys cannot be read: {exc}") from None
    return parse(data if data is not None else [])


def parse(entries: object) -> Keyring:
    if not isinstance(entries, list):
        raise PseudonymKeysInvalid("The pseudonym keys are a list of keys")
    found: dict[str, list[PseudonymKey]] = {}
    for i, entry in enumerate(entries):
        key = _key(entry, i)
        if any(k.id == key.id for k in found.get(key.agreement, [])):
            raise PseudonymKeysInvalid(f"Key {i}: the id {key.id!r} is used twice")
        found.setdefault(key.agreement, []).append(key)
    return Keyring({a: tuple(keys) for a, keys in found.items()})


def _key(entry: object, i: int) -> PseudonymKey:
    names = {"agreement", "id", "secret", "valid_from", "valid_to"}
    if not isinstance(entry, dict) or not names - {"valid_to"} <= set(entry) <= names:
        raise PseudonymKeysInvalid(f"Key {i} holds agreement, id, secret, valid_from and "
                                   "valid_to")
    if not isinstance(entry["id"], str) or not _KEY_ID.match(entry["id"]):
        raise PseudonymKeysInvalid(f"Key {i}: the id is letters, digits, - _ . (1-40)")
    try:
        secret = base64.b64decode(str(entry["secret"]), validate=True)
    except (binascii.Error, ValueError):
        raise PseudonymKeysInvalid(f"Key {i}: the secret is not base64") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise PseudonymKeysInvalid(f"Key {i}: the secret has fewer than "
                                   f"{MIN_SECRET_BYTES} bytes")
    start, end = entry["valid_from"], entry.get("valid_to")
    if not isinstance(start, date) or not (end is None or isinstance(end, date)):
        raise PseudonymKeysInvalid(f"Key {i}: valid_from and valid_to are dates (YYYY-MM-DD)")
    return PseudonymKey(agreement=str(entry["agreement"]), id=entry["id"], secret=secret,
                        valid_from=start, valid_to=end)



def every_pseudonym(ring: Keyring, agreement: str, identity: str) -> frozenset[str]:
    """The person's pseudonym under every key the agreement ever had here, valid or not: a
    data subject's access request finds what was exchanged before a rotation too."""
    return frozenset(pseudonym(k, identity) for k in ring.keys.get(agreement, ()))


def new_key_entry(agreement: str, key_id: str, valid_from: date, secret: bytes) -> str:
    """A key for the keys file, as YAML: the operator adds the same entry on both sides (and
    sets `valid_to` on the old key to the last day of the overlap)."""
    if not _KEY_ID.match(key_id):
        raise PseudonymKeysInvalid("The id is letters, digits, - _ . (1-40)")
    if len(secret) < MIN_SECRET_BYTES:
        raise PseudonymKeysInvalid(f"The secret has fewer than {MIN_SECRET_BYTES} bytes")
    entry = {"agreement": agreement, "id": key_id,
             "secret": base64.b64encode(secret).decode(), "valid_from": valid_from,
             "valid_to": None}
    text: str = yaml.safe_dump([entry], sort_keys=False)
    return text
