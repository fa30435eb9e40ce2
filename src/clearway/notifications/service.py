"""Notifications: every life-cycle step tells the trader, in the format it filed in.

A notification is written in the same transaction as the event that caused it, so it can
never be lost; it stays in the trader's pull queue until acknowledged, and the webhook
dispatcher (see `webhooks.py`) resends it with backoff until the receiver takes it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, exists, null, select, update
from sqlalchemy.orm import Session

from clearway.context import Context
from clearway.errors import Issue, NotFound
from clearway.notifications import guard, webhooks
from clearway.storage.orm import DeclarationRow, NotificationRow, WebhookRow

_NOTES = cast(Table, NotificationRow.__table__)
_HOOKS = cast(Table, WebhookRow.__table__)
# One statement: the notification is due for push at once only if the trader has a webhook.
_INSERT_NOTIFICATION = _NOTES.insert().values(
    next_attempt_at=case(
        (exists().where(_HOOKS.c.trader_id == bindparam("hook_owner")), bindparam("due")),
        else_=null()))

MESSAGES = {
    "accepted": "The declaration is accepted; the MRN is issued.",
    "rejected": "The declaration is rejected: correct the listed errors and lodge it again.",
    "risk_assessed": "Risk analysis is complete.",
    "under_control": "The goods are selected for control: do not remove them.",
    "released": "The goods are released.",
    "detained": "The goods are detained by customs: do not remove them.",
    "seized": "The goods are seized by customs.",
    "cancelled": "The declaration is cancelled.",
    "invalidated": "The declaration is invalidated.",
    "amended": "The amendment is accepted; a new version of the declaration is recorded.",
}


def render_body(kind: str, row: DeclarationRow, issued_at: datetime,
                errors: Sequence[Issue], message: str) -> str | None:
    """The message in the filing's own format: DMS XML for WCO XML, CUSRES for EDIFACT."""
    if row.format == "wco-xml":
        from clearway.notifications.dms_xml import render_dms_response

        return render_dms_response(kind, lrn=row.lrn, mrn=row.mrn, issued_at=issued_at,
                                   errors=errors, version=row.version, message=message)
    if row.format == "edifact":
        from clearway.notifications.cusres import render_cusres

        return render_cusres(kind, lrn=row.lrn, mrn=row.mrn, issued_at=issued_at,
                             errors=errors, envelope=row.envelope, message=message)
    return None


# Extra payload fields a trader may receive (pull, webhook, console): an allow-list, so a
# caller passing a task, an officer or a reason by mistake sends none of it (issue 14).
TRADER_EXTRA = frozenset({"channel", "revenue_due", "agency", "agency_decision",
                          # an ENS/EXS outcome: what the carrier must do, and where
                          "outcome", "office", "information_requested"})


def notify(session: Session, row: DeclarationRow, *, kind: str, at: datetime,
           errors: Sequence[Issue] = (), message: str | None = None,
           extra: dict[str, Any] | None = None,
           into: list[dict[str, Any]] | None = None) -> None:
    """Queue a notification for the filer. `message` is shown to the trader as is (in the
    payload, the DMS XML or CUSRES body and the webhook): callers pass fixed wording or the
    trader's own words, never text typed by customs, which may name an officer. `into`: the
    row is collected there, for `add_notifications` to write with the use case's others."""
    text = message or MESSAGES.get(kind, kind)
    payload: dict[str, Any] = {
        "kind": kind, "mrn": row.mrn, "lrn": row.lrn, "status": row.status,
        "version": row.version, "declaration_type": row.declaration_type,
        "issued_at": at.isoformat(), "message": text,
        "errors": [e.as_dict() for e in errors],
        **{k: v for k, v in (extra or {}).items() if k in TRADER_EXTRA},
    }
    note = dict(
        trader_id=row.submitted_by, declaration_id=row.id, mrn=row.mrn, lrn=row.lrn, kind=kind,
        format=row.format, created_at=at, payload=payload,
        body=render_body(kind, row, at, errors, text), acknowledged_at=None, attempts=0,
        due=at, hook_owner=row.submitted_by,
    )
    if into is None:
        add_notifications(session, [note])
    else:
        into.append(note)


def add_notifications(session: Session, notes: list[dict[str, Any]]) -> None:
    """Write notifications collected by `notify(..., into=...)`, in one statement."""
    if notes:
        session.connection().execute(_INSERT_NOTIFICATION, notes)


def pull(session: Session, trader_id: str, *, after: int, limit: int,
         include_acknowledged: bool) -> list[NotificationRow]:
    query = select(NotificationRow).where(NotificationRow.trader_id == trader_id,
                                          NotificationRow.id > after)
    if not include_acknowledged:
        query = query.where(NotificationRow.acknowledged_at.is_(None))
    return list(session.execute(query.order_by(NotificationRow.id).limit(limit)).scalars())


def get(session: Session, trader_id: str | None, note_id: int) -> NotificationRow | None:
    note = session.get(NotificationRow, note_id)
    if note is None or (trader_id is not None and note.trader_id != trader_id):
        return None
    return note


def acknowledge(session: Session, trader_id: str, *, ids: Sequence[int] = (),
                up_to: int | None = None, at: datetime) -> int:
    """Acknowledge given notifications, or all up to a cursor. Returns how many changed."""
    query = update(NotificationRow).where(NotificationRow.trader_id == trader_id,
                                          NotificationRow.acknowledged_at.is_(None))
    if up_to is not None:
        query = query.where(NotificationRow.id <= up_to)
    else:
        query = query.where(NotificationRow.id.in_(list(ids)))
    result = session.execute(query.values(acknowledged_at=at, next_attempt_at=None))
    return int(getattr(result, "rowcount", 0) or 0)


# --- use cases: one unit of work each --------------------------------------------------

def pull_notes(ctx: Context, trader_id: str, *, after: int, limit: int,
               include_acknowledged: bool) -> list[NotificationRow]:
    """The trader's queue after the cursor `after`, oldest first."""
    with ctx.uow(read_only=True) as uow:
        return pull(uow.session, trader_id, after=after, limit=limit,
                    include_acknowledged=include_acknowledged)


def note_of(ctx: Context, trader_id: str, note_id: int) -> NotificationRow:
    """One of the trader's notifications; another trader's is NotFound, as a missing one."""
    with ctx.uow(read_only=True) as uow:
        note = get(uow.session, trader_id, note_id)
    if note is None:
        raise NotFound("Notification", str(note_id))
    return note


def webhook_of(ctx: Context, trader_id: str) -> WebhookRow:
    """The trader's webhook with its circuit breaker's state (NotFound when it has none)."""
    with ctx.uow(read_only=True) as uow:
        hook = webhooks.get_webhook(uow.session, trader_id)
    if hook is None:
        raise NotFound("Webhook", trader_id)
    return hook


def acknowledge_notes(ctx: Context, trader_id: str, *, ids: Sequence[int] = (),
                      up_to: int | None = None) -> int:
    """The trader acknowledges notifications (given ids, or all up to a cursor); returns how
    many changed. Acknowledged ones leave the pull queue and are no longer pushed."""
    with ctx.uow() as uow:
        count = acknowledge(uow.session, trader_id, ids=ids, up_to=up_to, at=ctx.clock.now())
        uow.commit()
    return count


def configure_webhook(ctx: Context, trader_id: str, url: str, secret: str | None) -> str:
    """Set the trader's webhook; returns its HMAC secret (the one given, else a new one)."""
    # Resolved and checked before the unit of work: no lock is held while DNS answers.
    guard.check_url(url, guard.Policy.from_settings(ctx.settings))
    secret = secret or secrets.token_urlsafe(24)
    with ctx.uow() as uow:
        webhooks.set_webhook(uow.session, trader_id, url, secret, ctx.clock.now())
        uow.commit()
    return secret


def delete_webhook(ctx: Context, trader_id: str) -> None:
    """Remove the trader's webhook (NotFound when it has none); notifications stay in the
    pull queue."""
    with ctx.uow() as uow:
        if not webhooks.remove_webhook(uow.session, trader_id):
            raise NotFound("Webhook", trader_id)
        uow.commit()
