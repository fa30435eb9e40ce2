"""Does a slow webhook receiver stall the server? A real server (uvicorn, SQLite, the webhook
dispatcher thread) pushes notifications to a receiver on the loopback that takes `--delay`
seconds per POST, while one client times `GET /livez` and another a write
(`POST /api/v1/users`, whose handler runs on the event loop), each every 0.1 s. Prints the
latencies.

    uv run python benchmarks/webhook_stall.py [--declarations 5] [--delay 1.0] [--seconds 8]

Run against another checkout with PYTHONPATH=<checkout>/src to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
os.environ["CLEARWAY_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.1/32"  # the receiver is local

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.composition import build_context
from clearway.config import Settings
from clearway.notifications import webhooks
from clearway.notifications.dispatcher import attach_dispatcher
from helpers import TRADER, import_doc, make_token


def receiver(delay: float) -> tuple[ThreadingHTTPServer, list[float]]:
    seen: list[float] = []

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(delay)
            seen.append(time.monotonic())
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--declarations", type=int, default=5)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="clearway-stall-"))
    ctx = build_context(Settings(database_url=f"sqlite:///{folder}/c.db",
                                 environment="test", token_cache_seconds=0))
    prepare(ctx)
    trader = make_token(ctx, "hooked", "trader", TRADER)
    admin = make_token(ctx, "boss", "administrator")
    slow, seen = receiver(args.delay)
    with ctx.uow() as uow:
        webhooks.set_webhook(uow.session, TRADER, f"http://127.0.0.1:{slow.server_port}/in",
                             "s" * 20, ctx.clock.now())
        uow.commit()
    app = create_app(ctx)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
    attach_dispatcher(app, ctx, interval=0.2)
    with httpx.Client(timeout=60) as client:
        # Lodge before the server (and its dispatcher) starts, in process.
        from fastapi.testclient import TestClient

        with TestClient(create_app(ctx)) as local:
            for n in range(args.declarations):
                answer = local.post("/api/v1/declarations", json=import_doc(lrn=f"STALL-{n}"),
                                    headers={"Authorization": f"Bearer {trader}"})
                assert answer.status_code == 201, answer.text
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        live: list[float] = []
        write: list[float] = []
        end = time.monotonic() + args.seconds

        def ping() -> None:  # its own connection and thread: it waits only on the server
            with httpx.Client(timeout=60) as pinger:
                while time.monotonic() < end:
                    started = time.monotonic()
                    pinger.get(f"{base}/livez")
                    live.append(time.monotonic() - started)
                    time.sleep(0.1)

        pinging = threading.Thread(target=ping)
        pinging.start()
        n = 0
        while time.monotonic() < end:
            started = time.monotonic()
            answer = client.post(f"{base}/api/v1/users", json={"name": f"u{n}", "role":
                                 "officer"}, headers={"Authorization": f"Bearer {admin}"})
            write.append(time.monotonic() - started)
            assert answer.status_code == 201, answer.text
            n += 1
            time.sleep(0.1)
        pinging.join()
        server.should_exit = True
        thread.join(10)
    print(json.dumps({
        "posts_received": len(seen), "delay_per_post_s": args.delay,
        "livez_ms": {"p50": round(statistics.median(live) * 1000, 1),
                     "max": round(max(live) * 1000, 1), "n": len(live)},
        "write_ms": {"p50": round(statistics.median(write) * 1000, 1),
                     "max": round(max(write) * 1000, 1), "n": len(write)},
    }))


if __name__ == "__main__":
    main()
