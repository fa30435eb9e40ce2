"""Live model scoring: history snapshot build, batch throughput, single-declaration latency.

Trains a model on synthetic declarations (`evaluation.synthetic_declarations`), builds the
`HistorySnapshot` over about 500k history rows, then scores a batch of 1M item rows dated the
next day and single item rows one by one, next to LightGBM's `predict` alone on the same
precomputed feature matrix.

    uv run python benchmarks/model_scoring.py [--history 500000] [--batch 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from clearway.risk.learning.evaluation import synthetic_declarations  # noqa: E402
from clearway.risk.learning.features import FeatureConfig, build_features  # noqa: E402
from clearway.risk.learning.model import RiskModel  # noqa: E402
from clearway.risk.learning.scoring import HistorySnapshot, ModelScorer, canonical_rows  # noqa: E402

ABSENT = ("seller_id", "departure_country", "transport_mode")  # not in the synthetic data


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """Synthetic rows with every column `canonical_rows` gives (absent ones null)."""
    return frame.with_columns([pl.lit(None, dtype=pl.String).alias(c) for c in ABSENT])


def item_frame(rows: pl.DataFrame, items_per_declaration: int) -> pl.DataFrame:
    """The engine's item frame for canonical rows (n consecutive rows = one declaration)."""
    n = pl.int_range(pl.len(), dtype=pl.Int64)
    return rows.select(
        (n // items_per_declaration).alias("_decl"), pl.col("declaration_id").alias("_key"),
        pl.lit("IM").alias("declaration_type"), (n % items_per_declaration + 1).alias("item"),
        pl.col("date").alias("declaration_date"), "importer_id", "declarant_id", "seller_id",
        pl.col("office_id").alias("office"), "commodity_code", "origin_country",
        pl.col("departure_country").alias("dispatch_country"), "transport_mode", "net_mass",
        "value", "tax_rate")


def timed(label: str, fn: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()  # type: ignore[operator]
    took = time.perf_counter() - start
    print(f"{label:<46} {took:8.3f} s")
    return took, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=500_000)
    parser.add_argument("--batch", type=int, default=1_000_000)
    parser.add_argument("--train", type=int, default=100_000, help="training rows")
    parser.add_argument("--rounds", type=int, default=None, help="fixed boosting rounds")
    parser.add_argument("--singles", type=int, default=1000)
    args = parser.parse_args()

    days = 90
    total = args.history + args.batch
    data = canonical(synthetic_declarations(total, seed=11, days=days))
    cut = data["date"].sort()[args.history]
    history = data.filter(pl.col("date") < cut)
    later = data.filter(pl.col("date") >= cut).head(args.batch).with_columns(
        pl.lit(cut).alias("date")).drop("label_irregular")
    print(f"history rows {history.height:,} (until {cut}), batch rows {later.height:,}")

    config = FeatureConfig()
    train = history.head(args.train)
    _, features = timed("training features (build_features)",
                        lambda: build_features(train, config=config))
    _, model = timed("training LightGBM",
                     lambda: RiskModel.train(features, num_boost_round=args.rounds))
    print(f"model: {len(model.features)} features, {model.booster.num_trees()} trees")

    build, snapshot = timed(f"snapshot build ({history.height:,} rows)",
                            lambda: HistorySnapshot.build(history, config=config,
                                                          prior=model.prior))
    scorer = ModelScorer(model, snapshot, "bench")
    batch = item_frame(later, 3)

    score_s, scores = timed(f"batch score ({batch.height:,} items)", lambda: scorer.score(batch))
    agg_s, _ = timed("per-declaration aggregation",
                     lambda: scores.per_declaration())  # type: ignore[attr-defined]
    feats_s, parts = timed("  features alone (canonical rows, lookups)",
                           lambda: snapshot.parts(canonical_rows(batch)))
    matrix = scorer.matrix(parts)  # type: ignore[arg-type]
    predict_s, _ = timed("model.predict alone (precomputed matrix)",
                         lambda: model.booster.predict(matrix))

    step = max(1, batch.height // args.singles)
    singles = [batch[i:i + 1] for i in range(0, batch.height, step)][:args.singles]
    declarations = [batch.filter(pl.col("_decl") == d) for d in range(0, 3 * 300, 3)]

    def latency(fn: Callable[[pl.DataFrame], object], frames: list[pl.DataFrame]) -> list[float]:
        fn(frames[0])  # warm up
        took = []
        for frame in frames:
            start = time.perf_counter()
            fn(frame)
            took.append(time.perf_counter() - start)
        return took

    one_row = latency(lambda f: scorer.score(f).per_declaration(), singles)
    decision = latency(lambda f: scorer.score(f).reasons([int(f["_decl"][0])]), declarations)
    matrices = [scorer.matrix(snapshot.parts(canonical_rows(f))) for f in singles[:300]]
    predict_one = latency(lambda m: model.booster.predict(m, num_threads=1),
                          matrices)  # type: ignore[arg-type, return-value]

    def q(values: list[float], p: float) -> float:
        return float(np.quantile(np.array(values), p)) * 1000

    print()
    print(f"snapshot build                 {build:8.2f} s for {history.height:,} history rows")
    print(f"batch scoring                  {batch.height / (score_s + agg_s):12,.0f} items/s "
          f"({score_s + agg_s:.2f} s incl. aggregation; features {feats_s:.2f} s)")
    print(f"predict alone                  {batch.height / predict_s:12,.0f} items/s "
          f"(scoring / predict = {(score_s + agg_s) / predict_s:.2f})")
    print(f"single row p50 / p99           {q(one_row, 0.5):8.2f} / {q(one_row, 0.99):.2f} ms "
          f"(mean {statistics.mean(one_row) * 1000:.2f} ms, {len(one_row)} rows)")
    print(f"3-item declaration + reasons   {q(decision, 0.5):8.2f} / {q(decision, 0.99):.2f} ms "
          f"(p50 / p99, {len(decision)} declarations)")
    print(f"single predict alone p50 / p99 {q(predict_one, 0.5):8.2f} / "
          f"{q(predict_one, 0.99):.2f} ms")


if __name__ == "__main__":
    main()
