"""`verify --deep`, the chain's side: what the stored records must say, read from the
entries as the chain is verified (one pass). The entries were written in the same
transaction as the records and are covered by the chain, so a record edited behind the
application's back (a direct UPDATE) disagrees with them. Kept compact: per declaration
its status, version hashes, risk channel and a running digest of the events it implies."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from clearway.declarations.lifecycle import STATUSES
from clearway.declarations.lifecycle import DeclarationStatus as S

# Status-changing declaration actions: `declaration.<status>` moves to that status. Lodging
# (accepted or rejected at once) is read apart; every later status is a move.
MOVES = frozenset(STATUSES) - {S.LODGED, S.ACCEPTED, S.REJECTED}
# Keys an entry adds to its event's detail (the event is what the trader is shown).
_ENTRY_ONLY = ("from", "automatic", "override")

Event = tuple[str, str | None, str, str, str, str]  # kind, from, to, at, actor, detail JSON


def at_text(at: datetime) -> str:
    """UTC wall time, as entries are hashed (stored times lose their zone on SQLite)."""
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _json(detail: dict[str, Any]) -> str:
    return json.dumps(detail, sort_keys=True, separators=(",", ":"), default=str)


def event_of_row(kind: str, from_status: str | None, to_status: str, at: datetime,
                 actor: str, detail: dict[str, Any]) -> Event:
    """A stored event as compared: the detail cut to what its entry also says."""
    if kind == "amended":
        detail = {"version": detail.get("version")}
    return kind, from_status, to_status, at_text(at), actor, _json(detail)


def events_of_entry(action: str, object_id: str, at: str, actor: str,
                    detail: dict[str, Any], status: str | None) -> tuple[list[Event], str | None]:
    """The events a declaration entry implies, given the status before it, and the status
    after it (the clearance room writes both in one transaction: `clearance.moves.move`)."""
    what = action.removeprefix("declaration.")
    if what in ("accepted", "rejected"):
        outcome = {"mrn": object_id} if what == "accepted" else {
            "errors": len(detail.get("errors") or [])}
        return [("lodged", None, "lodged", at, actor, "{}"),
                (what, "lodged", what, at, "system", _json(outcome))], what
    if status is None:
        return [], status
    if what == "amended":
        return [("amended", status, status, at, actor,
                 _json({"version": detail.get("version")}))], status
    if what == "channel_changed":
        return [("channel_changed", status, status, at, actor,
                 _json({"from_channel": detail.get("from"), "channel": detail.get("to")}))], status
    if what == "risk_reassessed":  # risk.amendment: a raised channel shows as an event
        if detail.get("kept", True):
            return [], status
        return [("channel_changed", status, status, at, actor,
                 _json({"from_channel": detail.get("previous_channel"),
                        "channel": detail.get("channel")}))], status
    if what in MOVES:
        kept = {k: v for k, v in detail.items() if k not in _ENTRY_ONLY}
        return [(what, status, what, at, actor, _json(kept))], what
    return [], status


def digest(events: Iterable[Event]) -> bytes:
    h = hashlib.sha256()
    for e in events:
        h.update(repr(e).encode())
    return h.digest()


@dataclass(slots=True)
class Declared:
    """What the chain says of one declaration."""

    status: str | None = None
    status_entry: int = 0
    versions: dict[int, tuple[str, str | None, int]] = field(default_factory=dict)
    hash: str | None = None  # content hash of the current version (or of a rejection)
    hash_entry: int = 0
    events: Any = field(default_factory=hashlib.sha256)
    channel: str | None = None
    decision: dict[str, Any] | None = None  # the risk summary last assessed
    channel_entry: int = 0


@dataclass(slots=True)
class Expectations:
    declarations: dict[str, Declared] = field(default_factory=dict)
    results: dict[str, tuple[dict[str, Any], int]] = field(default_factory=dict)
    users: dict[str, tuple[str, dict[str, Any], int]] = field(default_factory=dict)

    def feed(self, entries: Iterable[Any]) -> Iterator[Any]:
        """Pass the entries through, observing each (the chain verifies the same ones)."""
        for entry in entries:
            self.observe(entry)
            yield entry

    def observe(self, e: Any) -> None:
        if e.object_type == "declaration" and e.action != "declaration.read":
            self._declaration(e)
        elif e.action == "control_result.recorded":
            self.results[e.object_id] = (e.detail, e.id)
        elif e.object_type == "user" and e.action.startswith("user."):
            self.users[e.object_id] = (e.action, e.detail, e.id)

    def _declaration(self, e: Any) -> None:
        d = self.declarations.get(e.object_id)
        if d is None:
            d = self.declarations[e.object_id] = Declared()
        events, status = events_of_entry(e.action, e.object_id, at_text(e.at), e.actor,
                                          e.detail, d.status)
        for event in events:
            d.events.update(repr(event).encode())
        if status != d.status:
            d.status, d.status_entry = status, e.id
        detail, what = e.detail, e.action.removeprefix("declaration.")
        if what in ("accepted", "amended", "rejected") and detail.get("hash"):
            version = 1 if what != "amended" else int(detail.get("version") or 0)
            d.hash, d.hash_entry = detail["hash"], e.id
            if what != "rejected":
                d.versions[version] = (detail["hash"], detail.get("raw_sha256"), e.id)
        if what in ("risk_assessed", "risk_reassessed"):
            d.channel, d.decision, d.channel_entry = detail.get("channel"), detail, e.id
        elif what == "channel_changed":
            d.channel, d.channel_entry = detail.get("to"), e.id


@dataclass(frozen=True)
class Mismatch:
    """The first stored record that disagrees with the chain."""

    table: str
    key: str
    field: str
    stored: str
    expected: str
    entry_id: int | None = None  # the entry it disagrees with (None: no entry at all)

    def reason(self) -> str:
        against = f"entry {self.entry_id}" if self.entry_id else "the audit trail"
        return (f"{self.table} {self.key}: {self.field} is {self.stored}, {against} says "
                f"{self.expected}")

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "key": self.key, "field": self.field,
                "stored": self.stored, "expected": self.expected, "entry_id": self.entry_id}
