"""The one way a declaration changes status.

`move` checks the transition against the life cycle (`declarations.lifecycle.TRANSITIONS`), writes
the new status, the declaration's event, the trader's notification and the audit entry (and, on
a release for exit at the border, the neighbour's anticipated arrival), all in the caller's
unit of work: every use case that changes a status calls it, so none of the four
can be forgotten and no transition escapes the check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.clearance.exits import on_release
from clearway.clearance.licences import reverse_in
from clearway.declarations import repository as decl_repo
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.declarations.lifecycle import LifecycleError, check_transition
from clearway.errors import ClearwayError, Issue
from clearway.notifications.service import add_notifications, notify
from clearway.storage.orm import DeclarationRow


@dataclass(frozen=True)
class Notice:
    """What the trader's notification of a move says (the kind is the new status, unless
    `kind` names another: an ENS/EXS outcome is its own kind)."""

    message: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    kind: str | None = None


TELL = Notice()  # the plain notice: the new status, nothing more


@dataclass
class Batch:
    """What several moves of one use case write together at its end (`write`): their events
    and notifications, one insert each, and with `state` the row's MRN and last status in one
    update instead of one per move (the acceptance path: lodged, accepted, assessed, released
    in one transaction)."""

    state: bool = False
    events: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)

    def write(self, session: Session, row: DeclarationRow) -> None:
        if self.state:
            decl_repo.write_state(session, row)
        decl_repo.add_events(session, self.events)
        add_notifications(session, self.notes)
        self.events, self.notes = [], []


def move(session: Session, row: DeclarationRow, target: str, *, now: datetime, actor: str,
         detail: dict[str, Any] | None = None, notice: Notice | None = TELL,
         audit_detail: dict[str, Any] | None = None, event_actor: str | None = None,
         batch: Batch | None = None, lodged: bool = False) -> str:
    """Move `row` to `target` and return the status it left.

    `detail` is the event's detail, which the trader reads; `audit_detail` replaces the audit
    entry's default (`{"from": previous, **detail}`) where customs keep more than the trader
    sees. `notice=None` when the same use case tells the trader in a later move (an automatic
    release follows the risk decision at once). `event_actor` names the event's actor where it
    differs from the audit entry's (the system accepts what a user lodged). `batch` collects
    the event and the notification (and with `batch.state` the status) for the caller to
    write with the use case's others (`Batch.write`). `lodged`: the row was inserted by this
    unit of work already in `target` (a filing is accepted or rejected in the insert that
    lodges it), so the move starts from `lodged`."""
    previous = S.LODGED if lodged else row.status
    try:
        check_transition(previous, target)
    except LifecycleError as exc:
        raise ClearwayError(code="CW-STATE", message=str(exc)) from None
    if batch is not None and batch.state:
        row.status, row.updated_at = target, now
    elif not lodged:
        decl_repo.set_status(session, row, target, now)
    if target == S.RELEASED:
        on_release(session, row, now)
    if target in (S.CANCELLED, S.INVALIDATED):  # the licences' write-offs are given back
        reverse_in(session, row, now=now, actor=actor, why=target)
    detail = detail or {}
    event = decl_repo.event(row, at=now, kind=target, from_status=previous,
                            to_status=target, actor=event_actor or actor, detail=detail)
    if batch is None:
        decl_repo.add_events(session, [event])
    else:
        batch.events.append(event)
    if notice is not None:
        notify(session, row, kind=notice.kind or target, at=now, message=notice.message,
               extra=notice.extra, errors=notice.errors,
               into=None if batch is None else batch.notes)
    audit.append(session, at=now, actor=actor, action=f"declaration.{target}",
                 object_type="declaration", object_id=row.mrn or str(row.id),
                 detail={"from": previous, **detail} if audit_detail is None else audit_detail)
    return previous
