"""Keyed pseudonyms as tables: one person however written gives one pseudonym, different
people and different keys differ, never a plain hash, rotation with an overlap, no key no
pseudonym, and the key file both sides share."""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from pathlib import Path

import pytest
import yaml

from clearway.privacy import pseudonyms
from clearway.privacy.pseudonyms import Keyring, PseudonymKey, PseudonymKeysInvalid

A = "RS-MK-2026"
DAY = date(2026, 6, 1)
SECRET = bytes(range(32))
OTHER_SECRET = bytes(range(1, 33))


def key(id: str = "k1", secret: bytes = SECRET, agreement: str = A,
        start: date = date(2026, 1, 1), end: date | None = None) -> PseudonymKey:
    return PseudonymKey(agreement, id, secret, start, end)


RING = Keyring({A: (key(),)})


def made(name: str, country: str = "RS", ring: Keyring = RING, agreement: str = A,
         day: date = DAY) -> str | None:
    return pseudonyms.pseudonymise(ring, agreement, pseudonyms.normalised(name, country), day)


SAME_PERSON = [
    ("latin and cyrillic", "Petar Petrović", "Петар Петровић"),
    ("accents dropped", "Petar Petrović", "Petar Petrovic"),
    ("case", "PETAR PETROVIĆ", "petar petrović"),
    ("word order", "Petrović Petar", "Petar Petrović"),
    ("spacing and punctuation", "  Petar,  Petrović. ", "Petar Petrović"),
    ("macedonian cyrillic", "Ѓорѓи Стојановски", "Gorgi Stojanovski"),
]


@pytest.mark.parametrize(("case", "one", "other"), SAME_PERSON, ids=[c[0] for c in SAME_PERSON])
def test_one_person_written_in_any_way_has_one_pseudonym(case: str, one: str,
                                                         other: str) -> None:
    assert made(one) == made(other) is not None


DIFFERENT = [
    ("another name", ("Petar Petrović", "RS"), ("Marko Petrović", "RS")),
    ("another country", ("Petar Petrović", "RS"), ("Petar Petrović", "MK")),
    ("one letter", ("Ana Jovanović", "RS"), ("Ana Jovanovič", "SI")),
]


@pytest.mark.parametrize(("case", "one", "other"), DIFFERENT, ids=[c[0] for c in DIFFERENT])
def test_different_people_have_different_pseudonyms(case: str, one: tuple[str, str],
                                                    other: tuple[str, str]) -> None:
    assert made(*one) != made(*other)


KEYRINGS = [
    ("another secret", Keyring({A: (key(secret=OTHER_SECRET),)}), A),
    ("another agreement's key", Keyring({"RS-AL-2026": (key(agreement="RS-AL-2026",
                                                           secret=OTHER_SECRET),)}),
     "RS-AL-2026"),
]


@pytest.mark.parametrize(("case", "ring", "agreement"), KEYRINGS, ids=[k[0] for k in KEYRINGS])
def test_other_keys_give_other_pseudonyms(case: str, ring: Keyring, agreement: str) -> None:
    mine, theirs = made("Petar Petrović"), made("Petar Petrović", ring=ring, agreement=agreement)
    assert theirs is not None and mine is not None
    assert mine.split(":")[2] != theirs.split(":")[2]


@pytest.mark.parametrize("name", ["Petar Petrović", "Ana Jovanović"])
@pytest.mark.parametrize("algorithm", ["sha256", "sha1", "md5", "sha512", "blake2b"])
def test_a_pseudonym_is_never_a_plain_hash(name: str, algorithm: str) -> None:
    found = made(name)
    assert found is not None
    digest = found.split(":")[2]
    for text in (name, pseudonyms.normalised(name, "RS"), name.casefold(),
                 pseudonyms.normalised(name)):
        assert hashlib.new(algorithm, text.encode()).hexdigest() != digest
        assert hashlib.new(algorithm, text.encode()).hexdigest() not in found


OLD = key("k2026", SECRET, end=date(2026, 12, 31))
NEW = key("k2027", OTHER_SECRET, start=date(2026, 12, 1))
ROTATING = Keyring({A: (OLD, NEW)})
# (day, key used to make, old key's pseudonym matches, new key's matches)
ROTATION = [
    (date(2026, 11, 30), "k2026", True, False),   # before the new key: the old one only
    (date(2026, 12, 1), "k2027", True, True),     # overlap: the newest makes, both match
    (date(2026, 12, 31), "k2027", True, True),    # last day of the overlap
    (date(2027, 1, 1), "k2027", False, True),     # after: only the new key
]


@pytest.mark.parametrize(("day", "used", "old_matches", "new_matches"), ROTATION)
def test_rotation_has_an_overlap_where_both_keys_match(day: date, used: str,
                                                       old_matches: bool,
                                                       new_matches: bool) -> None:
    identity = pseudonyms.normalised("Petar Petrović", "RS")
    made_now = pseudonyms.pseudonymise(ROTATING, A, identity, day)
    assert made_now is not None and made_now.split(":")[1] == used
    old, new = pseudonyms.pseudonym(OLD, identity), pseudonyms.pseudonym(NEW, identity)
    assert pseudonyms.same_person(ROTATING, A, identity, old, day) is old_matches
    assert pseudonyms.same_person(ROTATING, A, identity, new, day) is new_matches
    other = pseudonyms.normalised("Marko Petrović", "RS")
    assert not pseudonyms.same_person(ROTATING, A, other, made_now, day)


NO_KEY = [
    ("no keys at all", pseudonyms.EMPTY, A, DAY),
    ("no key for the agreement", RING, "RS-AL-2026", DAY),
    ("before the key", RING, A, date(2025, 12, 31)),
    ("after the key", Keyring({A: (key(end=date(2026, 3, 1)),)}), A, DAY),
]


@pytest.mark.parametrize(("case", "ring", "agreement", "day"), NO_KEY,
                         ids=[c[0] for c in NO_KEY])
def test_without_a_valid_key_the_person_is_not_sent(case: str, ring: Keyring, agreement: str,
                                                   day: date) -> None:
    assert made("Petar Petrović", ring=ring, agreement=agreement, day=day) is None


def test_every_pseudonym_covers_every_key_valid_or_not() -> None:
    identity = pseudonyms.normalised("Petar Petrović", "RS")
    assert pseudonyms.every_pseudonym(ROTATING, A, identity) == {
        pseudonyms.pseudonym(OLD, identity), pseudonyms.pseudonym(NEW, identity)}
    assert pseudonyms.every_pseudonym(ROTATING, "RS-AL-2026", identity) == frozenset()


def test_a_new_key_entry_loads_back_and_matches_on_both_sides(tmp_path: Path) -> None:
    """Two installations share one keys file; each computes from its own record of the
    person (written its own way) and the pseudonyms match."""
    entry = pseudonyms.new_key_entry(A, "k2026", date(2026, 1, 1), SECRET)
    (found,) = yaml.safe_load(entry)
    assert base64.b64decode(found["secret"]) == SECRET and found["valid_to"] is None
    path = tmp_path / "keys.yaml"
    path.write_text(entry)
    rs, mk = pseudonyms.load(str(path)), pseudonyms.load(str(path))
    sent = pseudonyms.pseudonymise(rs, A, pseudonyms.normalised("Petar Petrović", "rs"), DAY)
    assert sent is not None
    assert pseudonyms.same_person(mk, A, pseudonyms.normalised("ПЕТРОВИЋ Петар", "RS"), sent,
                                  DAY)


@pytest.mark.parametrize(("key_id", "secret"), [("bad id!", SECRET), ("k1", b"short")])
def test_a_malformed_new_key_is_refused(key_id: str, secret: bytes) -> None:
    with pytest.raises(PseudonymKeysInvalid):
        pseudonyms.new_key_entry(A, key_id, DAY, secret)


BAD_FILES = [
    ("not a list", {"agreement": A}),
    ("missing secret", [{"agreement": A, "id": "k", "valid_from": DAY}]),
    ("short secret", [{"agreement": A, "id": "k", "secret": base64.b64encode(b"x").decode(),
                       "valid_from": DAY}]),
    ("not base64", [{"agreement": A, "id": "k", "secret": "!!!", "valid_from": DAY}]),
    ("id used twice", [{"agreement": A, "id": "k", "secret": base64.b64encode(SECRET).decode(),
                        "valid_from": DAY}] * 2),
    ("date as text", [{"agreement": A, "id": "k", "secret": base64.b64encode(SECRET).decode(),
                       "valid_from": "June"}]),
]


@pytest.mark.parametrize(("case", "data"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_malformed_keys_file_is_refused_with_its_code(case: str, data: object) -> None:
    with pytest.raises(PseudonymKeysInvalid) as refused:
        pseudonyms.parse(data)
    assert refused.value.code == "CW-PRIV-KEYS"


def test_the_keys_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    entry = ("- agreement: A\n  id: {id}\n  secret: \"" + base64.b64encode(b"s" * 32).decode()
             + "\"\n  valid_from: 2026-01-01\n")
    path.write_text(entry.format(id="k1"), encoding="utf-8")
    assert [k.id for k in pseudonyms.load(str(path)).keys["A"]] == ["k1"]
    path.write_text(entry.format(id="k2") + entry.format(id="k3"), encoding="utf-8")
    assert [k.id for k in pseudonyms.load(str(path)).keys["A"]] == ["k2", "k3"]
    path.unlink()
    with pytest.raises(PseudonymKeysInvalid):
        pseudonyms.load(str(path))
