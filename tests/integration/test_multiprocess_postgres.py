"""Two real API server processes on one fresh PostgreSQL database (benchmarks/multiprocess.py,
reduced): concurrent identical submissions store one declaration with one MRN, MRNs stay
unique, and an office's capacity budget is not overspent by concurrent selections."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("CLEARWAY_TEST_POSTGRES_URL")
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not POSTGRES_URL, reason="CLEARWAY_TEST_POSTGRES_URL not set")]


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_multiprocess",
                                                  ROOT / "benchmarks" / "multiprocess.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_multiprocess", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def checks() -> dict[str, Any]:
    assert POSTGRES_URL
    bench = load_benchmark()
    done = bench.run_checks(POSTGRES_URL, clients=6, lrns=3, distinct=80, candidates=20)
    return {c.name.split(".")[0]: c for c in done}


@pytest.mark.parametrize("check", ["a", "b", "c"],
                         ids=["identical-submissions", "mrn-uniqueness", "capacity-budget"])
def test_two_processes_keep_the_invariant(checks: dict[str, Any], check: str) -> None:
    assert checks[check].ok, checks[check].figures
