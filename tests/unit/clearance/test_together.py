"""Calls made together: each caller gets its own result, a batch never mixes up results, a
lone caller runs at once, and one bad job fails only its own caller."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from clearway.clearance.together import Together


class Recorder:
    """A run function that records its batches; the first batch waits until `hold` more
    callers are queued behind it, so the next batch is certain to hold them all."""

    def __init__(self, hold: int = 0, bad: int | None = None) -> None:
        self.batches: list[list[int]] = []
        self.hold = hold
        self.bad = bad
        self.together: Together[int, int] = Together(self.run, most=4)

    def run(self, jobs: Sequence[int]) -> list[int]:
        self.batches.append(list(jobs))
        if len(self.batches) == 1 and self.hold:
            deadline = time.monotonic() + 5
            while len(self.together._waiting) < self.hold and time.monotonic() < deadline:
                time.sleep(0.001)
        if self.bad is not None and self.bad in jobs:
            raise ValueError(f"bad job {self.bad}")
        return [j * 10 for j in jobs]


def test_a_lone_caller_runs_its_own_job_at_once() -> None:
    rec = Recorder()
    assert [rec.together(j) for j in (1, 2, 3)] == [10, 20, 30]
    assert rec.batches == [[1], [2], [3]]


@pytest.mark.parametrize("callers", [3, 4, 9])
def test_callers_queued_behind_a_batch_run_together_each_with_its_own_result(
        callers: int) -> None:
    rec = Recorder(hold=callers - 1)
    with ThreadPoolExecutor(callers) as pool:
        first = pool.submit(rec.together, 0)
        while not rec.batches:
            time.sleep(0.001)
        rest = {j: pool.submit(rec.together, j) for j in range(1, callers)}
        assert first.result(5) == 0
        assert {j: f.result(5) for j, f in rest.items()} == {j: j * 10 for j in rest}
    assert rec.batches[0] == [0]
    assert sorted(j for b in rec.batches[1:] for j in b) == list(range(1, callers))
    assert all(len(b) <= 4 for b in rec.batches)  # `most`
    assert len(rec.batches) == 1 + -(-(callers - 1) // 4)  # the queue in as few batches


def test_one_bad_job_fails_its_own_caller_only() -> None:
    rec = Recorder(hold=3, bad=2)
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(rec.together, 0)
        while not rec.batches:
            time.sleep(0.001)
        rest = {j: pool.submit(rec.together, j) for j in (1, 2, 3)}
        assert first.result(5) == 0
        assert rest[1].result(5) == 10 and rest[3].result(5) == 30
        with pytest.raises(ValueError, match="bad job 2"):
            rest[2].result(5)


def test_many_threads_each_get_their_own_answer() -> None:
    together: Together[int, int] = Together(lambda jobs: [j + 1 for j in jobs], most=8)
    results: dict[int, int] = {}

    def call(j: int) -> None:
        results[j] = together(j)

    threads = [threading.Thread(target=call, args=(j,)) for j in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == {j: j + 1 for j in range(200)}
    assert not together._busy and not together._waiting
