"""Progress of long commands, on stderr so that stdout stays the parseable result.

On a terminal a Rich spinner names the running phase and its elapsed time, and each finished
phase stays as a line with its duration; elsewhere (a pipe, a log, CI) each phase is one plain
line as it starts and the total as it ends, so a long run never looks hung.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from rich.console import Console
from rich.status import Status


class Phases:
    """`with Phases("model evaluate") as p: p("reading data"); ...; p("training")`."""

    def __init__(self, title: str, console: Console | None = None) -> None:
        self.title = title
        self.console = console or Console(stderr=True, highlight=False, soft_wrap=True)
        self._live = self.console.is_terminal
        self._phase: str | None = None
        self._started = self._phase_started = time.monotonic()
        self._status: Status | None = None

    def __enter__(self) -> Phases:
        self._started = time.monotonic()
        return self

    def __call__(self, phase: str) -> None:
        """Start `phase` (the previous one is done)."""
        self._finish_phase()
        self._phase, self._phase_started = phase, time.monotonic()
        if self._live:
            text = f"{self.title}: {phase}"
            if self._status is None:
                self._status = self.console.status(text)
                self._status.start()
            else:
                self._status.update(text)
        else:
            self.console.print(f"{self.title}: {phase} ...", markup=False, highlight=False)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        failed = kind is not None
        if not failed:
            self._finish_phase()
        if self._status is not None:
            self._status.stop()
        total = time.monotonic() - self._started
        if not failed:
            self.console.print(f"{self.title}: done in {_seconds(total)}", markup=False,
                               highlight=False)

    def _finish_phase(self) -> None:
        if self._phase is not None and self._live:
            took = _seconds(time.monotonic() - self._phase_started)
            self.console.print(f"  {self._phase} ({took})", markup=False, highlight=False)


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 120 else f"{int(value // 60)} min {int(value % 60)} s"


@contextmanager
def phase(title: str, what: str) -> Iterator[Phases]:
    """A single-phase command: `with phase("valuation rebuild", "computing ..."): ...`."""
    with Phases(title) as phases:
        phases(what)
        yield phases
