"""Crash durability, short: SIGKILL a real server under load twice, restart it, and check
that what the clients were told is what the database holds (benchmarks/crash.py runs the
long version). On SQLite always, on PostgreSQL when CLEARWAY_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
from typing import Any

import pytest

from helpers import load_benchmark

POSTGRES_URL = os.environ.get("CLEARWAY_TEST_POSTGRES_URL")

crash = load_benchmark("crash")
checks = load_benchmark("crash_checks")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_kills_lose_nothing_and_double_nothing(backend: str) -> None:
    if backend == "postgres" and not POSTGRES_URL:
        pytest.skip("needs CLEARWAY_TEST_POSTGRES_URL")
    result = crash.run(backend, kills=2, clients=3, seed=11, pg_url=POSTGRES_URL,
                       gap=(0.4, 1.0), resend_share=0.2)
    findings = result.findings
    assert findings.problems == []
    assert findings.audit_verify.startswith("ok")
    assert len(result.ready_s) == 2
    accepted = [s for s in result.subs if s.mrns]
    assert accepted, "no load reached the server"
    assert findings.stored == len({s.lrn for s in result.subs if s.statuses})


class Row:
    def __init__(self, mrn: str | None) -> None:
        self.mrn = mrn


# The checker itself must catch what it is there to catch.
@pytest.mark.parametrize(("answers", "no_answer", "stored", "kind"), [
    ({"statuses": [201], "mrns": ["M1"]}, 0, [], "lost"),
    ({"statuses": [201], "mrns": ["M1"]}, 1, [], "lost"),
    ({"statuses": [422], "mrns": []}, 2, [], "lost"),
    ({"statuses": [201], "mrns": ["M1"]}, 0, ["M1", "M2"], "duplicates"),
    ({"statuses": [201], "mrns": ["M1"]}, 0, ["M2"], "mismatches"),
    ({"statuses": [201, 200], "mrns": ["M1", "M9"]}, 0, ["M1"], "mismatches"),
    ({"statuses": [500], "mrns": []}, 0, [], "server_errors"),
])
def test_checker_flags_each_kind_of_violation(answers: dict[str, Any], no_answer: int,
                                              stored: list[str], kind: str) -> None:
    sub = crash.Submission("L1", b"{}", no_answer=no_answer, **answers)
    findings = checks.Findings()
    checks._check_submission(sub, [Row(m) for m in stored], findings)
    assert getattr(findings, kind) == 1
    assert len(findings.problems) == 1


def test_checker_accepts_a_clean_retry() -> None:
    sub = crash.Submission("L1", b"{}", statuses=[200], mrns=["M1"], no_answer=1)
    findings = checks.Findings()
    checks._check_submission(sub, [Row("M1")], findings)
    assert findings.problems == []
