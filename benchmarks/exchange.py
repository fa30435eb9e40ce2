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

`matching`: MK holds `--stored` anticipated arrivals (1,000,000 by default, bulk-inserted);
each probe is an import naming one of them as previous document, matched by the entry side's
own code (`prearrival.arrivals.on_declaration`: the lookups, the comparison, the alarms and
the exit confirmation put in the outbox), in a transaction rolled back after. The same probes
run against 1,000 stored arrivals in the same command: the figure is the ratio.

`alarms`: a seeded stream of cross-border pairs (benchmarks/exchange_stream.py) goes through
MK's real handler and matching: half clean, the others with one planted discrepancy each (mass,
packages, value, HS6, consignee, transit too short or too long, seals at the booth, an export
that never arrives, an import whose export was never announced); a fifth of the clean pairs are
seen at the booth rather than declared. Prints precision and recall per alarm kind, and
the alarms raised on clean pairs (the aim: 1.0, 1.0 and none).
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
os.environ.setdefault("CLEARWAY_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.1/32")

from exchange_stream import EXPECTED, Pair, stream

from clearway.bootstrap import prepare
from clearway.clock import FixedClock, SystemClock
from clearway.composition import build_context
from clearway.config import Settings
from clearway.context import Context
from clearway.exchange import outbox, service, signing
from clearway.exchange.delivery import deliver_once, make_poster
from clearway.exchange.inbound import Incoming
from clearway.exchange.model import SERVICE, Envelope, new_message_id
from clearway.identity import User
from clearway.prearrival import arrivals
from clearway.prearrival import service as prearrival
from clearway.prearrival.arrivals import receive_announcement
from clearway.prearrival.arrivals_repository import bulk_insert
from clearway.prearrival.payload import (
    ACTION,
    PURPOSE,
    AnticipatedArrival,
    ArrivalItem,
    ArrivalTransport,
    PartyRef,
    Totals,
)
from clearway.privacy.pseudonyms import load as load_keys
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_prearrival import AlarmRow, ArrivalRow
from clearway.users.service import create_user
from exchange_world import AGREEMENT, AGREEMENT_FILE, INBOX, Installation, connect

EXIT, ENTRY = "RS004002", "MK002001"
START = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
WARM_UP = 50


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
    connect(rs, mk, "administrator:bench")
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


def receiver(folder: Path, name: str, keys: Path) -> tuple[Context, FixedClock]:
    """MK on a fresh database, with RS registered, the agreement and the shared keys."""
    clock = FixedClock(START)
    ctx = build_context(Settings(
        database_url=f"sqlite:///{folder}/{name}.db", environment="test", country_code="MK",
        token_cache_seconds=0, secret_key="mk-bench-secret-" + "x" * 32,
        pseudonym_keys_file=str(keys)), clock=clock, rng=random.Random(7))
    prepare(ctx)
    rs_key = signing.exchange_key(Settings(secret_key="rs-bench-secret-" + "x" * 32))
    service.add_partner(ctx, "RS", "Customs RS", "https://rs.example/api/v1/exchange/inbox",
                        signing.public_pem(rs_key), "administrator:bench")
    service.import_agreements(ctx, AGREEMENT_FILE.read_text(encoding="utf-8"),
                              "administrator:bench")
    return ctx, clock


def keys_file(folder: Path) -> Path:
    path = folder / "keys.yaml"
    path.write_text(yaml.safe_dump([{"agreement": AGREEMENT, "id": "bench", "secret":
                                     base64.b64encode(b"k" * 32).decode(),
                                     "valid_from": date(2026, 1, 1)}]), encoding="utf-8")
    return path


def announce_to(ctx: Context, announced: AnticipatedArrival, at: datetime) -> None:
    message_id = new_message_id()
    envelope = Envelope(
        message_id=message_id, conversation_id=message_id, ref_to_message_id=None,
        from_party="RS", to_party="MK", service=SERVICE, action=ACTION, agreement_ref=AGREEMENT,
        legal_article="Art. 5", purpose=PURPOSE, confidentiality="restricted", caveats=(),
        created_at=at, payload_type=ACTION, payload_version="1")
    with ctx.uow() as uow:
        receive_announcement(uow.session, ctx.settings, Incoming(envelope,
                                                                 announced.as_payload(), at))
        uow.commit()


def arrive_at(ctx: Context, n: int, doc: Any, at: datetime, *, keep: bool) -> list[Any]:
    """Match an import as its acceptance does (declaration id 10**9 + n); rolled back unless
    `keep`."""
    row = DeclarationRow(id=10**9 + n, mrn=f"26MK{n:012d}R0")
    with ctx.uow() as uow:
        found = arrivals.on_declaration(uow.session, ctx.settings, row, doc, at,
                                        rate=ctx.refdata.get().rate)
        if keep:
            uow.commit()
    return found


def alarms(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="clearway-alarms-"))
    keys = keys_file(folder)
    ctx, clock = receiver(folder, "mk", keys)
    crossing = next(c for a in service.list_agreements(ctx) for c in a.crossings)
    pairs = stream(ctx.refdata.get(), load_keys(str(keys)), START, args.pairs, args.seed,
                   (crossing.min_transit_minutes, crossing.max_transit_minutes))
    officer = staff(ctx)
    # In time order, as it happens: each announcement a minute after its exit, each
    # arrival when it comes (at the booth, or declared).
    events = [(p.announced.exit_at + timedelta(minutes=1), 0, p) for p in pairs
              if p.planted != "unannounced"]
    events += [(p.arrives_at, 1, p) for p in pairs if p.planted != "never"]
    for at, kind, pair in sorted(events, key=lambda e: (e[0], e[1], e[2].n)):
        clock.at = at
        transport = pair.announced.transport
        if kind == 0:
            announce_to(ctx, pair.announced, at)
        elif pair.booth_seals is not None and transport is not None and transport.vehicle:
            prearrival.record_crossing(ctx, officer, ENTRY, transport.vehicle,
                                       list(transport.containers), list(pair.booth_seals),
                                       "RS")
        else:
            arrive_at(ctx, pair.n, pair.arriving, at, keep=True)
    clock.at = max(p.arrives_at for p in pairs) + timedelta(days=3)
    prearrival.sweep_overdue(ctx)
    score(ctx, pairs)


def staff(ctx: Context) -> User:
    with ctx.uow() as uow:
        user, _token = create_user(uow.session, name="booth", role="officer", trader_id=None,
                                   now=ctx.clock.now(), ttl_days=1)
        uow.commit()
    return user


def score(ctx: Context, pairs: list[Pair]) -> None:
    by_mrn = {p.mrn: p.n for p in pairs}
    raised: dict[int, set[str]] = {p.n: set() for p in pairs}
    with ctx.uow(read_only=True) as uow:
        arrival_mrn = dict(uow.session.execute(select(ArrivalRow.id, ArrivalRow.mrn)).all())
        for row in uow.session.execute(select(AlarmRow)).scalars():
            n = (row.declaration_id - 10**9 if row.declaration_id
                 else by_mrn[arrival_mrn[row.arrival_id]])
            raised[n].add(row.kind)
    table: dict[str, list[int]] = {}  # kind -> [true positives, false positives, misses]
    clean_alarms = 0
    for pair in pairs:
        wanted = {str(EXPECTED[pair.planted])} if EXPECTED[pair.planted] else set()
        got = raised[pair.n]
        clean_alarms += len(got) if pair.planted == "none" else 0
        for kind in wanted | got:
            counts = table.setdefault(kind, [0, 0, 0])
            counts[0 if kind in wanted and kind in got else 1 if kind in got else 2] += 1
    print(f"{len(pairs)} pairs, {sum(p.planted == 'none' for p in pairs)} clean")
    print(f"  {'alarm kind':24s} {'planted':>8s} {'raised':>7s} {'precision':>9s} {'recall':>7s}")
    for kind, (tp, fp, fn) in sorted(table.items()):
        print(f"  {kind:24s} {tp + fn:8d} {tp + fp:7d} {tp / max(tp + fp, 1):9.3f} "
              f"{tp / max(tp + fn, 1):7.3f}")
    tp, fp, fn = (sum(c[i] for c in table.values()) for i in range(3))
    print(f"alarm precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f}; "
          f"alarms on clean pairs: {clean_alarms}")


def matching(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="clearway-matching-"))
    keys = keys_file(folder)
    results = {}
    for stored in (1000, args.stored):
        ctx, _clock = receiver(folder, f"mk{stored}", keys)
        templates = stream(ctx.refdata.get(), load_keys(str(keys)), START, 50, args.seed,
                           (5, 240))
        start = time.perf_counter()
        seed_arrivals(ctx, stored, templates)
        print(f"  {stored:,} anticipated arrivals stored in {time.perf_counter() - start:.0f} s")
        rng = random.Random(args.seed)
        took = []
        for probe in range(args.probes + WARM_UP):
            n = rng.randrange(stored)
            pair = templates[n % len(templates)]
            doc = pair.arriving.model_copy(update={"previous_documents": [
                pair.arriving.previous_documents[0].model_copy(update={"reference":
                                                                       stored_mrn(n)})]})
            began = time.perf_counter()
            arrive_at(ctx, n, doc, pair.arrives_at, keep=False)
            if probe >= WARM_UP:  # the first probes fill caches (reference data, keys)
                took.append(time.perf_counter() - began)
        results[stored] = statistics.median(took) * 1000
        print(f"  {stored:>9,} stored: {results[stored]:.2f} ms per arrival (median of "
              f"{args.probes})")
        ctx.engine.dispose()
    print(f"matching per arrival: {results[args.stored]:.2f} ms with {args.stored:,} stored, "
          f"{results[1000]:.2f} ms with 1,000; ratio {results[args.stored] / results[1000]:.2f}")


def stored_mrn(n: int) -> str:
    return f"26RS{n:012d}S0"


def seed_arrivals(ctx: Context, count: int, templates: list[Pair], chunk: int = 20_000) -> None:
    """`count` announcements from RS, expected at MK: each a template's payload under its own
    MRN, vehicle and container."""
    payloads = [p.announced.as_payload() for p in templates]
    for first in range(0, count, chunk):
        rows = []
        for n in range(first, min(first + chunk, count)):
            payload = dict(payloads[n % len(payloads)], mrn=stored_mrn(n))
            exit_at = START - timedelta(minutes=30)
            rows.append({"partner": "RS", "agreement_id": AGREEMENT,
                         "message_id": f"bench-{n}", "conversation_id": f"bench-{n}",
                         "mrn": stored_mrn(n), "office_of_exit": "RS004002",
                         "office_of_entry": "MK002001", "exit_at": exit_at,
                         "deadline_at": exit_at + timedelta(hours=24),
                         "vehicle": f"BG{n:07d}", "payload": payload, "status": "expected",
                         "received_at": exit_at, "containers": [f"BENU{n:07d}"]})
        with ctx.uow() as uow:
            bulk_insert(uow.session, rows)
            uow.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("delivery")
    one.add_argument("--n", type=int, default=400)
    one.add_argument("--rounds", type=int, default=2)
    one.add_argument("--seed", type=int, default=2026)
    two = sub.add_parser("matching")
    two.add_argument("--stored", type=int, default=1_000_000)
    two.add_argument("--probes", type=int, default=2000)
    two.add_argument("--seed", type=int, default=2026)
    three = sub.add_parser("alarms")
    three.add_argument("--pairs", type=int, default=400)
    three.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    {"delivery": delivery, "matching": matching, "alarms": alarms}[args.command](args)


if __name__ == "__main__":
    main()
