"""The witness, without a database: numbered checkpoints, records written outside the
database, and what `verify_chain` concludes from them (a cut tail, a deleted or replaced
checkpoint, a rewrite, a witness that was edited)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from audit_chains import AT, chain
from clearway.audit import witness
from clearway.audit.model import (
    AuditEntry,
    Checkpoint,
    WitnessRecord,
    checkpoint_message,
    entry_hash,
    verify_chain,
)
from clearway.audit.service import signature_check
from clearway.audit.signing import signer
from clearway.config import Settings

KEY = signer("a-secret-that-is-long-enough-for-tests")
CHECK = signature_check({KEY.key_id: KEY.public})


def numbered(entries: list[AuditEntry], at: list[int]) -> list[Checkpoint]:
    cps: list[Checkpoint] = []
    for number, entry_id in enumerate(at, start=1):
        digest = entries[entry_id - 1].hash
        previous = cps[-1].signature if cps else None
        sig = KEY.sign(checkpoint_message(entry_id, digest, AT, KEY.key_id, previous, number))
        cps.append(Checkpoint(number, entry_id, digest, AT, KEY.key_id, sig))
    return cps


def records(cps: list[Checkpoint]) -> list[WitnessRecord]:
    return [WitnessRecord(cp, cps[i - 1].signature if i else None, "2026-11-20T09:30:00")
            for i, cp in enumerate(cps)]


FULL = chain(12)
CPS = numbered(FULL, [5, 10, 12])  # automatic at 5 and 10, one by command at 12
WITNESSED = records(CPS)


def _rewritten(entries: list[AuditEntry], first: int) -> list[AuditEntry]:
    """Entry `first` edited and every hash after it recomputed."""
    out, prev = entries[:first - 1], entries[first - 2].hash
    for e in entries[first - 1:]:
        forged = replace(e, detail={"i": -1} if e.id == first else e.detail, prev_hash=prev)
        prev = entry_hash(forged)
        out.append(replace(forged, hash=prev))
    return out


# (name, entries kept, checkpoints kept, witness records, kind named, entry named)
CASES = [
    ("intact", FULL, CPS, WITNESSED, None, None),
    ("tail cut, head rewound, later checkpoints deleted", FULL[:7], CPS[:1], WITNESSED,
     "tail", 8),
    ("the latest checkpoint (by command) deleted", FULL, CPS[:2], WITNESSED, "checkpoint", 12),
    ("a checkpoint from the middle deleted", FULL, [CPS[0], CPS[2]], WITNESSED, "checkpoint",
     12),
    ("tail rewritten after the last checkpoint in the database", _rewritten(FULL, 11), CPS[:2],
     WITNESSED, "chain", 12),
    ("witness record edited", FULL, CPS, [WITNESSED[0], WITNESSED[1], WITNESSED[2].__class__(
        replace(CPS[2], entry_id=11, entry_hash=FULL[10].hash), CPS[1].signature)],
     "witness", 11),
    ("checkpoint replaced by a re-numbered one", FULL, CPS[:2], WITNESSED[:2] + records(
        numbered(FULL, [5, 10, 11]))[2:], "checkpoint", 11),
    ("no witness: the cut tail does not show (documented limit)", FULL[:7], CPS[:1], [],
     None, None),
]


@pytest.mark.parametrize(("entries", "cps", "seen", "kind", "entry"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_witness_cases(entries: list[AuditEntry], cps: list[Checkpoint],
                       seen: list[WitnessRecord], kind: str | None, entry: int | None) -> None:
    head = entries[-1]
    found = verify_chain(entries, head.id, head.hash, cps, CHECK, every=5, witnessed=seen)
    assert (found and (found.kind, found.entry_id)) == (kind and (kind, entry)), found


def test_tail_reason_says_what_is_missing() -> None:
    found = verify_chain(FULL[:7], 7, FULL[6].hash, CPS[:1], CHECK, every=5,
                         witnessed=WITNESSED)
    assert found is not None
    assert found.reason.startswith("tail missing: the chain ends at entry 7")
    assert "entries 8 to 12 were removed" in found.reason


def test_numbers_are_signed_and_legacy_checkpoints_still_verify() -> None:
    legacy = numbered(FULL, [5])[0]
    v1 = KEY.sign(checkpoint_message(5, FULL[4].hash, AT, KEY.key_id, None))
    assert CHECK(replace(legacy, signature=v1), None) is None  # made before numbering
    assert CHECK(legacy, None) is None
    assert CHECK(replace(legacy, id=2), None) == "signature is invalid"  # renumbered


def test_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "var" / "w"
    witness.append(path, WITNESSED[:2])
    witness.append(path, WITNESSED[2:])
    path.open("a").write("not json\n")
    found, problems = witness.read(path)
    assert found == WITNESSED
    assert problems and problems[0].startswith("line 4 of")
    assert witness.read(tmp_path / "absent") == ([], [])


@pytest.mark.parametrize(("url", "configured", "expected"), [
    ("sqlite:///var/clearway.db", None, "var/clearway.db.audit-witness"),
    ("sqlite:///var/clearway.db", "/srv/witness.log", "/srv/witness.log"),
    ("sqlite:///var/clearway.db", "off", None),
    ("sqlite://", None, None),
    ("postgresql+psycopg://u@h/db", None, None),
    ("postgresql+psycopg://u@h/db", "/srv/witness.log", "/srv/witness.log"),
])
def test_where_the_witness_is(url: str, configured: str | None, expected: str | None) -> None:
    settings = Settings(database_url=url, environment="test", audit_witness_file=configured)
    found = witness.path_of(settings)
    assert (str(found) if found else None) == expected


def test_at_is_kept_to_the_microsecond() -> None:
    cp = replace(CPS[0], at=datetime(2026, 11, 20, 9, 30, 1, 123456))
    record = WitnessRecord(cp, None, "x")
    assert witness.of_json(witness.as_json(record)) == record
