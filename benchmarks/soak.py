"""Sustained load: a mix of submissions, reads and notification polling at a share of the
measured maximum rate, with latency, errors and server memory over time.

One `clearway serve` process on a fresh database (SQLite in WAL mode by default, or a fresh
database in the PostgreSQL cluster of `--pg-url`, dropped at the end). First a closed-loop
probe (`--clients` clients as fast as they go, same mix) measures the maximum rate of the mix
on this machine; then an open loop issues operations on a fixed schedule at `--share` of that
maximum for `--minutes`. Latency counts from the scheduled time, so queueing in the client
(coordinated omission) is not hidden. The server's RSS is read from /proc every second.

    uv run python benchmarks/soak.py [--minutes 10] [--share 0.7] [--clients 8]
        [--mix submit=40,read=40,poll=20] [--pg-url postgresql+psycopg://...] [--quick]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

from ingest import documents  # noqa: E402
from multiprocess import TRADER, fresh_database, servers  # noqa: E402

from clearway.bootstrap import prepare  # noqa: E402
from clearway.composition import build_context  # noqa: E402
from clearway.config import Settings  # noqa: E402
from clearway.users.service import create_user  # noqa: E402


@dataclass
class Sample:
    done: float  # seconds since the run started, at completion
    latency: float  # seconds from the scheduled (open loop) or actual (probe) start
    ok: bool
    kind: str = ""


@dataclass
class Load:
    """The trader's side of the conversation: new documents, own MRNs, a notification cursor."""

    token: str
    bases: list[dict[str, object]]
    tag: str
    mrns: list[str] = field(default_factory=list)
    counter: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    local: threading.local = field(default_factory=threading.local)

    def connection(self, port: int) -> http.client.HTTPConnection:
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn: http.client.HTTPConnection = self.local.conn
        return conn

    def call(self, port: int, method: str, path: str, body: bytes | None = None) -> tuple[int,
                                                                                        bytes]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        try:
            conn = self.connection(port)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.local.conn.close()
            self.local.conn = None
            return -1, b""

    def submit(self, port: int) -> bool:
        with self.lock:
            self.counter += 1
            n = self.counter
        doc = {**self.bases[n % len(self.bases)], "lrn": f"SK-{self.tag}-{n:08d}"}
        status, data = self.call(port, "POST", "/api/v1/declarations", json.dumps(doc).encode())
        if status == 201:
            self.mrns.append(json.loads(data)["mrn"])
        return status == 201

    def read(self, port: int) -> bool:
        if not self.mrns:
            return self.call(port, "GET", "/api/v1/declarations?limit=20")[0] == 200
        mrn = random.choice(self.mrns)
        return self.call(port, "GET", f"/api/v1/declarations/{mrn}")[0] == 200

    def poll(self, port: int) -> bool:
        status, data = self.call(port, "GET", "/api/v1/notifications?limit=50")
        if status != 200:
            return False
        cursor = json.loads(data)["next_cursor"]
        if not cursor:
            return True
        ack = json.dumps({"up_to": cursor}).encode()
        return self.call(port, "POST", "/api/v1/notifications/ack", ack)[0] == 200


def parse_mix(text: str) -> dict[str, float]:
    mix = {k.strip(): float(v) for k, v in (p.split("=") for p in text.split(","))}
    unknown = set(mix) - {"submit", "read", "poll"}
    if unknown or sum(mix.values()) <= 0:
        raise SystemExit(f"--mix: use submit=N,read=N,poll=N (unknown: {sorted(unknown)})")
    return mix


def operation(load: Load, mix: dict[str, float], rng: random.Random
              ) -> tuple[str, Callable[[int], bool]]:
    kind = rng.choices(list(mix), weights=list(mix.values()))[0]
    op: Callable[[int], bool] = getattr(load, kind)
    return kind, op


def probe(load: Load, port: int, mix: dict[str, float], clients: int, seconds: float) -> float:
    """Closed loop: `clients` threads back to back for `seconds`; completed operations/s."""
    start = time.perf_counter()
    counts = [0] * clients

    def client(i: int) -> None:
        rng = random.Random(i)
        while time.perf_counter() - start < seconds:
            operation(load, mix, rng)[1](port)
            counts[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - start)


def open_loop(load: Load, port: int, mix: dict[str, float], rate: float, seconds: float,
              workers: int) -> list[Sample]:
    """Operations due every 1/rate s, handed to a pool; latency from the due time."""
    queue: Queue[tuple[float, tuple[str, Callable[[int], bool]]] | None] = Queue()
    samples: list[Sample] = []
    start = time.perf_counter()

    def worker() -> None:
        while (job := queue.get()) is not None:
            due, (kind, op) = job
            ok = op(port)
            now = time.perf_counter()
            samples.append(Sample(now - start, now - due, ok, kind))

    pool = [threading.Thread(target=worker) for _ in range(workers)]
    for t in pool:
        t.start()
    rng = random.Random(1)
    for k in range(int(rate * seconds)):
        due = start + k / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        queue.put((due, operation(load, mix, rng)))
    for _ in pool:
        queue.put(None)
    for t in pool:
        t.join()
    return samples


def watch_rss(pid: int, stop: threading.Event, out: list[tuple[float, float]]) -> None:
    start = time.perf_counter()
    while not stop.wait(1.0):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return
        kb = next(int(line.split()[1]) for line in status.splitlines()
                  if line.startswith("VmRSS:"))
        out.append((time.perf_counter() - start, kb / 1024))


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def report(samples: list[Sample], rss: list[tuple[float, float]], bucket: float, max_rate: float,
           rate: float, seconds: float) -> None:
    print(f"\n{'window':>10} {'ops/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'RSS MB':>7}")
    windows = max(1, round(seconds / bucket))
    rss_by: list[float] = []
    for w in range(windows):
        lo, hi = w * bucket, (w + 1) * bucket if w < windows - 1 else float("inf")
        got = [s for s in samples if lo <= s.done < hi]
        mem = [m for t, m in rss if lo <= t < hi] or [rss[-1][1] if rss else float("nan")]
        rss_by.append(statistics.fmean(mem))
        errors = sum(not s.ok for s in got) / max(1, len(got))
        print(f"{lo:5.0f}-{lo + bucket:<4.0f} {len(got) / bucket:7.1f} "
              f"{pct([s.latency for s in got], 50):8.1f} {pct([s.latency for s in got], 99):8.1f} "
              f"{errors:7.2%} {rss_by[-1]:7.1f}")
    lat = [s.latency for s in samples]
    achieved = len(samples) / max(s.done for s in samples)
    slope = (statistics.linear_regression([t / 60 for t, _ in rss], [m for _, m in rss]).slope
             if len(rss) > 2 else float("nan"))
    print(f"\nmax rate (probe) {max_rate:.1f} ops/s; target {rate:.1f} ops/s "
          f"({rate / max_rate:.0%}); achieved {achieved:.1f} ops/s ({achieved / max_rate:.0%} "
          f"of max)\nlatency p50 {pct(lat, 50):.1f} ms, p99 {pct(lat, 99):.1f} ms; errors "
          f"{sum(not s.ok for s in samples)}/{len(samples)} "
          f"({sum(not s.ok for s in samples) / len(samples):.2%})\nserver RSS first window "
          f"{rss_by[0]:.1f} MB, last {rss_by[-1]:.1f} MB (growth "
          f"{rss_by[-1] / rss_by[0] - 1:+.1%}); linear fit {slope:+.2f} MB/min")


@contextmanager
def database(pg_url: str | None) -> Iterator[str]:
    if pg_url:
        with fresh_database(pg_url) as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{tmp}/soak.db"


def trader_token(url: str) -> str:
    ctx = build_context(Settings(database_url=url, environment="test"))
    prepare(ctx)
    with ctx.uow() as uow:
        _user, token = create_user(uow.session, name="soak-trader", role="trader",
                                   trader_id=TRADER, now=ctx.clock.now(), ttl_days=1)
        uow.commit()
    ctx.engine.dispose()
    return token


@dataclass
class SoakResult:
    samples: list[Sample]
    rss: list[tuple[float, float]]  # (seconds since the soak started, server RSS in MB)
    max_rate: float
    rate: float
    seconds: float


def run(*, minutes: float, share: float, probe_seconds: float, clients: int, workers: int,
        mix: dict[str, float], pg_url: str | None = None) -> SoakResult:
    """Probe the maximum rate of `mix`, then hold `share` of it for `minutes`."""
    with database(pg_url) as url:
        token = trader_token(url)
        bases = [json.loads(d) for d in documents(url, TRADER, 200, "base", items=2)]
        load = Load(token, bases, str(time.time_ns()))
        pids: list[int] = []
        with servers(url, count=1, pids=pids) as (port,):
            max_rate = probe(load, port, mix, clients, probe_seconds)
            rate, seconds = share * max_rate, minutes * 60
            rss: list[tuple[float, float]] = []
            stop = threading.Event()
            watcher = threading.Thread(target=watch_rss, args=(pids[0], stop, rss))
            watcher.start()
            samples = open_loop(load, port, mix, rate, seconds, workers)
            stop.set()
            watcher.join()
    return SoakResult(samples, rss, max_rate, rate, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--share", type=float, default=0.7, help="of the probed maximum rate")
    parser.add_argument("--probe-seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8, help="closed-loop probe clients")
    parser.add_argument("--workers", type=int, default=32, help="open-loop sender threads")
    parser.add_argument("--mix", default="submit=40,read=40,poll=20")
    parser.add_argument("--bucket-seconds", type=float, default=60.0)
    parser.add_argument("--pg-url", default=None, help="PostgreSQL cluster (default: SQLite)")
    parser.add_argument("--quick", action="store_true", help="5 s probe, 1 minute soak")
    args = parser.parse_args()
    if args.quick:
        args.minutes, args.probe_seconds, args.bucket_seconds = 1.0, 5.0, 10.0
    result = run(minutes=args.minutes, share=args.share, probe_seconds=args.probe_seconds,
                 clients=args.clients, workers=args.workers, mix=parse_mix(args.mix),
                 pg_url=args.pg_url)
    backend = "PostgreSQL" if args.pg_url else "SQLite (WAL)"
    print(f"{backend}, one server process, mix {args.mix}, probe {args.clients} clients "
          f"{args.probe_seconds:.0f} s, soak {args.minutes:g} min at {args.share:.0%}")
    report(result.samples, result.rss, args.bucket_seconds, result.max_rate, result.rate,
           result.seconds)

if __name__ == "__main__":
    main()
