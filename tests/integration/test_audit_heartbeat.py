"""The server witnesses the head itself (`audit.heartbeat`), and a witness file that vanished
or shrank is an error, not "intact". The review's probe (finding F4): under default settings
(a checkpoint every 1000 entries), 45 entries, none checkpointed; cut 41-45, rewind the
head: `verify` said intact. Ticks are called directly: no sleeps."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from audit_chains import append_entries
from clearway.audit import repository, witness
from clearway.audit.heartbeat import attach_witness, run_witness, witness_if_moved
from clearway.audit.service import verify_report, witness_head
from clearway.context import Context


def _configure(ctx: Context, **changes: Any) -> None:
    ctx.settings = ctx.settings.model_copy(update=changes)
    repository.bind_settings(ctx.sessions, ctx.settings)


@pytest.fixture
def served(ctx: Context, tmp_path: Path) -> Context:
    """Default settings; PostgreSQL has no default witness file, so it is given one."""
    assert ctx.settings.audit_checkpoint_every == 1000
    assert ctx.settings.audit_witness_seconds == 60
    if ctx.engine.dialect.name != "sqlite":
        _configure(ctx, audit_witness_file=str(tmp_path / "clearway.db.audit-witness"))
    return ctx


def _cut_after(ctx: Context, last: int) -> None:
    """The probe: entries after `last` deleted, the head rewound, checkpoints naming the
    cut entries deleted."""
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE id > :n"), {"n": last})
        conn.execute(text("UPDATE audit_head SET last_id = :n, last_hash = (SELECT hash FROM "
                          "audit_entries WHERE id = :n) WHERE id = 1"), {"n": last})
        conn.execute(text("DELETE FROM audit_checkpoints WHERE entry_id > :n"), {"n": last})


def _witness_path(ctx: Context) -> Path:
    path = witness.path_of(ctx.settings)
    assert path is not None
    return path


def test_the_tick_witnesses_when_the_head_moved_and_not_otherwise(served: Context) -> None:
    assert witness_if_moved(served) is None  # an empty chain
    append_entries(served, 3)
    made = witness_if_moved(served)
    assert made is not None and (made.id, made.entry_id) == (1, 3)
    lines = _witness_path(served).read_text()
    assert witness_if_moved(served) is None  # the head did not move: nothing written
    assert _witness_path(served).read_text() == lines
    append_entries(served, 2)
    made = witness_if_moved(served)
    assert made is not None and (made.id, made.entry_id) == (2, 5)
    assert len(_witness_path(served).read_text().splitlines()) == 2


@pytest.mark.parametrize(("cut_after", "found"), [
    (40, ("tail", 41)),  # the probe: entries 41-45 cut after the server witnessed 45
    (44, ("tail", 45)),  # the boundary: the witnessed entry itself
    (45, None),  # the window that remains: entries after the latest tick (46-50)
], ids=["F4 probe", "witnessed entry cut", "entries since the last tick"])
def test_f4_a_cut_tail_without_automatic_checkpoint(served: Context, cut_after: int,
                                                    found: tuple[str, int] | None) -> None:
    append_entries(served, 45)
    assert witness_if_moved(served) is not None  # the server's tick: checkpoint 1, entry 45
    append_entries(served, 5)
    _cut_after(served, cut_after)
    for deep in (False, True):
        broken = verify_report(served, deep=deep).broken
        assert (broken and (broken.kind, broken.entry_id)) == found, broken


def _delete(path: Path) -> None:
    path.unlink()


def _empty(path: Path) -> None:
    path.write_text("")


def _drop_last(path: Path) -> None:
    path.write_text("".join(f"{line}\n" for line in path.read_text().splitlines()[:-1]))


LOST = ("witness", 0)


@pytest.mark.parametrize(("damage", "cut", "found"), [
    (_delete, False, LOST), (_empty, False, LOST), (_drop_last, False, LOST),
    (_delete, True, LOST), (_empty, True, LOST),
    (_drop_last, True, ("tail", 41)),  # record 1 (entry 45) is still there
], ids=["deleted", "emptied", "last record dropped", "cut, witness deleted",
        "cut, witness emptied", "cut, last record dropped"])
def test_a_witness_that_vanished_or_shrank_is_an_error(served: Context, damage: Any,
                                                      cut: bool, found: tuple[str, int]
                                                      ) -> None:
    append_entries(served, 45)
    witness_if_moved(served)
    append_entries(served, 3)
    witness_if_moved(served)  # checkpoints 1 (entry 45) and 2 (entry 48) witnessed
    if cut:
        _cut_after(served, 40)
    damage(_witness_path(served))
    broken = verify_report(served).broken
    assert broken is not None and (broken.kind, broken.entry_id) == found, broken
    if found == LOST:
        assert "held checkpoints 1 to 2" in broken.reason
        assert "deleted, cut or replaced" in broken.reason
    # Refilling the file from the database would hide the cut: the server refuses.
    append_entries(served, 1)
    with pytest.raises(witness.AuditWitnessError, match="Not rewritten"):
        witness_head(served)
    after = verify_report(served).broken
    assert after is not None and after.kind == broken.kind


def test_both_sides_edited_consistently_is_only_a_warning(served: Context) -> None:
    """What remains: whoever drops the last record and rewinds the database's mark too."""
    append_entries(served, 45)
    witness_if_moved(served)
    append_entries(served, 3)
    witness_if_moved(served)
    _drop_last(_witness_path(served))
    with served.engine.begin() as conn:
        conn.execute(text("UPDATE audit_head SET last_id = 1 WHERE id = 2"))
    report = verify_report(served)
    assert report.broken is None and "holds checkpoints up to 1, the database up to 2" \
        in report.warnings[0]


def test_a_missing_witness_before_anything_was_witnessed_is_a_warning(
        served: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    def unwritable(path: Path, records: list[Any]) -> None:
        raise OSError("read-only file system")

    monkeypatch.setattr(witness, "append", unwritable)
    append_entries(served, 3)
    with pytest.raises(witness.AuditWitnessError, match="Cannot write"):
        witness_head(served)  # the checkpoint commits; its record is not written
    report = verify_report(served)
    assert report.broken is None and "holds checkpoints up to 0" in report.warnings[0]


class Ticks(threading.Event):
    """A stop event whose wait returns at once: `intervals` times "go on", then "stop"."""

    def __init__(self, intervals: int) -> None:
        super().__init__()
        self.left = intervals

    def wait(self, timeout: float | None = None) -> bool:
        self.left -= 1
        return self.left < 0


@pytest.mark.parametrize("intervals", [0, 3])
def test_the_loop_ticks_each_interval_and_once_more_as_it_stops(intervals: int) -> None:
    ticked: list[object] = []
    run_witness(object(), interval=60, stop=Ticks(intervals),  # type: ignore[arg-type]
                tick=ticked.append)
    assert len(ticked) == intervals + 1


@pytest.fixture
def app_with_lifespan() -> Iterator[tuple[FastAPI, list[str]]]:
    events: list[str] = []
    app = FastAPI()

    @asynccontextmanager
    async def inner(_: FastAPI) -> AsyncIterator[None]:
        events.append("inner started")
        yield
        events.append("inner stopped")

    app.router.lifespan_context = inner
    yield app, events


def test_the_server_witnesses_around_its_other_lifespan(
        served: Context, app_with_lifespan: tuple[FastAPI, list[str]]) -> None:
    app, events = app_with_lifespan
    _configure(served, audit_witness_seconds=3600)  # only the tick as the server stops
    attach_witness(app, served)
    with TestClient(app):
        append_entries(served, 7)
        assert events == ["inner started"]
    assert events == ["inner started", "inner stopped"]
    report = verify_report(served)
    assert report.broken is None and report.witnessed_entry == 7


def test_no_thread_when_disabled(served: Context,
                                 app_with_lifespan: tuple[FastAPI, list[str]]) -> None:
    app, _ = app_with_lifespan
    before = app.router.lifespan_context
    _configure(served, audit_witness_seconds=0)
    attach_witness(app, served)
    assert app.router.lifespan_context is before
