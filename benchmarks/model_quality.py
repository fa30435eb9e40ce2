"""Risk-model quality: the learned model against random selection and a plain LightGBM.

Runs the evaluation harness of `clearway model evaluate` (issue 3, item 11) and prints the
equivalent command and the table. Default: KCS synthetic declarations, train on 2020, test on
2021Q1, with test labels hidden (histories from the training year only).

    uv run python benchmarks/model_quality.py [--online] [--json]
    uv run python benchmarks/model_quality.py --data F.csv --mapping M.toml --train-until D
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from kcs_data import kcs_folder  # noqa: E402

from clearway.cli.model import print_report  # noqa: E402
from clearway.risk.learning.evaluation import evaluate, split_until  # noqa: E402
from clearway.risk.learning.mapping import load_mapping, read_source  # noqa: E402


def main() -> None:
    kcs = kcs_folder()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=kcs / "df_syn_train_eng.csv")
    parser.add_argument("--test-data", type=Path, default=kcs / "df_syn_valid_eng.csv")
    parser.add_argument("--no-test-data", action="store_true",
                        help="Split --data at --train-until instead")
    parser.add_argument("--mapping", type=Path, default=ROOT / "mappings" / "kcs.toml")
    parser.add_argument("--train-until", default="2020-12-31")
    parser.add_argument("--rates", default="1,2,5,10")
    parser.add_argument("--online", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.data.is_file():
        sys.exit(f"no data at {args.data}")

    command = ["uv", "run", "clearway", "model", "evaluate", "--data", str(args.data)]
    if not args.no_test_data:
        command += ["--test-data", str(args.test_data)]
    command += ["--mapping", str(args.mapping), "--train-until", args.train_until,
                "--rates", args.rates] + (["--online"] if args.online else [])
    print("equivalent command:", shlex.join(command))

    mapping = load_mapping(args.mapping)
    until = date.fromisoformat(args.train_until)
    frame = read_source(args.data, mapping)
    if args.no_test_data:
        train, test = split_until(frame, until)
    else:
        train, test = split_until(frame, until)[0], read_source(args.test_data, mapping)
    started = time.perf_counter()
    result = evaluate(train, test, mapping, rates=[float(r) for r in args.rates.split(",")],
                      online=args.online)
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps(result.report))
    else:
        print_report(result.report, f"train {result.train_rows} rows, test {result.test_rows} "
                                    f"rows, {seconds:.1f} s, model rounds "
                                    f"{result.model.info['rounds']}")


if __name__ == "__main__":
    main()
