"""Cost of the operations middleware (request ID, access log line, request metrics) per
request: the same app with and without it, in process over ASGI (no network), rounds
alternated so machine noise hits both alike. The access log goes through the production
JSON handler with redaction into a discarded stream. Prints requests/s and the ratio.

    uv run python benchmarks/ops_overhead.py [--n 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.ops.logs import make_handler
from clearway.ops.middleware import OperationsMiddleware
from helpers import TRADER, make_token


def build(ctx: Context, with_ops: bool) -> object:
    app = create_app(ctx)
    if not with_ops:
        app.user_middleware = [m for m in app.user_middleware
                               if m.cls is not OperationsMiddleware]
    return app


async def run(app: object, path: str, headers: dict[str, str], n: int) -> float:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await client.get(path, headers=headers)
        started = time.perf_counter()
        for _ in range(n):
            answer = await client.get(path, headers=headers)
            assert answer.status_code == 200, answer.text
        return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="clearway-ops-bench-")
    ctx = build_context(Settings(database_url=f"sqlite:///{folder}/b.db",
                                 environment="test"), rng=random.Random(1))
    prepare(ctx)
    token = make_token(ctx, "bench-trader", "trader", TRADER)
    root = logging.getLogger()
    root.addHandler(make_handler("json", [ctx.settings.secret_key], io.StringIO()))
    root.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the client's lines are not ours
    cases = {"GET /livez": ("/livez", {}),
             "GET /api/v1/users/me": ("/api/v1/users/me", {"Authorization": f"Bearer {token}"})}
    for name, (path, headers) in cases.items():
        rates: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.rounds):
            for with_ops in (False, True):
                rates[with_ops].append(asyncio.run(run(build(ctx, with_ops), path, headers,
                                                       args.n)))
        bare, ops = max(rates[False]), max(rates[True])
        print(f"{name}: without {bare:,.0f} req/s, with {ops:,.0f} req/s, "
              f"ratio {ops / bare:.3f} (best of {args.rounds} rounds of {args.n})")


if __name__ == "__main__":
    main()
