"""Trader history benchmark: does a submission cost more as its trader's history grows?

Lodges N generated declarations, all by one trader (declarant and importer), through the real
use case in-process (`clearance.lodging.submit`: validation, acceptance, the risk decision
with the trader's record, events, audit, one transaction) on a fresh SQLite database, and
prints the mean time per submission in the first and the last 10 % and their ratio. The live
decision reads the maintained summary (`risk.trader_summary`): the ratio stays about 1.
`--point-in-time` gives the decision the history query instead (`history_store.trader_records`,
the path before the summary): its cost grows with the trader's filings.

    uv run python benchmarks/trader_history.py [--n 3000] [--point-in-time]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from clearway.bootstrap import prepare
from clearway.clearance import acceptance, early
from clearway.clearance.lodging import submit
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.demo.generator import DeclarationGenerator
from clearway.identity import Role, User
from clearway.risk.engine.frame import trader_of
from clearway.risk.learning.history_store import trader_records


def point_in_time(ctx: Context) -> None:
    """The decision reads the whole-history query, as before the summary existed."""
    def traders(session: Any, doc: Any) -> Any:
        return trader_records(session, [trader_of(doc)], until=ctx.clock.now())

    acceptance.traders = traders  # type: ignore[assignment]
    early.traders = traders  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=3000, help="declarations to lodge")
    parser.add_argument("--point-in-time", action="store_true",
                        help="decide with the history query (the former live path)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ctx = build_context(Settings(database_url=f"sqlite:///{tmp}/bench.db",
                                     environment="test"))
        prepare(ctx)
        if args.point_in_time:
            point_in_time(ctx)
        gen = DeclarationGenerator(ctx.refdata.get(), random.Random(3), ctx.clock.now().date())
        trader, other = gen.traders[:2]
        for i in range(20):  # warm-up (caches, first statements) by another trader
            doc = gen.declaration(f"WU-{i:07d}", declarant=other, items=2)
            submit(ctx, doc.model_dump_json(exclude_none=True).encode(), "application/json",
                   User(id=0, name="warm", role=Role.TRADER, trader_id=other))
        user = User(id=0, name="bench", role=Role.TRADER, trader_id=trader)
        times, accepted = [], 0
        for i in range(args.n):
            doc = gen.declaration(f"TH-{i:07d}", declarant=trader, items=2)
            doc.importer = doc.declarant  # one trader's history, growing
            body = doc.model_dump_json(exclude_none=True).encode()
            start = time.perf_counter()
            out = submit(ctx, body, "application/json", user)
            times.append(time.perf_counter() - start)
            assert out.kind in ("created", "rejected"), out.errors
            accepted += out.kind == "created"
        ctx.engine.dispose()
    tenth = max(1, args.n // 10)
    first, last = statistics.mean(times[:tenth]), statistics.mean(times[-tenth:])
    path = "point-in-time query" if args.point_in_time else "maintained summary"
    print(f"trader history ({path}): {args.n} submissions by one trader ({accepted} "
          "accepted), SQLite, in-process")
    print(f"  first 10 %: {first * 1000:.2f} ms/submission")
    print(f"  last 10 %:  {last * 1000:.2f} ms/submission")
    print(f"  ratio last/first: {last / first:.2f}")


if __name__ == "__main__":
    main()
