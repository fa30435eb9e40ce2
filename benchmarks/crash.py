"""Crash durability: SIGKILL the server under load, restart it, and prove that no answered
submission was lost, none stored twice, none half-saved, and the audit chain still verifies.

Client threads lodge declarations with unique LRNs against a real server (uvicorn, one
worker, own process group). At seeded random moments the whole group is SIGKILLed and
restarted. A submission that got no answer is re-sent, same LRN and same bytes, until it
gets one; a share of answered ones is re-sent too (an identical retry must give the same
MRN). Then the database (SQLAlchemy) and the API are checked, and `clearway audit verify`
must pass. Prints a figures table; exits 1 on any violation.

    uv run python benchmarks/crash.py --backend sqlite --kills 20
    uv run python benchmarks/crash.py --backend postgres \
        --pg-url postgresql+psycopg://postgres@127.0.0.1:55432/postgres --kills 20
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crash_checks import Findings, check
from ingest import documents, free_port, setup
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@dataclass
class Submission:
    """One declaration as the client saw it: every answer it got, in order."""

    lrn: str
    body: bytes
    statuses: list[int] = field(default_factory=list)
    mrns: list[str] = field(default_factory=list)  # the MRN of every 2xx answer
    no_answer: int = 0  # attempts that ended without an HTTP answer
    impatient: bool = False  # first attempt gave up after a few ms (client-side timeout)
    resent: bool = False  # re-sent on purpose after a 2xx (idempotency probe)


class Server:
    """`uvicorn clearway.asgi:app`, one worker, in its own process group so SIGKILL takes
    every process the server started."""

    def __init__(self, url: str, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "CLEARWAY_DATABASE_URL": url, "CLEARWAY_ENVIRONMENT": "test"}
        self.log = log.open("ab")
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "clearway.asgi:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", "1", "--log-level", "warning",
             "--no-access-log"], env=self.env, stdout=self.log, stderr=self.log,
            start_new_session=True)

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def wait_ready(self, timeout: float = 120) -> None:
        """/readyz when the server has it (it checks the database), else /healthz."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            for path in ("/readyz", "/healthz"):
                try:
                    status = httpx.get(self.base + path, timeout=2).status_code
                except httpx.HTTPError:
                    break
                if status == 200:
                    return
                if status != 404:
                    break
            time.sleep(0.05)
        raise RuntimeError("server not ready in time")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.kill()
        self.log.close()


class Source:
    """Unique LRNs on a few generated, valid documents (generating thousands is slow)."""

    def __init__(self, url: str, trader: str, run: str, templates: int = 40) -> None:
        self.run = run
        self.templates = [(f"B-{run}-{i:07d}", body) for i, body in
                          enumerate(documents(url, trader, templates, run, items=3))]
        self.counter = itertools.count()
        self.lock = threading.Lock()
        self.sent: list[Submission] = []

    def next(self) -> Submission:
        with self.lock:
            n = next(self.counter)
            lrn = f"CR-{self.run}-{n:07d}"
            old, body = self.templates[n % len(self.templates)]
            sub = Submission(lrn, body.replace(f'"{old}"'.encode(), f'"{lrn}"'.encode(), 1))
            self.sent.append(sub)
            return sub


IMPATIENT = httpx.Timeout(60, read=0.005)


def post_until_answered(http: httpx.Client, sub: Submission) -> None:
    """Send the exact same bytes until the server answers; the server is always restarted.
    An impatient first attempt stops reading after 5 ms: the server usually commits
    anyway, so the retry exercises "stored, but the client never heard" (answer 200)."""
    while True:
        impatient = sub.impatient and not sub.statuses and not sub.no_answer
        try:
            response = http.post("/api/v1/declarations", content=sub.body,
                                 timeout=IMPATIENT if impatient else httpx.USE_CLIENT_DEFAULT)
        except httpx.TransportError:  # connection refused or reset, or timed out
            sub.no_answer += 1
            time.sleep(0.05)
            continue
        sub.statuses.append(response.status_code)
        if response.is_success:
            sub.mrns.append(response.json().get("mrn") or "")
        return


def client(base: str, token: str, source: Source, stop: threading.Event, seed: int,
           resend_share: float, impatient_share: float) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        while not stop.is_set():
            sub = source.next()
            sub.impatient = rng.random() < impatient_share
            post_until_answered(http, sub)
            if sub.mrns and rng.random() < resend_share:
                sub.resent = True
                post_until_answered(http, sub)


@contextmanager
def database(backend: str, pg_url: str | None) -> Iterator[str]:
    """A fresh database: a SQLite file (WAL, as the product opens it), or a new database in
    the given PostgreSQL cluster, dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/crash.db"
        return
    assert pg_url, "--pg-url is required for --backend postgres"
    name = f"clearway_crash_{os.getpid()}_{time.time_ns()}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Result:
    backend: str
    kills: int
    subs: list[Submission]
    ready_s: list[float]
    wall_s: float
    findings: Findings


def run(backend: str, *, kills: int, clients: int, seed: int, pg_url: str | None = None,
        gap: tuple[float, float] = (0.5, 3.0), resend_share: float = 0.1,
        impatient_share: float = 0.03) -> Result:
    started = time.perf_counter()
    rng = random.Random(seed)
    with database(backend, pg_url) as url, tempfile.TemporaryDirectory() as logs:
        token, trader = setup(url)
        source = Source(url, trader, f"{seed}x{time.time_ns() % 10**6}")
        server = Server(url, Path(logs) / "server.log")
        ready_s: list[float] = []
        stop = threading.Event()
        try:
            server.start()
            server.wait_ready()
            pool = [threading.Thread(target=client, args=(server.base, token, source, stop,
                                                          seed * 1000 + i, resend_share,
                                                          impatient_share))
                    for i in range(clients)]
            for t in pool:
                t.start()
            for _ in range(kills):
                time.sleep(rng.uniform(*gap))
                killed = time.perf_counter()
                server.kill()
                server.start()
                server.wait_ready()
                ready_s.append(time.perf_counter() - killed)
            time.sleep(gap[0])
            stop.set()
            for t in pool:
                t.join()
            findings = check(url, server.base, token, source.sent)
        finally:
            stop.set()
            server.stop()
    return Result(backend, kills, source.sent, ready_s, time.perf_counter() - started,
                  findings)


def table(r: Result) -> str:
    f = r.findings
    no_answer = [s for s in r.subs if s.no_answer]
    answered = [s for s in r.subs if not s.no_answer]
    answered_2xx = sum(1 for s in answered if 200 <= s.statuses[0] < 300)
    rows = [
        ("backend", r.backend), ("kills", r.kills), ("submissions", len(r.subs)),
        ("2xx with MRN at first attempt", answered_2xx),
        ("other status at first attempt", len(answered) - answered_2xx),
        ("no answer at first attempt (kill / client timeout)",
         f"{sum(1 for s in no_answer if not s.impatient)} / "
         f"{sum(1 for s in no_answer if s.impatient)}"),
        ("retried after no answer, answered", sum(1 for s in no_answer if s.statuses)),
        ("  of which 201 / 200 (already stored)",
         f"{sum(1 for s in no_answer if s.statuses[:1] == [201])} / "
         f"{sum(1 for s in no_answer if s.statuses[:1] == [200])}"),
        ("re-sent after 2xx (same MRN expected)", sum(1 for s in r.subs if s.resent)),
        ("declarations stored", f.stored),
        ("duplicates found (must be 0)", f.duplicates),
        ("lost (must be 0)", f.lost),
        ("half-saved (must be 0)", f.half_saved),
        ("unsent stored (must be 0)", f.ghosts),
        ("MRN mismatches (must be 0)", f.mismatches),
        ("5xx answers (must be 0)", f.server_errors),
        ("API read-back failures (must be 0)", f.api_failures),
        ("audit verify", f.audit_verify),
        ("time to ready after kill p50 / max",
         f"{statistics.median(r.ready_s):.2f} s / {max(r.ready_s):.2f} s"
         if r.ready_s else "-"),
        ("total wall time", f"{r.wall_s:.1f} s"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:<{width}}  {v}" for k, v in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("CLEARWAY_BENCH_POSTGRES_URL"))
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="3 kills, short gaps")
    args = parser.parse_args()
    kills, gap = (3, (0.3, 1.0)) if args.quick else (args.kills, (0.3, 2.0))
    result = run(args.backend, kills=kills, clients=args.clients, seed=args.seed,
                 pg_url=args.pg_url, gap=gap)
    print(f"\ncrash durability (seed {args.seed}, {args.clients} clients)")
    print(table(result))
    for problem in result.findings.problems[:20]:
        print(f"  VIOLATION: {problem}")
    sys.exit(1 if result.findings.problems else 0)


if __name__ == "__main__":
    main()
