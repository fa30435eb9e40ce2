"""History at national scale: model training, the trader-record rebuild and a profile back-test
over 1 and 10 million history rows, in bounded memory.

For each size, synthetic history is written to Parquet part files in a temporary folder, a
chunk at a time (the generation is bounded too), in the three shapes the jobs read:
- canonical item rows with control outcomes (`clearway risk export-history`): 3 % of the
  declarations controlled, one in five of those irregular, with planted risk by importer and
  goods; 50,000 importers, 5,000 HS6 codes, five years;
- one row per declaration (trader, acceptance time, label): what `rebuild-trader-records`
  spills from the database and counts;
- the engine's item frames with outcomes (`clearway profiles export-history`, five of
  `synthetic_items.item_frame`'s 100,000-row frames in turn, with new declaration ids, dates
  and outcomes each time), five years of acceptance dates.
Then each job runs in a fresh process (`--job`) and the parent reads that process's wall time
and peak resident memory (`os.wait4`):
- train: `training.train_on_history` (features over the whole history, LightGBM on at most
  `MAX_LABELS` outcomes; `--rounds` fixed boosting rounds, default 60, to keep the run short);
- rebuild: `trader_summary.records_from` over the part files, then `store_records` into a
  fresh SQLite database's `trader_records` table;
- backtest: `backtest_files.run_files`, one profile over the five years.

    uv run python benchmarks/history_scale.py [--rows 1000000 10000000] [--rounds 60]
    uv run python benchmarks/history_scale.py --sample-cost --rows 2000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import polars as pl

CHUNK = 500_000
FRAME_ROWS = 100_000  # the engine's frames are wide: `backtest_files.PART_ROWS`
START, DAYS = date(2021, 12, 1), 5 * 365
IMPORTERS, GOODS = 50_000, 5_000
JOBS = ("train", "rebuild", "backtest")
PROFILE = {"code": "VAL-SHIRTS", "name": "Cheap shirts from Asia", "area": "valuation",
           "weight": 0.5, "min_channel": "yellow", "owner": "bench",
           "when": {"all": [{"field": "hs2", "in": ["61", "62"]},
                            {"field": "origin_country", "in": ["CN", "BD", "VN"]},
                            {"field": "trader_irregular_rate", "greater_than": 0.2}]}}


# --- synthetic history, a chunk at a time ----------------------------------------------

def canonical_chunks(rows: int, seed: int = 11) -> Iterator[pl.DataFrame]:
    """Canonical item rows (`history_store.history_frame`'s columns that training reads)."""
    rng = np.random.default_rng(seed)
    importer_risk = rng.normal(size=IMPORTERS) * 1.5
    goods_risk = rng.normal(size=GOODS)
    goods_price = np.exp(rng.normal(3, 0.7, GOODS))
    for first in range(0, rows, CHUNK):
        n = min(CHUNK, rows - first)
        decl = first + np.arange(n) // 3  # three items per declaration
        imp = rng.integers(0, IMPORTERS, n)
        hs = rng.integers(0, GOODS, n)
        days = (first + np.arange(n)) * DAYS // rows  # acceptance order, as exported
        controlled = (decl * 2_654_435_761) % 1000 < 30  # whole declarations, 3 %
        logit = importer_risk[imp] + goods_risk[hs] - 2.0
        bad = rng.random(n) < 1 / (1 + np.exp(-logit))
        mass = np.round(np.exp(rng.normal(4, 1.5, n)), 1)
        noise = np.exp(rng.normal(0, 0.3, n))  # undervaluation hides among honest prices
        value = np.round(mass * goods_price[hs] * noise * np.where(bad, 0.8, 1.0), 2)
        yield pl.DataFrame({
            "declaration_id": pl.Series(decl).cast(pl.String),
            "date": pl.Series(days + (START - date(1970, 1, 1)).days, dtype=pl.Int32)
            .cast(pl.Date),
            "importer_id": pl.Series(imp).cast(pl.String),
            "declarant_id": pl.Series(rng.integers(0, 400, n)).cast(pl.String),
            "seller_id": pl.Series(rng.integers(0, 80_000, n)).cast(pl.String),
            "office_id": pl.Series(rng.integers(0, 40, n)).cast(pl.String),
            "commodity_code": pl.Series(100_000 + hs * 37 % 900_000).cast(pl.String),
            "origin_country": np.array(["CN", "TR", "DE", "IN", "VN", "US", "BD"])[hs % 7],
            "departure_country": np.array(["CN", "TR", "DE", "NL"])[imp % 4],
            "transport_mode": np.array(["1", "3", "4"])[decl % 3],
            "net_mass": mass, "value": value, "tax_rate": np.choose(hs % 4, [0., 5., 10., 20.]),
            "label_irregular": pl.Series(np.where(controlled, bad, -1), dtype=pl.Int8)
            .replace(-1, None),
            "label_revenue": pl.Series(np.where(controlled, bad * value * 0.1, np.nan))
            .fill_nan(None)})


def declaration_chunks(rows: int, seed: int = 12) -> Iterator[pl.DataFrame]:
    """One row per declaration: trader, acceptance time, label (null: not controlled)."""
    rng = np.random.default_rng(seed)
    t0 = int(datetime(START.year, START.month, START.day, tzinfo=UTC).timestamp())
    for first in range(0, rows, CHUNK):
        n = min(CHUNK, rows - first)
        seconds = t0 + (first + np.arange(n)) * (DAYS * 86_400) // rows
        yield pl.DataFrame({
            "trader": pl.Series(rng.integers(0, IMPORTERS, n)).cast(pl.String),
            "at": pl.Series(seconds * 1_000_000, dtype=pl.Int64)
            .cast(pl.Datetime("us", "UTC")),
            "irregular": _outcomes(rng, n, pl.Int32)})


def _outcomes(rng: np.random.Generator, n: int, dtype: Any) -> pl.Series:
    """3 % controlled, one in five of those irregular; null: not controlled."""
    label = np.where(rng.random(n) < 0.03, (rng.random(n) < 0.2).astype(np.int32), -1)
    return pl.Series(label, dtype=dtype).replace(-1, None)


def frame_chunks(rows: int, seed: int = 13) -> Iterator[pl.DataFrame]:
    """The engine's item frames with `_declaration_id`, `_lodged` and `_outcome`."""
    from synthetic_items import item_frame

    rng = np.random.default_rng(seed)
    made: dict[tuple[int, int], pl.DataFrame] = {}  # `item_frame` builds Python lists: reuse a few
    for n, first in enumerate(range(0, rows, FRAME_ROWS)):
        size = min(FRAME_ROWS, rows - first)
        if (n % 5, size) not in made:
            made[(n % 5, size)] = item_frame(size, seed=seed + n % 5)
        frame = made[(n % 5, size)]
        decls = frame["_decl"].n_unique()  # numbered 0, 1, ... in each frame
        days = (first + np.arange(decls) * 3) * DAYS // rows  # about 3 items a declaration
        lodged = np.datetime64(START) + np.minimum(days, DAYS - 1).astype("timedelta64[D]")
        outcome = _outcomes(rng, decls, pl.Int8)
        ids = pl.Series(np.arange(decls) + first, dtype=pl.Int64)
        d = frame["_decl"]
        yield frame.with_columns(
            ids.gather(d).alias("_declaration_id"), ids.gather(d).cast(pl.String)
            .alias("_key"), pl.Series(lodged, dtype=pl.Date).gather(d).alias("_lodged"),
            outcome.gather(d).alias("_outcome"))


# --- the jobs, each in its own process ---------------------------------------------------

def run_job(job: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from clearway.risk.learning.history_files import scan, write_parts

    if job.startswith("generate-"):
        kind = job.removeprefix("generate-")
        chunks = {"train": canonical_chunks, "rebuild": declaration_chunks,
                  "backtest": frame_chunks}[kind](args.n)
        return {"rows": write_parts(chunks, folder / kind,
                                    part_rows=FRAME_ROWS if kind == "backtest" else CHUNK)}
    if job == "train":
        from clearway.clock import FixedClock
        from clearway.risk.learning.training import train_on_history

        ctx: Any = SimpleNamespace(clock=FixedClock(datetime(2027, 1, 1, tzinfo=UTC)))
        record = train_on_history(ctx, scan(folder / "train"), folder / "models",
                                  rounds=args.rounds)
        meta = record.metadata
        return {"labels": meta["labels"], "trained_on": meta.get("sample", {}).get(
            "rows", meta["labels"]), "auc": record.metrics.get("roc_auc")}
    if job == "rebuild":
        return _rebuild(folder)
    from clearway.profiles.backtest_files import run_files
    from clearway.profiles.parse import parse_profile

    result = run_files(folder / "backtest", parse_profile(PROFILE), START,
                       START + timedelta(days=DAYS))
    return {"declarations": result.declarations, "hits": result.hits,
            "irregular": result.irregular}


def _rebuild(folder: Path) -> dict[str, Any]:
    from clearway.bootstrap import prepare
    from clearway.composition import build_context
    from clearway.config import Settings
    from clearway.risk.learning.history_files import scan
    from clearway.risk.trader_summary import records_from, store_records

    ctx = build_context(Settings(database_url=f"sqlite:///{folder}/traders.db",
                                 environment="test"))
    prepare(ctx)
    records = records_from(scan(folder / "rebuild"))
    with ctx.uow() as uow:
        store_records(uow.session, records)
        uow.commit()
    return {"traders": records.height, "controls": int(records["controls"].sum())}


def sample_cost(rows: int, rounds: int) -> None:
    """What the training sample costs: train on the outcomes before the last fifth of the
    dates, once on all of them and once bounded to a third (every irregular one, a weighted
    share of the regular ones), and score both on the same later outcomes."""
    from clearway.clock import FixedClock
    from clearway.risk.learning.evaluation import metrics
    from clearway.risk.learning.features_scan import scan_features
    from clearway.risk.learning.history_files import scan, write_parts
    from clearway.risk.learning.registry import ModelRegistry
    from clearway.risk.learning.training import train_on_history

    ctx: Any = SimpleNamespace(clock=FixedClock(datetime(2027, 1, 1, tzinfo=UTC)))
    labelled = pl.col("label_irregular").is_not_null()
    with tempfile.TemporaryDirectory(prefix="history-scale-") as tmp:
        write_parts(canonical_chunks(rows), tmp)
        history = scan(tmp)
        cut = START + timedelta(days=DAYS * 4 // 5)
        train = history.filter(pl.col("date") < cut)
        later = labelled & (pl.col("date") >= cut)
        y = history.filter(later).select("label_irregular").collect()["label_irregular"]
        labels = train.select(labelled.sum()).collect().item()
        print(f"{'trained on':<28}{'roc_auc':>9}{'avg prec':>9}{'prec@5':>8}{'rec@10':>8}")
        for bound in (labels, labels // 3):
            record = train_on_history(ctx, train, Path(tmp) / "models", rounds=rounds,
                                      max_labels=bound)
            model = ModelRegistry(Path(tmp) / "models").load(
                record.version, expected_features=record.features)
            found = metrics(y.cast(pl.Int64).to_numpy(), model.predict(
                scan_features(history, later, prior=model.prior)))
            kept = record.metadata.get("sample", {}).get("rows", labels)
            print(f"{f'{kept:,} of {labels:,} outcomes':<28}{found['roc_auc']:>9.4f}"
                  f"{found['average_precision']:>9.4f}{found['precision@5']:>8.4f}"
                  f"{found['recall@10']:>8.4f}", flush=True)


def measure(job: str, folder: Path, args: argparse.Namespace, n: int) -> dict[str, Any]:
    """Run `job` in a fresh process; its wall time, peak RSS and answer."""
    cmd = [sys.executable, __file__, "--job", job, "--folder", str(folder), "--n", str(n),
           "--rounds", str(args.rounds)]
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{job} at {n} rows failed")
    return {"job": job, "rows": n, "seconds": seconds, "mib": usage.ru_maxrss / 1024,
            "answer": json.loads(output.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--rounds", type=int, default=60, help="boosting rounds (training)")
    parser.add_argument("--jobs", nargs="+", default=list(JOBS), choices=JOBS)
    parser.add_argument("--sample-cost", action="store_true",
                        help="instead: the quality the training sample costs, at --rows[0]")
    parser.add_argument("--job", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:
        print(json.dumps(run_job(args.job, args.folder, args)))
        return
    if args.sample_cost:
        sample_cost(args.rows[0], args.rounds)
        return
    results = []
    for n in args.rows:
        with tempfile.TemporaryDirectory(prefix="history-scale-") as tmp:
            for job in args.jobs:
                made = measure(f"generate-{job}", Path(tmp), args, n)
                print(f"  generated {job} history: {n:,} rows in {made['seconds']:.0f} s, "
                      f"peak {made['mib']:.0f} MiB", flush=True)
                results.append(measure(job, Path(tmp), args, n))
                print(f"  {job} at {n:,} rows: {results[-1]['seconds']:.1f} s, "
                      f"{results[-1]['mib']:.0f} MiB, {results[-1]['answer']}", flush=True)
    report(results, args.rows)


def report(results: list[dict[str, Any]], sizes: list[int]) -> None:
    print(f"\n{'job':<10}{'rows':>12}{'seconds':>10}{'peak MiB':>10}{'time x':>8}{'mem x':>8}")
    for r in results:
        base = next(b for b in results if b["job"] == r["job"] and b["rows"] == min(sizes))
        print(f"{r['job']:<10}{r['rows']:>12,}{r['seconds']:>10.1f}{r['mib']:>10.0f}"
              f"{r['seconds'] / base['seconds']:>8.1f}{r['mib'] / base['mib']:>8.2f}")


if __name__ == "__main__":
    main()
