"""Profile and IPR matching speed: single declarations (p50/p99) and a batch frame (items/s).

500 synthetic profiles (`synthetic_items.profiles`) and 50 applications for action run on the
item frames of single generated declarations (the frame the engine builds for one filing) and
on one big synthetic item frame, through `ProfileSet.hits` and `IprRegister.hits`.

    uv run python benchmarks/profiles_speed.py [--profiles 500] [--singles 500] [--items 1000000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

from synthetic_items import BRANDS, DAY, item_frame, profiles  # noqa: E402

from clearway.demo.generator import DeclarationGenerator  # noqa: E402
from clearway.ipr.matcher import IprRegister  # noqa: E402
from clearway.ipr.model import IprApplication  # noqa: E402
from clearway.profiles.matcher import ProfileSet  # noqa: E402
from clearway.refdata.csvfiles import package_dir, read_directory  # noqa: E402
from clearway.refdata.model import RefDataSnapshot  # noqa: E402
from clearway.risk.engine.frame import flatten  # noqa: E402


def ipr_register(n: int) -> IprRegister:
    """`n` applications as in `benchmarks/risk.py`: one brand each, every HS code."""
    brands = BRANDS + [f"Brandname{i}" for i in range(n)]
    return IprRegister([IprApplication.model_validate({
        "reference": f"IPR-{i:04d}", "right_holder": f"Holder {i}", "contact": "ipr@example.org",
        "goods_description": "branded goods", "brands": [brands[i]],
        "valid_from": (DAY - timedelta(days=30)).isoformat(),
        "valid_to": (DAY + timedelta(days=300)).isoformat()}) for i in range(n)])


def single_frames(n: int, seed: int) -> list[pl.DataFrame]:
    """Item frames of `n` generated declarations (every tenth an ENS), and `n` one-declaration
    slices of a synthetic frame (whose HS codes and words the profiles test)."""
    ref = RefDataSnapshot.from_texts(read_directory(package_dir()))
    gen = DeclarationGenerator(ref, random.Random(seed), DAY)
    docs = [gen.entry_summary(f"E{i}") if i % 10 == 0 else gen.declaration(f"L{i}")
            for i in range(n // 2)]
    frames = [flatten([doc], [DAY], ref) for doc in docs]
    synthetic = item_frame(n * 2, seed)
    frames += [part.with_columns(pl.lit(0, pl.Int64).alias("_decl"))
               for part in synthetic.partition_by("_decl", maintain_order=True)[:n - len(docs)]]
    return frames


def latency(label: str, run: Callable[[pl.DataFrame], Any], frames: list[pl.DataFrame]) -> None:
    for frame in frames[:20]:  # warm up
        run(frame)
    took = []
    for frame in frames:
        start = time.perf_counter()
        run(frame)
        took.append(time.perf_counter() - start)
    q = statistics.quantiles(took, n=100)
    print(f"{label:32} p50 {q[49] * 1000:7.2f} ms   p99 {q[98] * 1000:7.2f} ms  "
          f"({len(frames)} declarations)", flush=True)


def throughput(label: str, run: Callable[[pl.DataFrame], Any], frame: pl.DataFrame) -> None:
    start = time.perf_counter()
    found = run(frame)
    took = time.perf_counter() - start
    print(f"{label:32} {frame.height / took:12,.0f} items/s  ({took:.2f} s, "
          f"{len(found):,} hits)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=500)
    parser.add_argument("--applications", type=int, default=50)
    parser.add_argument("--singles", type=int, default=500)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    matcher = ProfileSet(profiles(args.profiles, args.seed))
    register = ipr_register(args.applications)
    frames = single_frames(args.singles, args.seed)
    latency(f"{args.profiles} profiles, single", matcher.hits, frames)
    latency(f"{args.applications} IPR applications, single", register.hits, frames)
    if args.items:
        frame = item_frame(args.items, args.seed)
        throughput(f"{args.profiles} profiles, batch", matcher.hits, frame)
        throughput(f"{args.applications} IPR applications, batch", register.hits, frame)


if __name__ == "__main__":
    main()
