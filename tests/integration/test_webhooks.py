"""Webhook push: resend with backoff until the receiver takes it; never silently dropped."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from clearway.bootstrap import prepare
from clearway.clearance import lodging
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.notifications import webhooks
from clearway.notifications.dispatcher import deliver_once
from clearway.notifications.webhooks import backoff, sign
from clearway.storage.orm import NotificationRow
from clearway.users.service import authenticate
from helpers import TRADER, import_doc, make_token


class Receiver:
    """A fake endpoint that fails a given number of times, then accepts."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[tuple[str, dict[str, object], dict[str, str]]] = []

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        self.calls.append((url, json.loads(body), headers))
        if self.failures > 0:
            self.failures -= 1
            if self.failures % 2:
                raise ConnectionError("receiver down")
            return 503
        return 204


def _lodge(ctx: Context) -> int:
    prepare(ctx)
    token = make_token(ctx, "hooked", "trader", TRADER)
    with ctx.uow() as uow:
        webhooks.set_webhook(uow.session, TRADER, "https://trader.example/hook",
                             "s3cret-s3cret-s3cret", ctx.clock.now())
        user = authenticate(uow.session, token, ctx.clock.now())
        uow.commit()
    assert lodging.submit(ctx, json.dumps(import_doc()).encode(), "application/json",
                          user).kind == "created"
    with ctx.uow() as uow:  # accepted, then released (green): two notifications; these
        # tests follow the first alone, so the second counts as acknowledged already
        notes = list(uow.session.execute(select(NotificationRow)
                                         .order_by(NotificationRow.id)).scalars())
        assert [n.kind for n in notes] == ["accepted", "released"]
        notes[1].acknowledged_at = ctx.clock.now()
        uow.commit()
    return 1


def _first(session: Any) -> NotificationRow:
    return session.execute(select(NotificationRow).order_by(NotificationRow.id)).scalars().first()


def _deliver(ctx: Context, receiver: Receiver) -> webhooks.DeliveryReport:
    return deliver_once(ctx, post=receiver)


def test_retries_with_backoff_until_delivered(ctx: Context, clock: FixedClock) -> None:
    notes = _lodge(ctx)
    receiver = Receiver(failures=4)
    waits = []
    for _ in range(4):  # in order: a failed first notification holds back the later ones
        assert _deliver(ctx, receiver).failed == 1
        with ctx.uow() as uow:
            note = _first(uow.session)
            assert note.acknowledged_at is None and note.last_error
            assert note.next_attempt_at is not None
            waits.append(note.next_attempt_at - clock.now())
        assert _deliver(ctx, receiver).failed == 0  # not due yet: nothing is sent
        clock.advance(seconds=waits[-1].total_seconds() + 1)
    assert waits == sorted(waits) and waits[-1] > waits[0]
    assert _deliver(ctx, receiver).delivered == notes
    assert receiver.calls[-1][0] == "https://trader.example/hook"
    _url, body, headers = receiver.calls[-notes]
    assert body["kind"] == "accepted" and body["mrn"]
    assert headers["X-Clearway-Signature"].startswith("sha256=")
    with ctx.uow() as uow:
        note = _first(uow.session)
        assert note.acknowledged_at is not None and note.attempts == 5
    assert _deliver(ctx, receiver).delivered == 0  # acknowledged: never sent again


def test_never_dropped_after_many_failures(ctx: Context, clock: FixedClock) -> None:
    _lodge(ctx)
    receiver = Receiver(failures=10_000)
    for _ in range(30):
        _deliver(ctx, receiver)
        clock.advance(hours=2)
    with ctx.uow() as uow:
        note = _first(uow.session)
        assert note.acknowledged_at is None and note.next_attempt_at is not None
        assert note.attempts == 30


@pytest.mark.parametrize(("attempts", "low", "high"), [
    (1, 5, 6), (2, 10, 12), (5, 80, 96), (20, 3600, 4320),
])
def test_backoff_doubles_and_is_capped(attempts: int, low: float, high: float) -> None:
    delay = backoff(attempts, random.Random(0), max_seconds=3600)
    assert timedelta(seconds=low) <= delay <= timedelta(seconds=high)


def test_signature_is_hmac_of_the_body() -> None:
    assert sign("k", b"x") == sign("k", b"x") != sign("k", b"y")
