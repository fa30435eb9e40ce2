"""Ingest benchmark: accepted declarations per second over HTTP, against the storage ceiling.

Starts a real server (uvicorn, one process) on a fresh database, then lodges N generated
10-item declarations with C concurrent clients through the full path (`POST
/api/v1/declarations`: parse, validate, MRN, events, notification, audit, one transaction)
and, in the same run and against the same server, through `/bench/bare-insert` (same JSON
parsed, same declaration rows inserted in one transaction, nothing else). Rounds alternate
so that machine noise hits both alike. Prints throughput, p50/p99 latency and the ratio.

    uv run python benchmarks/ingest.py [--n 1500] [--concurrency 8] [--rounds 2]
    CLEARWAY_BENCH_POSTGRES_URL=postgresql+psycopg://... uv run python benchmarks/ingest.py
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from queue import Empty, Queue

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from clearway.bootstrap import prepare
from clearway.composition import build_context
from clearway.config import Settings
from clearway.demo.generator import DeclarationGenerator
from clearway.users.service import create_user


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup(url: str) -> tuple[str, str]:
    ctx = build_context(Settings(database_url=url, environment="test"))
    prepare(ctx)
    ref = ctx.refdata.get()
    today = ctx.clock.now().date()
    trader = next(r["id"] for r in ref.rows("traders") if ref.trader(r["id"], today))
    with ctx.uow() as uow:
        _user, token = create_user(uow.session, name=f"bench-{time.time_ns()}", role="trader",
                                   trader_id=trader, now=ctx.clock.now(), ttl_days=1)
        uow.commit()
    ctx.engine.dispose()
    return token, trader


def documents(url: str, trader: str, n: int, tag: str, items: int = 10) -> list[bytes]:
    ctx = build_context(Settings(database_url=url, environment="test"))
    gen = DeclarationGenerator(ctx.refdata.get(), random.Random(42), datetime.now(UTC).date())
    docs = [gen.declaration(f"B-{tag}-{i:07d}", declarant=trader, items=items)
            .model_dump_json(exclude_none=True).encode() for i in range(n)]
    ctx.engine.dispose()
    return docs


def _client_process(args: tuple[int, str, str, list[bytes], int]) -> tuple[float, float,
                                                                           list[float], int]:
    """One load-generating process: `threads` keep-alive connections (http.client is far
    cheaper per request than an async client, so the client steals less CPU from the
    server on a small machine)."""
    port, path, token, docs, threads = args
    queue: Queue[bytes] = Queue()
    for d in docs:
        queue.put_nowait(d)
    latencies: list[float] = []
    failures = [0]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            try:
                body = queue.get_nowait()
            except Empty:
                break
            t0 = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - t0)
            if response.status != 201:
                failures[0] += 1
        conn.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return started, time.perf_counter(), latencies, failures[0]


def drive(port: int, path: str, token: str, docs: list[bytes],
          concurrency: int) -> tuple[float, list[float], int]:
    processes = 2
    chunks = [docs[i::processes] for i in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(_client_process, [(port, path, token, chunk,
                                              max(1, concurrency // processes))
                                             for chunk in chunks])
    start = min(r[0] for r in results)
    end = max(r[1] for r in results)
    latencies = [v for r in results for v in r[2]]
    return len(docs) / (end - start), latencies, sum(r[3] for r in results)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def bench_backend(name: str, url: str, n: int, concurrency: int, rounds: int,
                  workers: int) -> None:
    token, trader = setup(url)
    port = free_port()
    env = {**os.environ, "CLEARWAY_DATABASE_URL": url, "CLEARWAY_BENCH_ENDPOINTS": "1",
           "CLEARWAY_ENVIRONMENT": "test"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "clearway.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--no-access-log",
         "--workers", str(workers)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        results: dict[str, list[tuple[float, list[float], int]]] = {"full": [], "bare": []}
        for r in range(rounds):
            for kind, path in (("bare", "/bench/bare-insert"), ("full", "/api/v1/declarations")):
                docs = documents(url, trader, n, f"{kind}{r}{time.time_ns()}")
                results[kind].append(drive(port, path, token, docs, concurrency))
        print(f"\n{name}: {n} declarations x 10 items, {concurrency} clients, {rounds} rounds, "
              f"{workers} server process(es)")
        summary = {}
        for kind in ("full", "bare"):
            rate = max(x[0] for x in results[kind])
            lat = [v for x in results[kind] for v in x[1]]
            fails = sum(x[2] for x in results[kind])
            summary[kind] = rate
            print(f"  {kind:5} {rate:8.1f} decl/s   p50 {pct(lat, 50):7.1f} ms   "
                  f"p99 {pct(lat, 99):7.1f} ms   non-201: {fails}")
        print(f"  ratio full/bare: {summary['full'] / summary['bare']:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_backend("SQLite (WAL)", f"sqlite:///{tmp}/bench.db", args.n, args.concurrency,
                      args.rounds, args.workers)
    pg = os.environ.get("CLEARWAY_BENCH_POSTGRES_URL")
    if pg:
        bench_backend("PostgreSQL", pg, args.n, args.concurrency, args.rounds, args.workers)


if __name__ == "__main__":
    main()
