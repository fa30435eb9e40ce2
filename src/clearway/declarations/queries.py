"""Read side: what a user may see of declarations, shaped for the API and the console."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from clearway.context import Context
from clearway.declarations import repository as repo
from clearway.identity import User
from clearway.storage.orm import DeclarationRow, EventRow, NotificationRow


def view(row: DeclarationRow) -> dict[str, Any]:
    """The canonical document plus what customs added: MRN, status, version, errors."""
    return {
        **row.document,
        "mrn": row.mrn,
        "status": row.status,
        "version": row.version,
        "format": row.format,
        "id": row.id,
        "received_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
        "errors": row.errors,
    }


def summary(row: DeclarationRow) -> dict[str, Any]:
    return {
        "id": row.id, "mrn": row.mrn, "lrn": row.lrn, "declarant_id": row.declarant_id,
        "declaration_type": row.declaration_type, "additional_type": row.additional_type,
        "status": row.status, "version": row.version, "format": row.format,
        "item_count": row.item_count, "office": row.office,
        "received_at": row.created_at.isoformat(), "updated_at": row.updated_at.isoformat(),
    }


# What a trader may read of each event's detail: an allow-list, so a kind or a field not
# named here shows the trader nothing (risk decisions show the channel, never hits or
# scores; a control shows its outcome, never the task, the officer or their notes).
TRADER_DETAIL: dict[str, tuple[str, ...]] = {
    "accepted": ("mrn",), "rejected": ("errors",), "risk_assessed": ("channel",),
    "channel_changed": ("from_channel", "channel"), "amended": ("version", "reason"),
    "released": ("channel", "outcome", "revenue", "reason"),
    "detained": ("outcome", "revenue", "reason"), "seized": ("outcome", "revenue", "reason"),
    "cancelled": ("reason",),
    # The partner's exit result (never the alarm kinds it raised: they are risk information).
    "exit_confirmed": ("result", "arrived_at", "office_of_entry"),
}
# Free text is shown to a trader only when a trader typed it: an officer's reason may name
# colleagues or themselves.
TRADER_TEXT = frozenset({"reason"})
TRADER_ACTOR = "trader:"


def administration(country: str, office: str | None = None) -> str:
    """How customs appear to a trader: the administration and, where known, the office;
    never a person (issue 14)."""
    return f"customs:{country}" + (f":{office}" if office else "")


def event_view(e: EventRow, *, for_trader: bool = False, customs: str = "customs",
               company: str | None = None) -> dict[str, Any]:
    """One event; for a trader every customs actor (officer, supervisor, engine, system)
    becomes `customs` (see `administration`) and the detail keeps only allowed fields.
    `company`: how the filer's own users appear to another company named on the filing
    (its trader id, never the user names of another company's staff)."""
    if not for_trader:
        return {"at": e.at.isoformat(), "kind": e.kind, "from_status": e.from_status,
                "to_status": e.to_status, "actor": e.actor, "detail": e.detail}
    by_trader = e.actor.startswith(TRADER_ACTOR)
    allowed = TRADER_DETAIL.get(e.kind, ())
    detail = {k: v for k, v in (e.detail or {}).items()
              if k in allowed and (by_trader or k not in TRADER_TEXT)}
    return {"at": e.at.isoformat(), "kind": e.kind, "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": (company or e.actor) if by_trader else customs, "detail": detail}


def events_view(ctx: Context, row: DeclarationRow, events: list[EventRow],
                user: User) -> list[dict[str, Any]]:
    """A declaration's events as `user` may see them (the API and the console)."""
    customs = administration(ctx.settings.country_code, row.office)
    company = (None if user.trader_id == row.submitted_by
               else f"{TRADER_ACTOR}{row.submitted_by}")
    return [event_view(e, for_trader=user.is_trader, customs=customs, company=company)
            for e in events]


def list_visible(ctx: Context, flt: repo.ListFilter, user: User, *, offset: int,
                 limit: int) -> tuple[list[DeclarationRow], int]:
    with ctx.uow(read_only=True) as uow:
        return repo.list_rows(uow.session, flt, trader_id=user.trader_id, offset=offset,
                              limit=limit)


def list_visible_with_channels(ctx: Context, flt: repo.ListFilter, user: User, *, offset: int,
                               limit: int) -> tuple[list[tuple[DeclarationRow, str | None]], int]:
    """One page of the declarations the user may see, each with its risk channel (what a
    trader learns of its own filings too; reasons stay on the staff's detail page)."""
    with ctx.uow(read_only=True) as uow:
        return repo.list_rows_with_channels(uow.session, flt, trader_id=user.trader_id,
                                            offset=offset, limit=limit)


def notifications_view(ctx: Context, declaration_id: int, user: User) -> list[dict[str, Any]]:
    """The notifications sent about a declaration: all of them for staff, a trader's own
    for a trader."""
    query = select(NotificationRow).where(NotificationRow.declaration_id == declaration_id)
    if user.trader_id is not None:
        query = query.where(NotificationRow.trader_id == user.trader_id)
    with ctx.uow(read_only=True) as uow:
        notes = uow.session.execute(query.order_by(NotificationRow.id)).scalars().all()
        return [{"id": n.id, "kind": n.kind, "trader_id": n.trader_id, "format": n.format,
                 "created_at": n.created_at, "acknowledged_at": n.acknowledged_at,
                 "message": (n.payload or {}).get("message", ""),
                 "errors": len((n.payload or {}).get("errors") or [])}
                for n in notes]
