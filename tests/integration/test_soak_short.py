"""Sustained load, short: the soak's probe and open loop for a few seconds on SQLite
(benchmarks/soak.py runs the ten-minute version). It asserts what must hold at any length —
every operation of the mix answered without error, notifications read and acknowledged,
the server's memory sampled — never a speed: rates are for the benchmark to print."""

from __future__ import annotations

from collections import Counter

from helpers import load_benchmark

soak = load_benchmark("soak")


def test_short_soak_answers_every_operation_of_the_mix() -> None:
    result = soak.run(minutes=0.25, share=0.5, probe_seconds=3.0, clients=4, workers=8,
                      mix=soak.parse_mix("submit=40,read=40,poll=20"))
    assert result.max_rate > 0
    failed = [s for s in result.samples if not s.ok]
    assert failed == [], f"{len(failed)} of {len(result.samples)} operations failed"
    kinds = Counter(s.kind for s in result.samples)
    assert set(kinds) == {"submit", "read", "poll"}, kinds
    # Open loop: every scheduled operation was sent and answered.
    assert len(result.samples) == int(result.rate * result.seconds)
    assert result.rss, "the server's memory was never sampled"
