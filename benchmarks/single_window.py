"""Single-window benchmark: acceptance with agency routing and licence write-off, against the
same acceptance without them, in the same run.

Two fresh SQLite installations get the same generated 10-item declarations (the demo's goods:
fruit, fish, cheese, medicines, toys among them), each with an import licence (L001, a
register-managed code; one licence per HS chapter in the register) on its first item.
"with": the packaged regulatory matrix routes the items to the agencies whose rule applies
(tasks, their selection, holds) and the licence is checked against the register and written
off. "without": no matrix version and no managed code, so the same filings meet customs
only. Filings go one at a time through the acceptance use case (`clearance.lodging.submit`:
parse, validate, assess, accept, decide, in one transaction); rounds alternate so machine
noise hits both alike.

    uv run python benchmarks/single_window.py [--n 600] [--rounds 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from clearway.bootstrap import prepare
from clearway.clearance.lodging import submit
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.declarations.model import Declaration, Document
from clearway.demo.generator import DeclarationGenerator
from clearway.identity import Role, User
from clearway.licences import service as licences
from clearway.licences.schemas import LicenceIn
from clearway.storage.orm_agencies import AgencyTaskRow, MatrixVersionRow
from clearway.storage.orm_licences import LicenceWriteOffRow as WriteOffRow
from clearway.users.service import create_user

LICENCE = "BENCH-L001-{chapter}"
AGENCY = User(id=0, name="bench-agency", role=Role.AGENCY_OFFICER, trader_id="PH")


def installation(folder: Path, name: str, single_window: bool) -> tuple[Context, User]:
    settings = Settings(database_url=f"sqlite:///{folder / name}.db", environment="test",
                        licence_managed_codes=None if single_window else "NONE")
    ctx = build_context(settings)
    prepare(ctx)
    ref, today = ctx.refdata.get(), ctx.clock.now().date()
    trader = next(r["id"] for r in ref.rows("traders") if ref.trader(r["id"], today))
    with ctx.uow() as uow:
        if not single_window:  # no matrix: nothing is routed
            uow.session.execute(delete(MatrixVersionRow))
        user, _token = create_user(uow.session, name=f"bench-{name}", role="trader",
                                   trader_id=trader, now=ctx.clock.now(), ttl_days=1)
        uow.commit()
    ctx.matrix.invalidate()
    for c in range(1, 98) if single_window else ():  # a licence per chapter, never exhausted
        licences.register(ctx, LicenceIn.model_validate({
            "type": "L001", "number": LICENCE.format(chapter=f"{c:02d}"), "holder": trader,
            "valid_from": f"{today.year}-01-01", "valid_to": f"{today.year}-12-31",
            "countries": [], "single_use": False,
            "lines": [{"hs_prefix": f"{c:02d}", "description": f"Chapter {c}",
                       "quantity": "1000000000", "unit": "kg"}]}), AGENCY)
    return ctx, user


def filings(ctx: Context, trader: str, n: int) -> list[Declaration]:
    gen = DeclarationGenerator(ctx.refdata.get(), random.Random(42),
                               datetime.now(UTC).date())
    docs = []
    for i in range(n):
        doc = gen.declaration(f"SW-{i:07d}", declarant=trader, items=10)
        first = doc.items[0].model_copy(update={"documents": [
            *doc.items[0].documents,
            Document(code="L001", reference=LICENCE.format(
                chapter=doc.items[0].commodity_code[:2]))]})
        docs.append(doc.model_copy(update={"importer": doc.declarant,
                                           "items": [first, *doc.items[1:]]}))
    return docs


def lodge(ctx: Context, user: User, docs: list[Declaration], tag: str
          ) -> tuple[float, float, int]:
    """(filings per second of wall time, CPU milliseconds of this thread per filing,
    filings refused). The thread's CPU time is what other processes on a shared machine
    inflate least; the assessment's Polars worker threads, alike on both sides, are not in
    it."""
    bodies = [d.model_copy(update={"lrn": f"{d.lrn}-{tag}"}).model_dump_json(
        exclude_none=True).encode() for d in docs]
    refused = 0
    started, cpu = time.perf_counter(), time.thread_time()
    for body in bodies:
        refused += submit(ctx, body, "application/json", user).kind != "created"
    cpu_ms = (time.thread_time() - cpu) * 1000 / len(bodies)
    return len(bodies) / (time.perf_counter() - started), cpu_ms, refused


def counted(ctx: Context) -> tuple[int, int, Decimal]:
    with ctx.uow(read_only=True) as uow:
        s = uow.session
        tasks = s.scalar(select(func.count()).select_from(AgencyTaskRow)) or 0
        offs = s.scalar(select(func.count()).select_from(WriteOffRow)) or 0
        drawn = s.scalar(select(func.sum(WriteOffRow.quantity))) or Decimal(0)
    return tasks, offs, drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=600, help="filings per installation")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sides = {label: installation(Path(tmp), label, label == "with")
                 for label in ("without", "with")}
        trader = str(sides["with"][1].trader_id)
        docs = filings(sides["with"][0], trader, args.n)
        per_round = max(1, args.n // args.rounds)
        rates: dict[str, list[float]] = {k: [] for k in sides}
        cpus: dict[str, list[float]] = {k: [] for k in sides}
        for r in range(args.rounds):
            chunk = docs[r * per_round:(r + 1) * per_round]
            for label, (ctx, user) in sides.items():
                rate, cpu_ms, refused = lodge(ctx, user, chunk, f"{r}")
                if refused:
                    raise SystemExit(f"{label}: {refused} filings refused")
                rates[label].append(rate)
                cpus[label].append(cpu_ms)
                print(f"round {r + 1} {label:8s} {rate:7.1f} decl/s  {cpu_ms:6.2f} ms CPU "
                      "per filing", flush=True)
        tasks, offs, drawn = counted(sides["with"][0])
        print(f"with: {tasks} agency tasks, {offs} licence write-offs ({drawn} kg drawn)")
        with_rate = sum(rates["with"]) / len(rates["with"])
        without_rate = sum(rates["without"]) / len(rates["without"])
        print(f"without {without_rate:.1f} decl/s · with {with_rate:.1f} decl/s · "
              f"ratio {with_rate / without_rate:.2f} (aim ≥ 0.8)")
        with_cpu, without_cpu = (sum(cpus[k]) / len(cpus[k]) for k in ("with", "without"))
        print(f"CPU per filing: without {without_cpu:.2f} ms · with {with_cpu:.2f} ms · "
              f"ratio {without_cpu / with_cpu:.2f} (throughput in CPU time)")


if __name__ == "__main__":
    main()
