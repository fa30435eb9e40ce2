"""Webhook push: deliver unacknowledged notifications, retrying with exponential backoff.

A 2xx answer acknowledges the notification; anything else (or no answer) schedules the
next attempt. There is no maximum number of attempts: a notification is never dropped, and
it stays in the pull queue meanwhile.

No database transaction is open while a receiver is contacted (a slow receiver held the
SQLite write lock, and so every writer of the server, for a whole batch of timeouts). A
delivery is three steps: `claim_due` leases due notifications in a short transaction (their
`next_attempt_at` moves to the end of the lease, so no other dispatcher takes them; a crash
after the claim means a retry once the lease ends), the dispatcher POSTs with no transaction
open, and `record` writes the outcome in another short one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from clearway.notifications.circuit import CLOSED, HALF_OPEN, Circuit
from clearway.storage.orm import NotificationRow, WebhookRow

BASE_DELAY_SECONDS = 5

Poster = Callable[[str, bytes, dict[str, str]], int]


def backoff(attempts: int, rng: random.Random, max_seconds: int) -> timedelta:
    """5 s, 10 s, 20 s... capped, with up to 20 % jitter so receivers are not stampeded."""
    delay = min(BASE_DELAY_SECONDS * 2 ** max(attempts - 1, 0), max_seconds)
    return timedelta(seconds=delay * (1 + 0.2 * rng.random()))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Delivery:
    note_id: int
    attempts: int  # before this one
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Claim:
    """One trader's leased notifications, in order; `probe` when its circuit is half-open."""

    trader_id: str
    url: str
    lease_until: datetime
    probe: bool
    deliveries: list[Delivery]


@dataclass(frozen=True)
class Outcome:
    delivery: Delivery
    error: str | None  # None: delivered


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: DeliveryReport) -> None:
        self.delivered += other.delivered
        self.failed += other.failed
        self.errors += other.errors


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(NotificationRow.acknowledged_at.is_(None),
                NotificationRow.next_attempt_at.is_not(None),
                NotificationRow.next_attempt_at <= now)


def claim_due(session: Session, *, now: datetime, traders: int, per_trader: int,
              lease: timedelta) -> list[Claim]:
    """Lease due notifications of up to `traders` traders whose circuits admit them (the
    longest waiting first), up to `per_trader` each, one for a probe. Row locks (SKIP LOCKED on
    PostgreSQL) last only until this short transaction commits."""
    until = now + lease
    admitted = or_(WebhookRow.circuit_state == CLOSED, WebhookRow.circuit_open_until.is_(None),
                   WebhookRow.circuit_open_until <= now)
    chosen = session.execute(
        select(NotificationRow.trader_id)
        .join(WebhookRow, WebhookRow.trader_id == NotificationRow.trader_id)
        .where(_due(now), admitted)
        .group_by(NotificationRow.trader_id)
        .order_by(func.min(NotificationRow.next_attempt_at), NotificationRow.trader_id)
        .limit(traders)).scalars().all()
    claims = []
    for trader_id in chosen:
        hook = session.execute(select(WebhookRow).where(WebhookRow.trader_id == trader_id)
                               ).scalar_one_or_none()
        if hook is None:
            continue
        circuit = Circuit(hook.circuit_state, hook.consecutive_failures, hook.circuit_open_until)
        probe = circuit.admits(now) == "probe"
        notes = session.execute(
            select(NotificationRow).where(NotificationRow.trader_id == trader_id, _due(now))
            .order_by(NotificationRow.id).limit(1 if probe else per_trader)
            .with_for_update(skip_locked=True)).scalars().all()
        if not notes:
            continue
        if probe and not _take_probe(session, trader_id, now, until):
            continue  # another dispatcher is probing this webhook
        session.execute(update(NotificationRow)
                        .where(NotificationRow.id.in_([n.id for n in notes]))
                        .values(next_attempt_at=until).execution_options(
                            synchronize_session=False))
        claims.append(Claim(trader_id, hook.url, until, probe,
                            [_delivery(note, hook.secret) for note in notes]))
    return claims


def _take_probe(session: Session, trader_id: str, now: datetime, until: datetime) -> bool:
    """Half-open the circuit for the length of the lease, unless someone else just did."""
    taken = session.execute(
        update(WebhookRow).where(WebhookRow.trader_id == trader_id,
                                 WebhookRow.circuit_state != CLOSED,
                                 or_(WebhookRow.circuit_open_until.is_(None),
                                     WebhookRow.circuit_open_until <= now))
        .values(circuit_state=HALF_OPEN, circuit_open_until=until)
        .execution_options(synchronize_session=False))
    return bool(getattr(taken, "rowcount", 0))


def _delivery(note: NotificationRow, secret: str) -> Delivery:
    body = json.dumps({"id": note.id, **note.payload, "body": note.body}).encode()
    headers = {"Content-Type": "application/json", "X-Clearway-Signature": sign(secret, body),
               "X-Clearway-Notification": str(note.id)}
    return Delivery(note.id, note.attempts, body, headers)


def send(claim: Claim, post: Poster) -> list[Outcome]:
    """POST the claim's notifications in order; the first failure holds back the rest (they
    are retried with it), so a dead receiver costs one timeout per trader and round."""
    outcomes = []
    for delivery in claim.deliveries:
        try:
            status = post(claim.url, delivery.body, delivery.headers)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except Exception as exc:  # any transport failure or refusal means "try again later"
            error = f"{type(exc).__name__}: {exc}"[:500]
        outcomes.append(Outcome(delivery, error))
        if error is not None:
            break
    return outcomes


def record(session: Session, claim: Claim, outcomes: Sequence[Outcome], *, now: datetime,
           rng: random.Random, max_backoff: int, threshold: int,
           cooldown: timedelta) -> DeliveryReport:
    """Write what happened. A failure is written only while this claim's lease still holds
    (`next_attempt_at` unchanged): if it ended and another dispatcher took the notification,
    that one's outcome counts. A delivery always counts: the receiver has it."""
    report = DeliveryReport()
    if not outcomes:
        return report
    notes = NotificationRow
    delivered = [o.delivery.note_id for o in outcomes if o.error is None]
    failure = next((o for o in outcomes if o.error is not None), None)
    if delivered:
        session.execute(update(notes).where(notes.id.in_(delivered),
                                            notes.acknowledged_at.is_(None))
                        .values(acknowledged_at=now, last_delivered_at=now, next_attempt_at=None,
                                last_error=None, attempts=notes.attempts + 1)
                        .execution_options(synchronize_session=False))
        report.delivered = len(delivered)
    if failure is not None:
        retry_at = now + backoff(failure.delivery.attempts + 1, rng, max_backoff)
        leased = and_(notes.acknowledged_at.is_(None), notes.next_attempt_at == claim.lease_until)
        session.execute(update(notes).where(notes.id == failure.delivery.note_id, leased)
                        .values(attempts=notes.attempts + 1, last_error=failure.error,
                                next_attempt_at=retry_at)
                        .execution_options(synchronize_session=False))
        held_back = [d.note_id for d in claim.deliveries[len(outcomes):]]
        if held_back:
            session.execute(update(notes).where(notes.id.in_(held_back), leased)
                            .values(next_attempt_at=retry_at)
                            .execution_options(synchronize_session=False))
        report.failed = 1
        report.errors.append(f"{claim.trader_id}: {failure.error}")
    _trip(session, claim, failure.error if failure else None, now, threshold, cooldown)
    return report


def _trip(session: Session, claim: Claim, error: str | None, now: datetime, threshold: int,
          cooldown: timedelta) -> None:
    hook = session.get(WebhookRow, claim.trader_id, with_for_update=True)
    if hook is None or hook.url != claim.url:
        return  # removed or replaced meanwhile: the old URL's outcome says nothing of the new
    circuit = Circuit(hook.circuit_state, hook.consecutive_failures, hook.circuit_open_until)
    if error is None:
        circuit = circuit.succeeded()
        hook.last_success_at = now
    else:
        circuit = circuit.failed(now, threshold=threshold, cooldown=cooldown)
        hook.last_error, hook.last_failure_at = error, now
    hook.circuit_state, hook.consecutive_failures = circuit.state, circuit.failures
    hook.circuit_open_until = circuit.open_until


def set_webhook(session: Session, trader_id: str, url: str, secret: str, now: datetime) -> None:
    """Register or replace; the URL must have passed `guard.check_url`. A new registration
    starts with a closed circuit: the trader fixed its endpoint, or named a new one."""
    hook = session.get(WebhookRow, trader_id)
    if hook is None:
        session.add(WebhookRow(trader_id=trader_id, url=url, secret=secret, created_at=now,
                               circuit_state=CLOSED, consecutive_failures=0))
    else:
        hook.url, hook.secret = url, secret
        hook.circuit_state, hook.consecutive_failures, hook.circuit_open_until = CLOSED, 0, None
    session.flush()
    # Everything still unacknowledged becomes due for push at once.
    session.execute(update(NotificationRow).where(NotificationRow.trader_id == trader_id,
                                                  NotificationRow.acknowledged_at.is_(None))
                    .values(next_attempt_at=now).execution_options(synchronize_session=False))


def remove_webhook(session: Session, trader_id: str) -> bool:
    hook = session.get(WebhookRow, trader_id)
    if hook is None:
        return False
    session.delete(hook)
    return True


def get_webhook(session: Session, trader_id: str) -> WebhookRow | None:
    return session.get(WebhookRow, trader_id)
