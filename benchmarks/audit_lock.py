"""How long an acceptance holds the audit chain's head lock, next to the whole submission.

Every audited writer locks the head row to number its entries, so across API processes on
one PostgreSQL acceptances cannot overlap while it is held: 1 / (time held) bounds the
acceptances per second of the whole installation, however many processes serve it. Entries
are queued during the use case and written as it commits, so the lock covers those inserts
and the commit only. Sequential submissions through the service (no HTTP) on a fresh
database; the first `--warmup` are not counted.

    uv run python benchmarks/audit_lock.py --pg-url postgresql+psycopg://postgres@host/postgres
        [--n 400] [--warmup 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

from ingest import documents  # noqa: E402
from multiprocess import TRADER, fresh_database  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from clearway.audit import repository as audit_repo  # noqa: E402
from clearway.bootstrap import prepare  # noqa: E402
from clearway.clearance import lodging  # noqa: E402
from clearway.composition import build_context  # noqa: E402
from clearway.config import Settings  # noqa: E402
from clearway.users.service import create_user  # noqa: E402


def measure(url: str, n: int, warmup: int) -> tuple[list[float], list[float]]:
    ctx = build_context(Settings(database_url=url, environment="test"))
    prepare(ctx)
    with ctx.uow() as uow:
        user, _token = create_user(uow.session, name="lock-trader", role="trader",
                                   trader_id=TRADER, now=ctx.clock.now(), ttl_days=1)
        uow.commit()
    docs = documents(url, TRADER, n + warmup, "lock", items=10)
    locked_at: dict[int, float] = {}
    original = audit_repo.lock_head

    def timed_lock(session: Session) -> Any:
        locked_at.setdefault(id(session), time.perf_counter())
        return original(session)

    holds: list[float] = []

    def committed(session: Session) -> None:
        start = locked_at.pop(id(session), None)
        if start is not None:
            holds.append(time.perf_counter() - start)

    audit_repo.lock_head = timed_lock  # type: ignore[assignment]
    event.listen(Session, "after_commit", committed)
    totals: list[float] = []
    try:
        for data in docs:
            start = time.perf_counter()
            outcome = lodging.submit(ctx, data, "application/json", user)
            totals.append(time.perf_counter() - start)
            if outcome.kind != "created":
                raise SystemExit(f"submission answered {outcome.kind}")
    finally:
        event.remove(Session, "after_commit", committed)
        audit_repo.lock_head = original  # type: ignore[assignment]
        ctx.engine.dispose()
    return totals[warmup:], holds[warmup:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-url", required=True, help="PostgreSQL cluster")
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()
    with fresh_database(args.pg_url) as url:
        totals, holds = measure(url, args.n, args.warmup)
    total, held = statistics.median(totals), statistics.median(holds)
    print(f"PostgreSQL, {args.n} sequential 10-item submissions")
    print(f"submission p50 {total * 1000:.2f} ms; head lock held p50 {held * 1000:.2f} ms "
          f"({held / total:.0%} of it); bound across processes {1 / held:,.0f} acceptances/s")


if __name__ == "__main__":
    main()
