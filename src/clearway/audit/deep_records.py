"""`verify --deep`, the records' side: stream the stored records in batches and compare each
with what the chain says (`audit.deep.Expectations`); the first that disagrees is named.
Users, then declarations (row, versions, events, risk decision), then control results; then
records the chain names but the tables lack (deleted)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pydantic_core
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit.deep import (
    Declared,
    Event,
    Expectations,
    Mismatch,
    at_text,
    digest,
    event_of_row,
    events_of_entry,
)
from clearway.storage.orm import (
    AuditRow,
    DeclarationRow,
    DeclarationVersionRow,
    EventRow,
    UserRow,
)
from clearway.storage.orm_controls import ControlResultRow
from clearway.storage.orm_risk import RiskDecisionRow

BATCH = 1000


def document_hash(document: Any) -> str:
    """The content hash of a stored canonical document: the same serializer (pydantic-core)
    and the same JSON as `declarations.canonical.content_hash`, without re-validating it."""
    return hashlib.sha256(pydantic_core.to_json(document)).hexdigest()


def compare(session: Session, exp: Expectations) -> tuple[Mismatch | None, int]:
    """The first record that disagrees with the chain (None: all agree), and how many
    records were compared."""
    count = 0
    for check in (_users, _declarations, _results):
        for found in check(session, exp):
            if found is not None:
                return found, count
            count += 1
    return _deleted(exp), count


def _batches(session: Session, query: Any, key: Any) -> Iterator[Sequence[Any]]:
    """Keyset pages of `query` by `key`, so memory stays flat on any number of rows."""
    last: Any = None
    while True:
        page = query if last is None else query.where(key > last)
        rows = session.execute(page.order_by(key).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], key.key)


def _users(session: Session, exp: Expectations) -> Iterator[Mismatch | None]:
    query = select(UserRow.id, UserRow.name, UserRow.role, UserRow.trader_id,
                   UserRow.expires_at, UserRow.revoked_at)
    for rows in _batches(session, query, UserRow.id):
        for row in rows:
            yield _user(row, exp.users.pop(row.name, None))


def _user(row: Any, said: tuple[str, dict[str, Any], int] | None) -> Mismatch | None:
    if said is None:
        return Mismatch("users", row.name, "row", f"role {row.role}", "nothing: no "
                        "user-administration entry names this user")
    action, detail, entry = said
    for name, stored, expected in (
            ("role", row.role, detail.get("role")),
            ("trader_id", row.trader_id, detail.get("trader_id")),
            ("expires_at", _iso(row.expires_at), _iso(detail.get("expires_at"))),
            ("revoked", row.revoked_at is not None, action == "user.revoked")):
        if stored != expected:
            return Mismatch("users", row.name, name, repr(stored), repr(expected), entry)
    return None


def _naive(at: datetime) -> datetime:
    """UTC wall time (SQLite keeps no zone: a naive time is UTC)."""
    return at if at.tzinfo is None else at.astimezone(UTC).replace(tzinfo=None)


def _iso(at: datetime | str | None) -> str | None:
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return None if at is None else at_text(_naive(at))


def _declarations(session: Session, exp: Expectations) -> Iterator[Mismatch | None]:
    query = select(DeclarationRow.id, DeclarationRow.mrn, DeclarationRow.status,
                   DeclarationRow.version, DeclarationRow.content_hash,
                   DeclarationRow.document)
    for rows in _batches(session, query, DeclarationRow.id):
        lo, hi = rows[0].id, rows[-1].id
        # Plain columns, not ORM objects: building those cost more than the comparisons.
        v, e, r = DeclarationVersionRow, EventRow, RiskDecisionRow
        versions = _grouped(session, select(
            v.declaration_id, v.version, v.content_hash, v.document, v.raw).where(
            v.declaration_id.between(lo, hi)).order_by(v.declaration_id, v.version))
        events = _grouped(session, select(
            e.id, e.declaration_id, e.at, e.kind, e.from_status, e.to_status, e.actor,
            e.detail).where(e.declaration_id.between(lo, hi)).order_by(e.declaration_id, e.id))
        decisions = {d.declaration_id: d for d in session.execute(select(
            r.declaration_id, r.channel, r.decision, r.random_selected, r.expected_value,
            r.ens_outcome).where(r.declaration_id.between(lo, hi)))}
        for row in rows:
            key = row.mrn or str(row.id)
            said = exp.declarations.pop(key, None)
            if said is None:
                yield Mismatch("declarations", key, "row", f"status {row.status}",
                               "nothing: no entry names this declaration")
                continue
            yield (_declaration(row, key, said)
                   or _versions(key, versions.get(row.id, []), said)
                   or _events(session, key, events.get(row.id, []), said)
                   or _decision(key, decisions.get(row.id), said))


def _grouped(session: Session, query: Any) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for row in session.execute(query):
        found.setdefault(row.declaration_id, []).append(row)
    return found


def _declaration(row: Any, key: str, said: Declared) -> Mismatch | None:
    if row.status != said.status:
        return Mismatch("declarations", key, "status", repr(row.status), repr(said.status),
                        said.status_entry)
    if said.hash is not None and row.content_hash != said.hash:
        return Mismatch("declarations", key, "content_hash", row.content_hash, said.hash,
                        said.hash_entry)
    if said.versions and row.version != max(said.versions):
        return Mismatch("declarations", key, "version", str(row.version),
                        str(max(said.versions)), said.versions[max(said.versions)][2])
    actual = document_hash(row.document)
    if actual != row.content_hash:
        return Mismatch("declarations", key, "document", f"content hash {actual}",
                        f"content hash {row.content_hash}", said.hash_entry or None)
    return None


def _versions(key: str, stored: list[Any], said: Declared
              ) -> Mismatch | None:
    table, by_number = "declaration_versions", {v.version: v for v in stored}
    for number, (expected, raw, entry) in sorted(said.versions.items()):
        version = by_number.pop(number, None)
        where = f"{key} version {number}"
        if version is None:
            return Mismatch(table, where, "row", "missing", f"content hash {expected}", entry)
        if version.content_hash != expected:
            return Mismatch(table, where, "content_hash", version.content_hash, expected, entry)
        actual = document_hash(version.document)
        if actual != expected:
            return Mismatch(table, where, "document", f"content hash {actual}",
                            f"content hash {expected}", entry)
        if raw is not None and hashlib.sha256(version.raw).hexdigest() != raw:
            return Mismatch(table, where, "raw", "sha256 "
                            f"{hashlib.sha256(version.raw).hexdigest()}", f"sha256 {raw}", entry)
    if by_number and said.versions:
        extra = min(by_number)
        return Mismatch(table, f"{key} version {extra}", "row", "present",
                        "nothing: no entry names this version")
    return None


def _events(session: Session, key: str, stored: list[Any], said: Declared
            ) -> Mismatch | None:
    rows = [event_of_row(e.kind, e.from_status, e.to_status, _naive(e.at), e.actor, e.detail)
            for e in stored]
    if digest(rows) == said.events.digest():
        return None
    # Rare: rebuild this declaration's expected events with their entries, to say which.
    expected: list[tuple[Event, int]] = []
    status: str | None = None
    for entry in session.execute(select(AuditRow).where(
            AuditRow.object_type == "declaration", AuditRow.object_id == key)
            .order_by(AuditRow.id)).scalars():
        made, status = events_of_entry(entry.action, key, at_text(_naive(entry.at)), entry.actor,
                                       entry.detail, status)
        expected += [(e, entry.id) for e in made]
    for index in range(max(len(rows), len(expected))):
        have = rows[index] if index < len(rows) else None
        want, entry_id = expected[index] if index < len(expected) else (None, None)
        if have != want:
            where = f"{key} event {index + 1}" + (f" (id {stored[index].id})"
                                                  if index < len(stored) else "")
            return Mismatch("declaration_events", where, "event", _show(have), _show(want),
                            entry_id)
    return Mismatch("declaration_events", key, "events", "in another order", "the entries'")


def _show(event: Event | None) -> str:
    if event is None:
        return "nothing"
    kind, frm, to, at, actor, detail = event
    return f"{kind} {frm}->{to} at {at} by {actor} {detail}"


def _decision(key: str, row: Any, said: Declared) -> Mismatch | None:
    table = "risk_decisions"
    if row is None:
        return None if said.channel is None else Mismatch(
            table, key, "row", "missing", f"channel {said.channel}", said.channel_entry)
    if said.channel is None:
        return Mismatch(table, key, "row", f"channel {row.channel}",
                        "nothing: no entry records a decision")
    summary = said.decision or {}
    for name, stored, expected in (
            ("channel", row.channel, said.channel),
            ("decision.channel", row.decision.get("channel"), said.channel),
            ("random_selected", row.random_selected, summary.get("random")),
            ("expected_value", round(row.expected_value, 4), summary.get("expected_value")),
            ("ens_outcome", row.ens_outcome, summary.get("ens_outcome"))):
        if stored != expected:
            return Mismatch(table, key, name, repr(stored), repr(expected), said.channel_entry)
    return None


def _results(session: Session, exp: Expectations) -> Iterator[Mismatch | None]:
    r = ControlResultRow
    query = select(r.task_id, r.outcome, r.irregularities, r.revenue, r.action, r.seizures)
    for rows in _batches(session, query, r.task_id):
        for row in rows:
            said = exp.results.pop(str(row.task_id), None)
            yield _result(row, said)


def _result(row: Any, said: tuple[dict[str, Any], int] | None
            ) -> Mismatch | None:
    key = f"task {row.task_id}"
    if said is None:
        return Mismatch("control_results", key, "row", f"outcome {row.outcome}",
                        "nothing: no entry records this result")
    detail, entry = said
    for name, stored, expected in (
            ("outcome", row.outcome, detail.get("outcome")),
            ("irregularities", list(row.irregularities), detail.get("irregularities")),
            ("revenue", _money(row.revenue), _money(detail.get("revenue"))),
            ("action", row.action, detail.get("action")),
            ("seizures", list(row.seizures), detail.get("seizures"))):
        if stored != expected:
            return Mismatch("control_results", key, name, repr(stored), repr(expected), entry)
    return None


def _money(value: Any) -> Decimal:
    """None and 0 alike: "no revenue assessed" is stored as 0."""
    try:
        return Decimal(str(value or 0)).normalize()
    except InvalidOperation:
        return Decimal(-1)


def _deleted(exp: Expectations) -> Mismatch | None:
    """A record the chain names that no table holds any more."""
    for key, said in exp.declarations.items():
        if said.status is not None:
            return Mismatch("declarations", key, "row", "missing", f"status {said.status}",
                            said.status_entry)
    for task, (detail, entry) in exp.results.items():
        return Mismatch("control_results", f"task {task}", "row", "missing",
                        f"outcome {detail.get('outcome')}", entry)
    for name, (action, _detail, entry) in exp.users.items():
        return Mismatch("users", name, "row", "missing", f"after {action}", entry)
    return None
