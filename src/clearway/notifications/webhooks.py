"""Webhook push: deliver unacknowledged notifications, retrying with exponential backoff.

A 2xx answer acknowledges the notification; anything else (or no answer) schedules the
next attempt. There is no maximum number of attempts: a notification is never dropped, and
it stays in the pull queue meanwhile.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.storage.orm import NotificationRow, WebhookRow

BASE_DELAY_SECONDS = 5

Poster = Callable[[str, bytes, dict[str, str]], int]


def backoff(attempts: int, rng: random.Random, max_seconds: int) -> timedelta:
    """5 s, 10 s, 20 s... capped, with up to 20 % jitter so receivers are not stampeded."""
    delay = min(BASE_DELAY_SECONDS * 2 ** max(attempts - 1, 0), max_seconds)
    return timedelta(seconds=delay * (1 + 0.2 * rng.random()))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def http_poster(timeout: float) -> Poster:
    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        return httpx.post(url, content=body, headers=headers, timeout=timeout).status_code

    return post


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0


def deliver_due(session: Session, *, now: datetime, post: Poster, rng: random.Random,
                max_backoff: int, batch: int = 100) -> DeliveryReport:
    """Attempt every due notification once. Rows are locked (SKIP LOCKED on PostgreSQL)
    so that several dispatchers never send the same one at the same time."""
    report = DeliveryReport()
    due = session.execute(
        select(NotificationRow, WebhookRow)
        .join(WebhookRow, WebhookRow.trader_id == NotificationRow.trader_id)
        .where(NotificationRow.acknowledged_at.is_(None),
               NotificationRow.next_attempt_at.is_not(None),
               NotificationRow.next_attempt_at <= now)
        .order_by(NotificationRow.id).limit(batch)
        .with_for_update(skip_locked=True, of=NotificationRow)
    ).all()
    for note, hook in due:
        body = json.dumps({"id": note.id, **note.payload, "body": note.body}).encode()
        headers = {"Content-Type": "application/json", "X-Clearway-Signature":
                   sign(hook.secret, body), "X-Clearway-Notification": str(note.id)}
        note.attempts += 1
        try:
            status = post(hook.url, body, headers)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except Exception as exc:  # any transport failure means "try again later"
            error = f"{type(exc).__name__}: {exc}"[:500]
        if error is None:
            note.acknowledged_at = note.last_delivered_at = now
            note.next_attempt_at = None
            note.last_error = None
            report.delivered += 1
        else:
            note.last_error = error
            note.next_attempt_at = now + backoff(note.attempts, rng, max_backoff)
            report.failed += 1
    return report


def set_webhook(session: Session, trader_id: str, url: str, secret: str, now: datetime) -> None:
    hook = session.get(WebhookRow, trader_id)
    if hook is None:
        session.add(WebhookRow(trader_id=trader_id, url=url, secret=secret, created_at=now))
    else:
        hook.url, hook.secret = url, secret
    session.flush()
    # Everything still unacknowledged becomes due for push at once.
    for note in session.execute(select(NotificationRow).where(
            NotificationRow.trader_id == trader_id,
            NotificationRow.acknowledged_at.is_(None))).scalars():
        note.next_attempt_at = now


def remove_webhook(session: Session, trader_id: str) -> bool:
    hook = session.get(WebhookRow, trader_id)
    if hook is None:
        return False
    session.delete(hook)
    return True
