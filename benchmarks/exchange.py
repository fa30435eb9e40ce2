"""Exchange between two installations: throughput, matching at scale, alarm quality.

    uv run python benchmarks/exchange.py delivery [--n 400] [--rounds 2]
    uv run python benchmarks/exchange.py matching [--stored 1000000] [--probes 2000]
    uv run python benchmarks/exchange.py alarms [--pairs 400] [--seed 2026]

`delivery`: two real installations (RS and MK, uvicorn on loopback, SQLite files) with the
example agreement. RS puts N anticipated arrivals in its outbox, then the delivery loop
carries them (claim, re-sign, POST, MK verifies, checks the agreement, stores the arrival,
signs a receipt; RS verifies and records the receipt). Next to it, on the same servers, a
plain client POSTs N messages it signed beforehand straight to MK's inbox (the bare signed
POST: the receiver's work without the sender's outbox). Rounds alternate; the figure is the
ratio of the two rates.

`matching` and `alarms`: see their functions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
os.environ.setdefault("CLEARWAY_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32")

from clearway.bootstrap import prepare
from clearway.clock import SystemClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.exchange import outbox, service, signing
from clearway.exchange.delivery import deliver_once, make_poster
from clearway.exchange.model import SERVICE, Envelope, new_message_id
from clearway.prearrival.payload import (
    ACTION,
    PURPOSE,
    AnticipatedArrival,
    ArrivalItem,
    ArrivalTransport,
    PartyRef,
    Totals,
)
from exchange_world import AGREEMENT, AGREEMENT_FILE, INBOX, Installation

EXIT, ENTRY = "RS004002", "MK002001"


def installation(code: str, folder: Path) -> Installation:
    settings = Settings(database_url=f"sqlite:///{folder}/{code.lower()}.db",
                        environment="test", country_code=code, token_cache_seconds=0,
                        secret_key=f"{code.lower()}-bench-secret-" + "x" * 32,
                        webhook_allowed_networks="127.0.0.1/32")
    ctx = build_context(settings, clock=SystemClock(), rng=random.Random(7))
    prepare(ctx)
    return Installation(code, ctx)


def region(folder: Path) -> tuple[Installation, Installation]:
    rs, mk = installation("RS", folder), installation("MK", folder)
    agreements = AGREEMENT_FILE.read_text(encoding="utf-8")
    for me, other in ((rs, mk), (mk, rs)):
        service.add_partner(me.ctx, other.code, f"Customs {other.code}", other.inbox_url,
                            signing.public_pem(other.key), "administrator:bench")
        service.import_agreements(me.ctx, agreements, "administrator:bench")
    rs.start()
    mk.start()
    return rs, mk


def announcement(rng: random.Random, n: int, now: datetime) -> AnticipatedArrival:
    """A realistic anticipated arrival: 1-4 items, a truck with a container and a seal."""
    items = tuple(ArrivalItem(sequence=i + 1, hs6=rng.choice(("610910", "851010", "640399")),
                              description="Goods of the benchmark", packages=rng.randint(1, 90),
                              gross_mass=Decimal(rng.randint(50, 9000)),
                              value=Decimal(rng.randint(500, 90000)), currency="EUR")
                  for i in range(rng.randint(1, 4)))
    return AnticipatedArrival(
        mrn=f"26RS{n:012d}A0", declaration_type="EX", exit_at=now, office_of_exit=EXIT,
        office_of_entry=ENTRY,
        transport=ArrivalTransport(vehicle=f"BG{n:06d}", nationality="RS", mode="3",
                                   containers=(f"MSKU{n:07d}",), seals=(f"S{n:07d}",)),
        exporter=PartyRef(eori="RS100000001", country="RS"),
        consignee=PartyRef(eori="MK4030990123456", country="MK"),
        goods_items=items,
        totals=Totals(packages=sum(i.packages or 0 for i in items),
                      gross_mass=sum((i.gross_mass or Decimal(0) for i in items), Decimal(0)),
                      value=sum((i.value or Decimal(0) for i in items), Decimal(0)),
                      currency="EUR"))


def through_outbox(rs: Installation, payloads: list[dict[str, Any]]) -> float:
    """Messages per second from RS's outbox to MK's inbox, receipts recorded."""
    ctx = rs.ctx
    with ctx.uow() as uow:
        for payload in payloads:
            outbox.send_in(uow.session, ctx.settings, rs.key, to="MK", action=ACTION,
                           purpose=PURPOSE, agreement_id=AGREEMENT, payload=payload,
                           now=ctx.clock.now())
        uow.commit()
    post = make_poster(ctx.settings)
    start, done = time.perf_counter(), 0
    while done < len(payloads):
        report = deliver_once(ctx, post=post)
        if report.failed:
            raise SystemExit(f"delivery failed: {report.errors[:3]}")
        done += report.delivered
    return len(payloads) / (time.perf_counter() - start)


def bare_posts(rs: Installation, mk: Installation, payloads: list[dict[str, Any]]) -> float:
    """Messages per second POSTed straight to MK's inbox, signed before the clock starts."""
    now = datetime.now(UTC)
    tokens = []
    for payload in payloads:
        message_id = new_message_id()
        envelope = Envelope(
            message_id=message_id, conversation_id=message_id, ref_to_message_id=None,
            from_party="RS", to_party="MK", service=SERVICE, action=ACTION,
            agreement_ref=AGREEMENT, legal_article="Art. 5", purpose=PURPOSE,
            confidentiality="restricted", caveats=(), created_at=now, payload_type=ACTION,
            payload_version="1")
        tokens.append(signing.sign(envelope, payload, rs.key, sent_at=now))
    start = time.perf_counter()
    with httpx.Client(timeout=30) as client:
        for token in tokens:
            answer = client.post(mk.url + INBOX, content=token,
                                 headers={"Content-Type": "application/jose"})
            if answer.status_code != 200:
                raise SystemExit(f"bare POST refused: {answer.status_code} {answer.text[:200]}")
    return len(tokens) / (time.perf_counter() - start)


def delivery(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="clearway-exchange-"))
    rs, mk = region(folder)
    rng = random.Random(args.seed)
    serial = 0
    rates: dict[str, list[float]] = {"outbox": [], "bare": []}
    try:
        for _ in range(args.rounds):
            for kind in ("bare", "outbox"):
                batch = []
                for _ in range(args.n):
                    serial += 1
                    batch.append(announcement(rng, serial, datetime.now(UTC)).as_payload())
                rate = (bare_posts(rs, mk, batch) if kind == "bare"
                        else through_outbox(rs, batch))
                rates[kind].append(rate)
                print(f"  {kind:7s} {args.n} messages: {rate:8.1f} /s")
    finally:
        rs.stop()
        mk.stop()
    outbox_rate = statistics.median(rates["outbox"])
    bare_rate = statistics.median(rates["bare"])
    print(f"anticipated arrivals delivered: {outbox_rate:.1f} /s through the outbox, "
          f"{bare_rate:.1f} /s bare signed POST; ratio {outbox_rate / bare_rate:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("delivery")
    one.add_argument("--n", type=int, default=400)
    one.add_argument("--rounds", type=int, default=2)
    one.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    {"delivery": delivery}[args.command](args)


if __name__ == "__main__":
    main()
