"""Webhook delivery holds no database lock while a receiver is contacted, survives a crash
between claim and result, and a per-trader circuit breaker makes a dead endpoint cost
nothing while its notifications wait in the pull queue."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from clearway.bootstrap import prepare
from clearway.clearance import lodging
from clearway.cli.main import app as cli
from clearway.clock import FixedClock
from clearway.composition import build_context
from clearway.config import get_settings
from clearway.context import Context
from clearway.notifications import service as notes
from clearway.notifications import webhooks
from clearway.notifications.dispatcher import PER_TRADER, deliver_once, lease_for
from clearway.storage.orm import NotificationRow, WebhookRow
from clearway.users.service import authenticate
from helpers import TRADER, import_doc, make_token
from webhook_receiver import Listener

URL = "https://hooks.trader.example/in"


def _lodge(ctx: Context, count: int) -> list[int]:
    """`count` accepted declarations with a webhook registered: 2 notifications each."""
    prepare(ctx)
    token = make_token(ctx, "hooked", "trader", TRADER)
    with ctx.uow() as uow:
        webhooks.set_webhook(uow.session, TRADER, URL, "s3cret-s3cret-s3cret", ctx.clock.now())
        user = authenticate(uow.session, token, ctx.clock.now())
        uow.commit()
    for n in range(count):
        answer = lodging.submit(ctx, json.dumps(import_doc(lrn=f"HOOK-{n}")).encode(),
                                "application/json", user)
        assert answer.kind == "created"
    with ctx.uow() as uow:
        return list(uow.session.execute(select(NotificationRow.id).where(
            NotificationRow.acknowledged_at.is_(None)).order_by(NotificationRow.id)).scalars())


def _within(seconds: float, work: Callable[[], None]) -> float | None:
    """Run `work` in a thread; its duration, or None when it is still blocked after
    `seconds` (it is then left to finish on its own)."""
    took: list[float] = []

    def run() -> None:
        started = time.monotonic()
        work()
        took.append(time.monotonic() - started)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    return took[0] if took else None


def test_database_is_free_while_a_receiver_is_slow(ctx: Context, db_url: str) -> None:
    ids = _lodge(ctx, 1)
    other = build_context(ctx.settings, clock=ctx.clock)  # another process
    waits: dict[str, float | None] = {}

    def this_process() -> None:   # any use case's write, e.g. a trader acknowledging
        with ctx.uow() as uow:
            notes.acknowledge(uow.session, TRADER, ids=[ids[1]], at=ctx.clock.now())
            uow.commit()

    def another_process() -> None:  # even the notification on its way
        with other.uow() as uow:
            notes.acknowledge(uow.session, TRADER, ids=[ids[0]], at=ctx.clock.now())
            uow.commit()

    def slow_receiver(url: str, body: bytes, headers: dict[str, str]) -> int:
        waits["this process"] = _within(3, this_process)
        waits["another process"] = _within(3, another_process)
        return 204

    try:
        report = deliver_once(ctx, post=slow_receiver)
    finally:
        other.engine.dispose()
    assert report.delivered >= 1
    for who, took in waits.items():
        # Blocked behind the delivery it would still wait when the window ends (the POST
        # only returns after both windows); free, it finishes within it.
        assert took is not None, f"{who}: write blocked during the POST"


def test_crash_between_claim_and_result_retries_after_the_lease(ctx: Context,
                                                                clock: FixedClock) -> None:
    _lodge(ctx, 1)
    with ctx.uow() as uow:  # a dispatcher claims, commits, then dies before any result
        claims = webhooks.claim_due(uow.session, now=clock.now(), traders=8, per_trader=10,
                                    lease=lease_for(ctx.settings))
        uow.commit()
    assert [len(c.deliveries) for c in claims] == [2]
    calls: list[str] = []

    def receiver(url: str, body: bytes, headers: dict[str, str]) -> int:
        calls.append(headers["X-Clearway-Notification"])
        return 200

    assert deliver_once(ctx, post=receiver).delivered == 0  # leased: left alone
    clock.advance(seconds=lease_for(ctx.settings).total_seconds() - 1)
    assert deliver_once(ctx, post=receiver).delivered == 0
    clock.advance(seconds=2)
    assert deliver_once(ctx, post=receiver).delivered == 2
    assert calls == [str(d.note_id) for d in claims[0].deliveries]


def test_a_claim_is_taken_once(ctx: Context, clock: FixedClock) -> None:
    _lodge(ctx, 1)
    with ctx.uow() as uow:
        first = webhooks.claim_due(uow.session, now=clock.now(), traders=8, per_trader=10,
                                   lease=timedelta(minutes=5))
        uow.commit()
    with ctx.uow() as uow:
        again = webhooks.claim_due(uow.session, now=clock.now(), traders=8, per_trader=10,
                                   lease=timedelta(minutes=5))
    assert len(first) == 1 and again == []


def test_concurrent_claims_skip_each_others_rows(ctx: Context, db_url: str,
                                                 clock: FixedClock) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time; the claim is serial there")
    _lodge(ctx, 2)
    with ctx.sessions() as one, ctx.sessions() as two:
        a = webhooks.claim_due(one, now=clock.now(), traders=8, per_trader=2,
                               lease=timedelta(minutes=5))
        b = webhooks.claim_due(two, now=clock.now(), traders=8, per_trader=2,
                               lease=timedelta(minutes=5))  # the first is not committed yet
        taken = [d.note_id for c in a + b for d in c.deliveries]
        one.commit()
        two.commit()
    assert len(taken) == 4 and len(set(taken)) == 4


class Endpoint:
    def __init__(self) -> None:
        self.up = False
        self.calls = 0

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        self.calls += 1
        if not self.up:
            raise ConnectionError("connection refused")
        return 204


def _hook(ctx: Context) -> WebhookRow:
    with ctx.uow(read_only=True) as uow:
        hook = webhooks.get_webhook(uow.session, TRADER)
        assert hook is not None
        return hook


def _round(ctx: Context, clock: FixedClock, endpoint: Endpoint) -> int:
    """One dispatcher round after every backoff has passed: how many POSTs it made."""
    clock.advance(hours=2)
    before = endpoint.calls
    deliver_once(ctx, post=endpoint)
    return endpoint.calls - before


def test_dead_endpoint_trips_the_breaker_and_a_probe_closes_it(ctx: Context,
                                                               clock: FixedClock) -> None:
    ctx.settings.webhook_breaker_failures = 3
    ctx.settings.webhook_breaker_cooldown_seconds = 4 * 3600
    ids = _lodge(ctx, 3)
    endpoint = Endpoint()
    # Closed: one POST per round (the first failure holds back the rest), three rounds.
    assert [_round(ctx, clock, endpoint) for _ in range(3)] == [1, 1, 1]
    hook = _hook(ctx)
    assert (hook.circuit_state, hook.consecutive_failures) == ("open", 3)
    assert hook.circuit_open_until == clock.now() + timedelta(hours=4)
    assert hook.last_error == "ConnectionError: connection refused"
    # Open: nothing is sent, in this process or another; nothing is dropped.
    assert _round(ctx, clock, endpoint) == 0
    other = build_context(ctx.settings, clock=clock)
    try:
        assert deliver_once(other, post=endpoint).failed == 0 and endpoint.calls == 3
    finally:
        other.engine.dispose()
    with ctx.uow(read_only=True) as uow:
        queued = notes.pull(uow.session, TRADER, after=0, limit=100, include_acknowledged=False)
        assert [n.id for n in queued] == ids
    # Cooled: a single probe, which fails: open for another period.
    assert _round(ctx, clock, endpoint) == 1
    assert _hook(ctx).circuit_state == "open" and _hook(ctx).consecutive_failures == 4
    assert _round(ctx, clock, endpoint) == 0
    # The endpoint is back: one probe closes the circuit, then everything follows.
    endpoint.up = True
    assert _round(ctx, clock, endpoint) == 1
    hook = _hook(ctx)
    assert (hook.circuit_state, hook.consecutive_failures, hook.circuit_open_until) == (
        "closed", 0, None)
    assert hook.last_success_at == clock.now()
    assert deliver_once(ctx, post=endpoint).delivered == len(ids) - 1
    with ctx.uow(read_only=True) as uow:
        assert notes.pull(uow.session, TRADER, after=0, limit=100,
                          include_acknowledged=False) == []


def test_registering_again_closes_the_circuit(ctx: Context, clock: FixedClock) -> None:
    ctx.settings.webhook_breaker_failures = 1
    _lodge(ctx, 1)
    assert _round(ctx, clock, Endpoint()) == 1
    assert _hook(ctx).circuit_state == "open"
    with ctx.uow() as uow:
        webhooks.set_webhook(uow.session, TRADER, URL + "/v2", "s3cret-s3cret-s3cret",
                             clock.now())
        uow.commit()
    assert (_hook(ctx).circuit_state, _hook(ctx).consecutive_failures) == ("closed", 0)


def test_one_round_takes_a_bounded_share_of_a_trader(ctx: Context) -> None:
    ids = _lodge(ctx, PER_TRADER)   # twice as many notifications as one round takes
    seen: list[int] = []

    def receiver(url: str, body: bytes, headers: dict[str, str]) -> int:
        seen.append(int(headers["X-Clearway-Notification"]))
        return 204

    assert deliver_once(ctx, post=receiver).delivered == PER_TRADER
    assert deliver_once(ctx, post=receiver).delivered == PER_TRADER
    assert seen == ids  # in order


@pytest.mark.parametrize(("allowed", "exit_code", "said", "received"), [
    ("127.0.0.1/32", 0, "2 delivered, 0 to retry", 2),
    ("", 0, "0 delivered, 1 to retry", 0),                  # the loopback is refused
    ("10.0.0.0/33", 2, "CLEARWAY_WEBHOOK_ALLOWED_NETWORKS", 0),
])
def test_cli_deliver(ctx: Context, db_url: str, monkeypatch: pytest.MonkeyPatch,
                     allowed: str, exit_code: int, said: str, received: int) -> None:
    listener = Listener()
    try:
        _lodge(ctx, 1)
        with ctx.uow() as uow:  # the command runs on the real clock
            webhooks.set_webhook(uow.session, TRADER, f"http://127.0.0.1:{listener.port}/in",
                                 "s3cret-s3cret-s3cret", ctx.clock.now())
            uow.session.execute(update(NotificationRow).values(
                next_attempt_at=ctx.clock.now() - timedelta(days=3650)))
            uow.commit()
        for name, value in (("DATABASE_URL", db_url), ("ENVIRONMENT", "test"),
                            ("WEBHOOK_ALLOWED_NETWORKS", allowed)):
            monkeypatch.setenv(f"CLEARWAY_{name}", value)
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(cli, ["notifications", "deliver"])
        finally:
            get_settings.cache_clear()
        assert result.exit_code == exit_code and said in result.output, result.output
        assert len(listener.seen) == received
    finally:
        listener.close()
