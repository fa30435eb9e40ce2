"""The chain's arithmetic with signed checkpoints, and the keys, without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_chains import AT, chain
from clearway.audit.model import (
    AuditEntry,
    Checkpoint,
    checkpoint_message,
    verify_chain,
)
from clearway.audit.service import signature_check
from clearway.audit.signing import AuditKeyError, public_pem, read_public_keys, signer
from clearway.errors import ClearwayError

KEY = signer("a-secret-that-is-long-enough-for-tests")
KEYS = {KEY.key_id: KEY.public}


def signed(entries: list[AuditEntry], at: list[int]) -> list[Checkpoint]:
    cps: list[Checkpoint] = []
    for n, entry_id in enumerate(at, start=1):
        digest = entries[entry_id - 1].hash
        previous = cps[-1].signature if cps else None
        sig = KEY.sign(checkpoint_message(entry_id, digest, AT, KEY.key_id, previous))
        cps.append(Checkpoint(n, entry_id, digest, AT, KEY.key_id, sig))
    return cps


def test_same_secret_same_key_and_a_different_one_otherwise() -> None:
    assert signer("a-secret-that-is-long-enough-for-tests").key_id == KEY.key_id
    assert signer("another-secret").key_id != KEY.key_id
    assert len(KEY.key_id) == 32


@pytest.mark.parametrize(("checkpoints_at", "every", "broken"), [
    ([3, 6], 3, None),
    ([3], 3, 6),  # the latest automatic checkpoint is missing
    ([3, 7], 3, None),  # a checkpoint made by command counts as the latest
    ([], 0, None),
    ([3, 6], 0, None),
    ([3, 6, 9], 3, 9),  # names an entry beyond the chain
])
def test_checkpoints(checkpoints_at: list[int], every: int, broken: int | None) -> None:
    entries = chain(8)
    cps = signed(chain(9), checkpoints_at)  # the same hashes, and one entry more
    found = verify_chain(entries, 8, entries[-1].hash, cps, signature_check(KEYS), every)
    assert (found.entry_id if found else None) == broken, found


def test_checkpoint_out_of_order_fails_its_signature() -> None:
    entries = chain(8)
    first, second = signed(entries, [3, 6])
    found = verify_chain(entries, 8, entries[-1].hash, [second, first], signature_check(KEYS))
    assert found is not None and found.entry_id == 3 and "signature" in found.reason


def test_public_keys_file(tmp_path: Path) -> None:
    other = signer("another-secret")
    path = tmp_path / "keys.pem"
    path.write_text(public_pem(KEY.public) + public_pem(other.public))
    assert set(read_public_keys(str(path))) == {KEY.key_id, other.key_id}
    path.write_text("not a key")
    with pytest.raises(AuditKeyError):
        read_public_keys(str(path))


def test_key_file_must_be_readable(tmp_path: Path) -> None:
    with pytest.raises(ClearwayError) as raised:
        signer("x", str(tmp_path / "missing.pem"))
    assert raised.value.code == "CW-AUDIT-KEY"
