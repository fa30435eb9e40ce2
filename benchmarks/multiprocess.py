"""Two API processes on one PostgreSQL: identical submissions, MRN uniqueness, capacity budgets.

A fresh database in the cluster of `--pg-url` (dropped at the end), two `clearway serve`
processes on it, client threads split across both: (a) concurrent identical submissions (same
LRN and body, released by a barrier; K LRNs) store one declaration and every 2xx carries the
same MRN; (b) thousands of distinct submissions at once get distinct MRNs, one row per 2xx;
(c) concurrent soft red selections at one office never overspend its daily red/yellow budget,
and its usage rows equal the decisions made. Prints a table; exits non-zero on a failure.

    uv run python benchmarks/multiprocess.py --pg-url postgresql+psycopg://postgres@host/postgres
        [--clients 16] [--quick]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

from ingest import documents, free_port  # noqa: E402

from clearway.bootstrap import prepare  # noqa: E402
from clearway.composition import build_context  # noqa: E402
from clearway.config import Settings  # noqa: E402
from clearway.profiles import service as profiles  # noqa: E402
from clearway.profiles.parse import parse_profile  # noqa: E402
from clearway.risk import repository as risk_repo  # noqa: E402
from clearway.risk.engine.decision import Channel  # noqa: E402
from clearway.storage.orm import DeclarationRow  # noqa: E402
from clearway.storage.orm_risk import CapacityUsageRow, RiskDecisionRow  # noqa: E402
from clearway.users.service import create_user  # noqa: E402

TRADER = "RS100234567"  # declarant of every submission (AEO: the importer below is not)
NON_AEO = "RS101456782"
OFFICE = "RS001002"
BUDGET = {Channel.RED: 5, Channel.YELLOW: 3}
# Soft (no minimum channel) so that the budget applies: only the capacity documents match.
PROFILE = {"code": "MP-CAPACITY", "name": "Multiprocess capacity check", "area": "valuation",
           "weight": 1.0, "owner": "bench",
           "when": {"all": [{"field": "office", "in": [OFFICE]},
                            {"field": "importer_id", "in": [NON_AEO]}]}}


@dataclass
class Check:
    name: str
    figures: str
    ok: bool
    seconds: float


@dataclass
class Answer:
    status: int
    mrn: str | None


@contextmanager
def fresh_database(pg_url: str) -> Iterator[str]:
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"clearway_mp_{os.getpid()}_{time.time_ns() % 10**9}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare_database(url: str) -> str:
    """Migrate, load reference data, the trader's token, the capacity profile and budget."""
    ctx = build_context(Settings(database_url=url, environment="test"))
    prepare(ctx)
    with ctx.uow() as uow:
        _user, token = create_user(uow.session, name="mp-trader", role="trader",
                                   trader_id=TRADER, now=ctx.clock.now(), ttl_days=1)
        for channel, places in BUDGET.items():
            risk_repo.set_budget(uow.session, OFFICE, channel, places)
        uow.commit()
    profiles.create(ctx, parse_profile(PROFILE), "risk_analyst:bench")
    profiles.activate(ctx, str(PROFILE["code"]), None, "risk_analyst:bench")
    ctx.engine.dispose()
    return token


@contextmanager
def servers(url: str, count: int = 2, extra_env: dict[str, str] | None = None,
            pids: list[int] | None = None) -> Iterator[list[int]]:
    """`count` separate `clearway serve` processes on the database; yields their ports (and
    appends their process ids to `pids`)."""
    env = {**os.environ, "CLEARWAY_DATABASE_URL": url, "CLEARWAY_ENVIRONMENT": "test",
           **(extra_env or {})}
    procs: list[subprocess.Popen[bytes]] = []
    ports: list[int] = []
    try:
        with tempfile.TemporaryDirectory() as logs:
            with ThreadPoolExecutor(count) as pool:  # the servers start side by side
                for proc, port in pool.map(lambda i: start_server(env, Path(logs) / f"{i}.log"),
                                           range(count)):
                    procs.append(proc)
                    ports.append(port)
            if pids is not None:
                pids.extend(p.pid for p in procs)
            yield ports
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)


def start_server(env: dict[str, str], log: Path,
                 seconds: float = 90) -> tuple[subprocess.Popen[bytes], int]:
    """Ready when it says it listens: a free port can be taken by another program between
    choosing and binding (then this server exits and another port is tried), and a /healthz
    answer alone could come from that other program."""
    command = [str(Path(sys.executable).parent / "clearway"), "serve", "--port"]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        port = free_port()
        with log.open("wb") as out:
            proc = subprocess.Popen([*command, str(port)], env=env, stdout=out, stderr=out)
        while proc.poll() is None and time.monotonic() < deadline:
            if f"running on http://127.0.0.1:{port}" in log.read_text(errors="replace"):
                return proc, port
            time.sleep(0.2)
        proc.kill()
        proc.wait()
    raise RuntimeError(f"no server ready after {seconds:.0f} s: {log.read_text()[-500:]}")


class Client:
    """One keep-alive connection per (thread, port)."""

    def __init__(self, token: str) -> None:
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.local = threading.local()

    def post(self, port: int, body: bytes) -> Answer:
        conns = self.local.__dict__.setdefault("conns", {})
        for attempt in (0, 1):  # a dropped keep-alive connection is reopened once
            conn = conns.get(port) or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conns[port] = conn
            try:
                conn.request("POST", "/api/v1/declarations", body=body, headers=self.headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                conns.pop(port)
                if attempt:
                    return Answer(-1, None)
        mrn = json.loads(data).get("mrn") if response.status < 300 else None
        return Answer(response.status, mrn)


def in_threads(n: int, work: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def stored_with_lrn(url: str, lrns: list[str]) -> Counter[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(DeclarationRow.lrn, func.count()).where(
            DeclarationRow.lrn.in_(lrns), DeclarationRow.status != "rejected")
            .group_by(DeclarationRow.lrn)).all()
    engine.dispose()
    return Counter({lrn: n for lrn, n in rows})


def check_identical(url: str, ports: list[int], client: Client, docs: list[bytes],
                    clients: int) -> Check:
    """a. `clients` threads send the same document at once, alternating between servers."""
    started = time.perf_counter()
    bad: list[str] = []
    statuses: Counter[int] = Counter()
    for doc in docs:
        barrier = threading.Barrier(clients)
        answers: list[Answer] = [Answer(0, None)] * clients

        def send(i: int, doc: bytes = doc, barrier: threading.Barrier = barrier,
                 answers: list[Answer] = answers) -> None:
            barrier.wait()
            answers[i] = client.post(ports[i % len(ports)], doc)

        in_threads(clients, send)
        statuses.update(a.status for a in answers)
        mrns = {a.mrn for a in answers if 200 <= a.status < 300}
        created = sum(a.status == 201 for a in answers)
        if len(mrns) != 1 or created != 1 or any(a.status >= 300 for a in answers):
            seen = sorted(Counter(a.status for a in answers).items())
            bad.append(f"{json.loads(doc)['lrn']}: {seen}")
    lrns = [json.loads(d)["lrn"] for d in docs]
    stored = stored_with_lrn(url, lrns)
    bad += [f"{lrn}: stored {stored[lrn]}x" for lrn in lrns if stored[lrn] != 1]
    figures = (f"{len(docs)} LRNs x {clients} senders; answers {dict(sorted(statuses.items()))}; "
               f"stored once: {sum(stored[lrn] == 1 for lrn in lrns)}/{len(docs)}")
    if bad:
        figures += "; FAILED " + "; ".join(bad[:5])
    return Check("a. identical submissions", figures, not bad, time.perf_counter() - started)


def spread(ports: list[int], client: Client, docs: list[bytes], clients: int) -> list[Answer]:
    """Every document once, `clients` threads taking the next one, alternating servers."""
    answers: list[Answer] = [Answer(0, None)] * len(docs)
    lock, cursor = threading.Lock(), [0]

    def work(t: int) -> None:
        while True:
            with lock:
                i = cursor[0]
                cursor[0] += 1
            if i >= len(docs):
                return
            answers[i] = client.post(ports[(i + t) % len(ports)], docs[i])

    in_threads(clients, work)
    return answers


def check_mrns(url: str, ports: list[int], client: Client, docs: list[bytes],
               clients: int) -> Check:
    """b. distinct submissions at once: distinct MRNs, one stored row per 2xx."""
    started = time.perf_counter()
    answers = spread(ports, client, docs, clients)
    seconds = time.perf_counter() - started
    ok_answers = [a for a in answers if 200 <= a.status < 300]
    mrns = [a.mrn for a in ok_answers]
    stored = sum(stored_with_lrn(url, [json.loads(d)["lrn"] for d in docs]).values())
    statuses = dict(sorted(Counter(a.status for a in answers).items()))
    ok = (len(set(mrns)) == len(mrns) == len(docs) == stored and None not in mrns)
    figures = (f"{len(docs)} submissions, {clients} clients: answers {statuses}; distinct MRNs "
               f"{len(set(mrns))}; stored {stored}; {len(docs) / seconds:.0f} decl/s")
    return Check("b. MRN uniqueness", figures, ok, seconds)


def capacity_documents(base: list[bytes]) -> list[bytes]:
    """Documents the profile selects red: lodged at OFFICE for the non-AEO importer."""
    out = []
    for raw in base:
        doc = json.loads(raw)
        doc["importer"], doc["offices"] = {"id": NON_AEO}, {"lodgement": OFFICE}
        out.append(json.dumps(doc).encode())
    return out


def check_capacity(url: str, ports: list[int], client: Client, docs: list[bytes],
                   clients: int) -> Check:
    """c. concurrent red candidates at one office: budget never overspent, usage = decisions."""
    started = time.perf_counter()
    answers = spread(ports, client, docs, clients)
    engine = create_engine(url)
    with engine.connect() as conn:
        decided = Counter(dict(conn.execute(
            select(RiskDecisionRow.channel, func.count()).where(RiskDecisionRow.office == OFFICE)
            .group_by(RiskDecisionRow.channel)).all()))
        used = {c: n for c, n in conn.execute(select(
            CapacityUsageRow.channel, func.sum(CapacityUsageRow.used))
            .where(CapacityUsageRow.office == OFFICE).group_by(CapacityUsageRow.channel))}
    engine.dispose()
    within = all(decided[str(c)] <= n for c, n in BUDGET.items())
    usage_true = all(used.get(str(c), 0) == decided[str(c)] for c in BUDGET)
    created = sum(a.status == 201 for a in answers)
    ok = within and usage_true and created == len(docs)
    figures = (f"{len(docs)} red candidates, budget {({str(c): n for c, n in BUDGET.items()})}; "
               f"201: {created}; decisions {dict(sorted(decided.items()))}; usage rows "
               f"{dict(sorted(used.items()))}; within budget: {within}; usage = decisions: "
               f"{usage_true}")
    return Check("c. capacity budgets", figures, ok, time.perf_counter() - started)


def run_checks(pg_url: str, *, clients: int, lrns: int, distinct: int,
               candidates: int) -> list[Check]:
    with fresh_database(pg_url) as url:
        token = prepare_database(url)
        tag = str(time.time_ns())
        same = documents(url, TRADER, lrns, f"S{tag}", items=2)
        many = documents(url, TRADER, distinct, f"M{tag}", items=2)
        cap = capacity_documents(documents(url, TRADER, candidates, f"C{tag}", items=2))
        client = Client(token)
        # Random selections ignore budgets (docs/risk-engine.md): keep them out of (c).
        with servers(url, extra_env={"CLEARWAY_RANDOM_SHARE": "0"}) as ports:
            return [check_identical(url, ports, client, same, clients),
                    check_capacity(url, ports, client, cap, clients),
                    check_mrns(url, ports, client, many, clients)]


def print_table(checks: list[Check]) -> None:
    print(f"\n{'check':26} {'result':6} {'wall s':>7}  figures")
    for c in checks:
        print(f"{c.name:26} {'pass' if c.ok else 'FAIL':6} {c.seconds:7.1f}  {c.figures}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-url", default=os.environ.get("CLEARWAY_BENCH_POSTGRES_URL"),
                        required="CLEARWAY_BENCH_POSTGRES_URL" not in os.environ)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = (dict(lrns=5, distinct=300, candidates=30) if args.quick
             else dict(lrns=20, distinct=3000, candidates=60))
    started = time.perf_counter()
    checks = run_checks(args.pg_url, clients=args.clients, **sizes)
    print_table(checks)
    print(f"two server processes, PostgreSQL; total {time.perf_counter() - started:.1f} s")
    sys.exit(0 if all(c.ok for c in checks) else 1)


if __name__ == "__main__":
    main()
