"""Balance simulation time: `clearway simulate balance` on the KCS stream at one rate.

Default: the KCS synthetic declarations, 2020 and 2021Q1 as one stream, replayed from
2020-04-01 (the first quarter is the labelled history) at 5 % with 10 % of Clearway's
inspections at random, seed 7. Prints the equivalent command, the time of each part (reading,
the replay) and the headline figures. Aim (issue 20): under 2 minutes for one rate.

    uv run python benchmarks/balance.py [--rate 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kcs_data import kcs_folder  # noqa: E402

from clearway.balance.simulation import Settings, run  # noqa: E402
from clearway.risk.learning.mapping import load_mapping, read_source  # noqa: E402


def main() -> None:
    kcs = kcs_folder()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append")
    parser.add_argument("--mapping", type=Path, default=ROOT / "mappings" / "kcs.toml")
    parser.add_argument("--start", default="2020-04-01")
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--random-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="Print the whole result")
    args = parser.parse_args()
    files = args.data or [kcs / "df_syn_train_eng.csv", kcs / "df_syn_valid_eng.csv"]
    missing = [f for f in files if not f.is_file()]
    if missing:
        sys.exit(f"no data at {missing[0]}")
    command = ["uv", "run", "clearway", "simulate", "balance"]
    for f in files:
        command += ["--data", str(f)]
    command += ["--mapping", str(args.mapping), "--start", args.start, "--rate",
                f"{args.rate:g}", "--random-share", f"{args.random_share:g}", "--seed",
                str(args.seed), "--json"]
    print("equivalent command:", shlex.join(command))
    mapping = load_mapping(args.mapping)
    started = time.perf_counter()
    frame = pl.concat([read_source(f, mapping) for f in files])
    read = time.perf_counter() - started
    settings = Settings(start=date.fromisoformat(args.start), rate=args.rate,
                        random_share=args.random_share, seed=args.seed)
    result = run(frame, mapping, settings)
    total = time.perf_counter() - started
    if args.json:
        print(json.dumps(result))
    s = result["strategies"]
    print(f"{result['weeks']} weeks, {result['items']} items, {result['trainings']} trainings: "
          f"reading {read:.1f} s, replay {total - read:.1f} s, total {total:.1f} s")
    print("caught: " + ", ".join(f"{n} {v['caught']}" for n, v in s.items())
          + f"; clearway / random {s['clearway']['caught'] / max(1, s['random']['caught']):.2f}"
          f", clearway / rules {s['clearway']['caught'] / max(1, s['rules']['caught']):.2f}")
    e = result["estimate"]
    print(f"estimate {e['rate']} [{e['low']}, {e['high']}], truth {result['truth']['rate']}, "
          f"covered {result['covered']}")


if __name__ == "__main__":
    main()
