"""The integrity page on a demo-sized database: the dashboard (indicators, cases, yearly
figures) and the audit chain's verification it loads beside it (`/console/integrity/chain`),
each timed over HTTP (FastAPI's TestClient) as an auditor.

    uv run python benchmarks/integrity_page.py --history 1500 --rounds 5

Seeds a demo administration (`clearway.demo.run.prepare_side`, `--history` declarations
over 60 days) into a temporary folder, or reuses `--db`. Rounds alternate the chain read as
it is now (plain column rows) and as it was before (ORM objects, kept below for the
comparison), so that noise hits both; the median of each is printed.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.app import create_app
from clearway.audit import repository
from clearway.audit.model import AuditEntry
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.storage.orm import AuditRow
from clearway.users.service import create_user


def orm_entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    """`repository.iter_entries` before: whole ORM objects per entry."""
    last = 0
    while True:
        rows = session.execute(select(AuditRow).where(AuditRow.id > last)
                               .order_by(AuditRow.id).limit(batch)).scalars().all()
        if not rows:
            return
        yield from (repository._entry(r) for r in rows)
        last = rows[-1].id


def demo_db(history: int, folder: Path) -> Path:
    from clearway.demo.region import pseudonym_keys
    from clearway.demo.run import prepare_side

    path = folder / "demo.db"
    prepare_side(path, history, pseudonym_keys_file=str(pseudonym_keys(folder)))
    return path


def auditor(ctx: Context) -> TestClient:
    with ctx.uow() as uow:
        _user, token = create_user(uow.session, name=f"bench-auditor-{time.time_ns()}",
                                   role="auditor", trader_id=None, now=ctx.clock.now(),
                                   ttl_days=1)
        uow.commit()
    client = TestClient(create_app(ctx))
    client.cookies.set("cw_token", token)
    return client


def timed(client: TestClient, path: str) -> float:
    start = time.perf_counter()
    answer = client.get(path)
    took = time.perf_counter() - start
    assert answer.status_code == 200, (path, answer.status_code)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--history", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", type=Path, help="a seeded demo database to reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or demo_db(args.history, Path(tmp))
        ctx = build_context(Settings(database_url=f"sqlite:///{path}",
                                     environment="development", country_code="RS",
                                     model_dir=str(path.parent / "demo-models")))
        client = auditor(ctx)
        timed(client, "/console/integrity")  # templates compiled, reference data read
        times: dict[str, list[float]] = {"dashboard": [], "chain now": [], "chain before": []}
        for _ in range(args.rounds):
            times["dashboard"].append(timed(client, "/console/integrity"))
            times["chain now"].append(timed(client, "/console/integrity/chain"))
            with mock.patch.object(repository, "iter_entries", orm_entries):
                times["chain before"].append(timed(client, "/console/integrity/chain"))
        with ctx.uow(read_only=True) as uow:
            entries = repository.head(uow.session)[0]
        print(f"audit entries: {entries}")
        for name, values in times.items():
            print(f"{name:>13}: median {statistics.median(values) * 1000:7.1f} ms "
                  f"(min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})")
        ctx.engine.dispose()


if __name__ == "__main__":
    main()
