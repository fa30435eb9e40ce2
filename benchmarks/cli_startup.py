"""How long `clearway --help` takes, next to an empty Python start in the same run.

    uv run python benchmarks/cli_startup.py [--runs 7]

Runs, alternating so that noise hits all: `python -c pass`, `clearway --help`, `clearway
model --help`, `clearway audit verify --help` and `clearway risk --help` (each a fresh
process of this venv's Python), then prints the median wall time and its range, its ratio
to `python -c pass`, and the median CPU time (user + system: what the command costs,
whatever else the machine runs). Alternating keeps the ratio meaningful on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "clearway --help": [sys.executable, "-m", "clearway.cli", "--help"],
    "clearway model --help": [sys.executable, "-m", "clearway.cli", "model", "--help"],
    "clearway audit verify --help": [sys.executable, "-m", "clearway.cli", "audit", "verify",
                                     "--help"],
    # A group whose module still imports its domain's services at the top.
    "clearway risk --help": [sys.executable, "-m", "clearway.cli", "risk", "--help"],
}


def wall(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run."""
    env = {**os.environ, "CLEARWAY_ENV_FILE": "off", "COLUMNS": "100"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for argv in COMMANDS.values():  # warm the file cache and the bytecode once
        wall(argv)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, argv in COMMANDS.items():
            took, used = wall(argv)
            times[name].append(took)
            cpu[name].append(used)
    base = statistics.median(times["python -c pass"])
    print(f"{'command':30} {'median s':>9} {'min s':>7} {'max s':>7} {'x python':>9} "
          f"{'CPU s':>6}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:30} {median:9.3f} {min(values):7.3f} {max(values):7.3f} "
              f"{median / base:9.1f} {statistics.median(cpu[name]):6.2f}")
    print(f"({args.runs} runs each, alternating; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
