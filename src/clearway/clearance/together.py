"""Calls that arrive at the same moment from several threads, made as one batch.

An API process checks each filing in a worker thread; when several arrive together, their risk
assessments are made in one engine call, because on a single declaration most of the engine's
cost is fixed (building frames and running queries over them, whatever their size). The first
caller that finds nobody working leads: it takes everything waiting (itself included, at most
`most`), runs it, hands each caller its own result, then passes the lead to the next caller
waiting, if any. A lone caller runs its own job at once: batching never adds a wait, it only
fills the time a caller would have spent waiting anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

J = TypeVar("J")
R = TypeVar("R")


class _Slot(Generic[J, R]):
    __slots__ = ("error", "finished", "job", "leading", "result", "wake")

    def __init__(self, job: J) -> None:
        self.job = job
        self.wake = threading.Event()
        self.finished = False
        self.leading = False
        self.result: R | None = None
        self.error: BaseException | None = None


class Together(Generic[J, R]):
    """`run(jobs)` returns one result per job, in order. If a batch fails, each of its jobs
    is run alone, so one bad job raises in its own caller only."""

    def __init__(self, run: Callable[[Sequence[J]], list[R]], most: int = 16) -> None:
        self._run = run
        self._most = most
        self._lock = threading.Lock()
        self._waiting: list[_Slot[J, R]] = []
        self._busy = False

    def __call__(self, job: J) -> R:
        me: _Slot[J, R] = _Slot(job)
        with self._lock:
            self._waiting.append(me)
            me.leading = not self._busy
            self._busy = True
        if not me.leading:
            me.wake.wait()  # woken with a result, or to lead
        if me.leading:
            while not me.finished:
                self._run_batch(me)
            self._pass_lead()
        if me.error is not None:
            raise me.error
        return me.result  # type: ignore[return-value]

    def _run_batch(self, leader: _Slot[J, R]) -> None:
        with self._lock:
            batch, self._waiting = self._waiting[:self._most], self._waiting[self._most:]
        try:
            results = self._run([s.job for s in batch])
            for slot, result in zip(batch, results, strict=True):
                slot.result = result
        except Exception:
            for slot in batch:
                self._run_alone(slot)
        for slot in batch:
            slot.finished = True
            if slot is not leader:
                slot.wake.set()

    def _run_alone(self, slot: _Slot[J, R]) -> None:
        try:
            slot.result = self._run([slot.job])[0]
        except Exception as exc:
            slot.error = exc

    def _pass_lead(self) -> None:
        with self._lock:
            if not self._waiting:
                self._busy = False
                return
            nxt = self._waiting[0]
            nxt.leading = True
        nxt.wake.set()
