"""The witness outside the database: what someone with write access to every table can no
longer hide (a cut tail with its head rewound and checkpoints deleted, a deleted checkpoint
made by command), what the witness holds, and the commands."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from audit_chains import append_entries
from clearway.audit import repository, witness
from clearway.audit.service import checkpoint, verify_report, witness_head
from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context

EVERY = 5
CUT_TAIL = [  # the probe: the tail cut, the head rewound, later checkpoints deleted
    "DELETE FROM audit_entries WHERE id > 7",
    "UPDATE audit_head SET last_id = 7, last_hash = (SELECT hash FROM audit_entries "
    "WHERE id = 7) WHERE id = 1",
    "DELETE FROM audit_checkpoints WHERE entry_id > 7",
]


def _configure(ctx: Context, **changes: Any) -> None:
    ctx.settings = ctx.settings.model_copy(update=changes)
    repository.bind_settings(ctx.sessions, ctx.settings)


@pytest.fixture
def witnessed(ctx: Context, tmp_path: Path) -> Context:
    """12 entries, checkpoints 1 and 2 (entries 5, 10) automatic, 3 (entry 12) by command."""
    _configure(ctx, audit_checkpoint_every=EVERY, audit_witness_file=str(tmp_path / "w"))
    append_entries(ctx, 12)
    assert checkpoint(ctx) is not None
    return ctx


def _sql(ctx: Context, *statements: str) -> None:
    with ctx.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _lines(ctx: Context) -> list[dict[str, Any]]:
    path = witness.path_of(ctx.settings)
    assert path is not None
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_checkpoint_is_witnessed_as_it_commits(witnessed: Context) -> None:
    assert [(r["number"], r["entry_id"]) for r in _lines(witnessed)] == [(1, 5), (2, 10),
                                                                          (3, 12)]
    report = verify_report(witnessed)
    assert report.broken is None and report.witnessed == 3 and report.warnings == []
    assert report.witnessed_entry == 12


@pytest.mark.parametrize(("statements", "kind", "entry"), [
    (CUT_TAIL, "tail", 8),
    (["DELETE FROM audit_checkpoints WHERE entry_id = 12"], "checkpoint", 12),
    (["DELETE FROM audit_checkpoints WHERE entry_id = 10"], "checkpoint", 12),
    (["DELETE FROM audit_entries WHERE id > 10", "UPDATE audit_head SET last_id = 10, "
      "last_hash = (SELECT hash FROM audit_entries WHERE id = 10)",
      "DELETE FROM audit_checkpoints WHERE entry_id = 12"], "tail", 11),
], ids=["tail cut, head rewound, checkpoints deleted", "checkpoint by command deleted",
        "middle checkpoint deleted", "tail cut after the last automatic checkpoint"])
def test_what_the_witness_shows(witnessed: Context, statements: list[str], kind: str,
                                entry: int) -> None:
    _sql(witnessed, *statements)
    broken = verify_report(witnessed).broken
    assert broken is not None and (broken.kind, broken.entry_id) == (kind, entry), broken


def test_without_a_witness_a_cut_tail_verifies_with_a_warning(witnessed: Context) -> None:
    _sql(witnessed, *CUT_TAIL)
    _configure(witnessed, audit_witness_file="off")
    report = verify_report(witnessed)
    assert report.broken is None  # what `verify` said of the probe before the witness
    assert report.warnings and "not witnessed" in report.warnings[0]


def test_a_rolled_back_checkpoint_is_not_witnessed(witnessed: Context) -> None:
    append_entries(witnessed, 1)
    with witnessed.uow() as uow:
        last_id, last_hash = repository.lock_head(uow.session)
        repository.add_checkpoint(uow.session, repository.signer_of(witnessed.settings),
                                  last_id, last_hash, witnessed.clock.now())
        # no commit: rolled back
    assert len(_lines(witnessed)) == 3 and verify_report(witnessed).broken is None


def test_a_record_lost_in_a_crash_is_a_warning_and_witness_catches_up(
        witnessed: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(path: Path, records: list[Any]) -> None:
        raise OSError("the process died between the commit and the witness record")

    with monkeypatch.context() as patched:
        patched.setattr(witness, "append", crash)
        append_entries(witnessed, 1)
        assert checkpoint(witnessed) is not None  # checkpoint 4 (entry 13), not witnessed
    report = verify_report(witnessed)
    assert report.broken is None and "up to 3, the database up to 4" in report.warnings[0]
    append_entries(witnessed, 1)
    latest, written = witness_head(witnessed)
    assert latest is not None and (latest.id, latest.entry_id, written) == (5, 14, 2)
    assert verify_report(witnessed).warnings == []


def test_witness_url_gets_each_record(witnessed: Context,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    posted: list[dict[str, Any]] = []

    class Answer:
        def raise_for_status(self) -> None:
            return None

    def fake_post(url: str, *, json: dict[str, Any], timeout: float) -> Answer:
        posted.append({"url": url, **json})
        return Answer()

    monkeypatch.setattr(witness.httpx, "post", fake_post)
    _configure(witnessed, audit_witness_url="https://witness.example/clearway")
    append_entries(witnessed, 3)  # entry 15: automatic checkpoint 4, posted from a thread
    deadline = time.monotonic() + 5
    while not posted and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [(p["number"], p["entry_id"]) for p in posted] == [(4, 15)]
    witness_head(witnessed)  # nothing new: the latest is posted again, waiting
    assert posted[-1]["number"] == 4 and len(_lines(witnessed)) == 4


@pytest.fixture
def cli(witnessed: Context, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Context]:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    monkeypatch.setenv("CLEARWAY_AUDIT_CHECKPOINT_EVERY", str(EVERY))
    monkeypatch.setenv("CLEARWAY_AUDIT_WITNESS_FILE", witnessed.settings.audit_witness_file or "")
    get_settings.cache_clear()
    yield witnessed
    get_settings.cache_clear()


def test_cli_reports_a_missing_tail(cli: Context, tmp_path: Path) -> None:
    runner = CliRunner()
    intact = runner.invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0 and "witnessed up to entry 12" in intact.output
    copy = tmp_path / "partner-copy"
    copy.write_text((tmp_path / "w").read_text())
    _sql(cli, *CUT_TAIL)
    for extra in ([], ["--witness", str(copy)]):
        cut = runner.invoke(app, ["audit", "verify", *extra])
        assert cut.exit_code == 1, cut.output
        assert "tail missing after entry 7" in cut.output and "entries 8 to 12" in cut.output


def test_cli_witness_command(cli: Context) -> None:
    append_entries(cli, 2)
    made = CliRunner().invoke(app, ["audit", "witness"])
    assert made.exit_code == 0 and "witnessed checkpoint 4: entry 14" in made.output
    assert _lines(cli)[-1]["entry_id"] == 14


def test_cli_a_deleted_witness_is_an_error(cli: Context, tmp_path: Path) -> None:
    """Each witnessed checkpoint advanced the database's mark as it committed: the file
    cannot vanish (here with the probe's cut) and leave `verify` saying intact."""
    _sql(cli, *CUT_TAIL)
    (tmp_path / "w").unlink()
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert "audit witness unusable" in result.output
    assert "held checkpoints 1 to 3, but it holds none of them" in result.output
