"""The sweeps beside the server: each runs at once, a failing one is logged and does not stop
the others, and nothing runs again before its interval."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from clearway.ops.sweeps import SWEEPS, Sweep, run_sweeps


def test_each_sweep_runs_once_a_round_and_a_failure_stops_none(
        caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []

    def broken(ctx: Any) -> None:
        ran.append("broken")
        raise RuntimeError("database away")

    sweeps = (Sweep("first", 60.0, lambda ctx: ran.append("first")),
              Sweep("broken", 60.0, broken),
              Sweep("last", 60.0, lambda ctx: ran.append("last")))
    stop = threading.Event()
    calls = iter([False, True])  # two ticks: the second round finds nothing due
    stop.wait = lambda timeout=None: next(calls)  # type: ignore[method-assign]
    run_sweeps(object(), stop, sweeps, tick=0.0)  # type: ignore[arg-type]
    assert ran == ["first", "broken", "last"]
    assert "sweep broken failed" in caplog.text


def test_the_server_sweeps_deadlines_and_retention() -> None:
    assert {s.name for s in SWEEPS} == {"arrivals overdue", "exits unconfirmed", "retention"}
    assert all(s.interval > 0 for s in SWEEPS)
