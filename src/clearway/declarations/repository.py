"""Reading and writing declarations, their items, parties, versions and events."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, String, Table, bindparam, exists, func, inspect, or_, select, text
from sqlalchemy.orm import Session

from clearway.declarations.model import Declaration, DeclarationDoc
from clearway.declarations.parties import party_ids
from clearway.storage.orm import (
    DeclarationItemRow,
    DeclarationPartyRow,
    DeclarationRow,
    DeclarationVersionRow,
    EventRow,
)
from clearway.storage.orm_risk import RiskDecisionRow
from clearway.storage.unit_of_work import insert_rows
from clearway.storage.upsert import DIALECTS, insert_for


@dataclass(frozen=True)
class ListFilter:
    status: str | None = None
    declaration_type: str | None = None
    lrn: str | None = None
    mrn: str | None = None
    party: str | None = None
    commodity_prefix: str | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    channel: str | None = None  # the risk decision's channel (green, blue, yellow, red)
    office: str | None = None   # the office of lodgement


def find_active_by_lrn(session: Session, declarant_id: str, lrn: str) -> DeclarationRow | None:
    """The declarant's non-rejected filing with this LRN, if any (one cheap indexed probe;
    the full row is loaded only when there is one)."""
    found = session.connection().execute(
        _ACTIVE_BY_LRN, {"declarant": declarant_id, "lrn": lrn}).first()
    return session.get(DeclarationRow, found.id) if found else None


def find_rejected_by_hash(session: Session, declarant_id: str, lrn: str,
                          content_hash: str) -> DeclarationRow | None:
    return session.execute(
        select(DeclarationRow).where(
            DeclarationRow.declarant_id == declarant_id,
            DeclarationRow.lrn == lrn,
            DeclarationRow.status == "rejected",
            DeclarationRow.content_hash == content_hash,
        ).order_by(DeclarationRow.id.desc()).limit(1)
    ).scalar_one_or_none()


def get(session: Session, key: str, *, for_update: bool = False) -> DeclarationRow | None:
    """A declaration by MRN, or by its internal number (rejected filings have no MRN)."""
    query = select(DeclarationRow)
    query = (query.where(DeclarationRow.id == int(key))
             if key.isascii() and key.isdigit() and len(key) < 18
             else query.where(DeclarationRow.mrn == key))
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def visible_to_trader(query: Select[Any], trader_id: str) -> Select[Any]:
    """Restrict a declarations query to filings the trader lodged or is a party to."""
    return query.where(
        or_(
            DeclarationRow.submitted_by == trader_id,
            exists().where(DeclarationPartyRow.declaration_id == DeclarationRow.id,
                           DeclarationPartyRow.party_id == trader_id),
        )
    )


def is_visible_to_trader(session: Session, row: DeclarationRow, trader_id: str) -> bool:
    if row.submitted_by == trader_id:
        return True
    return session.get(DeclarationPartyRow, (row.id, trader_id)) is not None


def list_rows(session: Session, flt: ListFilter, *, trader_id: str | None, offset: int,
              limit: int) -> tuple[list[DeclarationRow], int]:
    query = _filtered(select(DeclarationRow), flt, trader_id)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(
        query.order_by(DeclarationRow.id.desc()).offset(offset).limit(limit)
    ).scalars().all()
    return list(rows), total


def list_rows_with_channels(session: Session, flt: ListFilter, *, trader_id: str | None,
                            offset: int, limit: int
                            ) -> tuple[list[tuple[DeclarationRow, str | None]], int]:
    """`list_rows`, each row with its risk channel (None: no decision), in the same query."""
    query = _filtered(select(DeclarationRow), flt, trader_id)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    found = session.execute(
        query.add_columns(RiskDecisionRow.channel)
        .outerjoin(RiskDecisionRow, RiskDecisionRow.declaration_id == DeclarationRow.id)
        .order_by(DeclarationRow.id.desc()).offset(offset).limit(limit)
    ).all()
    return [(row, channel) for row, channel in found], total


def _filtered(query: Select[Any], flt: ListFilter, trader_id: str | None) -> Select[Any]:
    if trader_id is not None:
        query = visible_to_trader(query, trader_id)
    for column, value in ((DeclarationRow.status, flt.status),
                          (DeclarationRow.declaration_type, flt.declaration_type),
                          (DeclarationRow.lrn, flt.lrn), (DeclarationRow.mrn, flt.mrn),
                          (DeclarationRow.office, flt.office)):
        if value:
            query = query.where(column == value)
    if flt.channel:
        # Correlated on the declaration only: the list with channels joins the decisions too.
        query = query.where(select(RiskDecisionRow.declaration_id).where(
            RiskDecisionRow.declaration_id == DeclarationRow.id,
            RiskDecisionRow.channel == flt.channel).correlate(DeclarationRow).exists())
    if flt.party:
        query = query.where(exists().where(DeclarationPartyRow.declaration_id == DeclarationRow.id,
                                           DeclarationPartyRow.party_id == flt.party))
    if flt.commodity_prefix:
        query = query.where(exists().where(
            DeclarationItemRow.declaration_id == DeclarationRow.id,
            DeclarationItemRow.commodity_code.startswith(flt.commodity_prefix, autoescape=True)))
    if flt.received_from:
        query = query.where(DeclarationRow.created_at >= flt.received_from)
    if flt.received_to:
        query = query.where(DeclarationRow.created_at < flt.received_to)
    return query


_DECLARATIONS = cast(Table, DeclarationRow.__table__)
# Statements built once: the submission path runs them for every filing.
# A new filing whose LRN is free among the declarant's non-rejected filings is inserted;
# otherwise nothing happens and no id comes back (one statement, safe under concurrency).
_LRN_COLUMNS = ["declarant_id", "lrn"]
# The literal predicate of the partial unique index (a bound parameter would not match it).
_ACTIVE = text("status <> 'rejected'")
_INSERT_DECLARATION = {
    dialect: insert_for(dialect, _DECLARATIONS).on_conflict_do_nothing(
        index_elements=_LRN_COLUMNS, index_where=_ACTIVE).returning(_DECLARATIONS.c.id)
    for dialect in DIALECTS}
_ACTIVE_BY_LRN = (select(_DECLARATIONS.c.id, _DECLARATIONS.c.content_hash)
                  .where(_DECLARATIONS.c.declarant_id == bindparam("declarant"),
                         _DECLARATIONS.c.lrn == bindparam("lrn"),
                         _DECLARATIONS.c.status != "rejected"))


# Rejected filings of one declarant's LRN are settled one at a time (see lock_rejected_lrn):
# the first two-key advisory lock number says "declaration LRN" to anyone reading pg_locks.
_LRN_LOCK_CLASS = 0x434C5752  # "CLWR"
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:class_id, :object_id)")


def lock_rejected_lrn(session: Session, declarant_id: str, lrn: str) -> None:
    """Hold the declarant's LRN until commit before looking for an earlier identical
    rejection, so that concurrent identical rejected filings store one rejection and the
    others answer it. SQLite needs nothing: its write transactions already run one at a
    time (BEGIN IMMEDIATE). A lock, not a unique index: databases that already hold such
    duplicates (the defect this closes) keep them, and a migration would fail on them."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        digest = hashlib.sha256(f"{declarant_id}\x00{lrn}".encode()).digest()
        connection.execute(_ADVISORY_LOCK, {
            "class_id": _LRN_LOCK_CLASS,
            "object_id": int.from_bytes(digest[:4], "big", signed=True)})


def _fitted(table: Any, rows: list[dict[str, Any]], key: str | None) -> list[dict[str, Any]]:
    """What a rejected document's rows can store without breaking a constraint: rows that
    repeat a key (`key`: a goods item number given twice) or whose key is too long for its
    column are skipped; other text too long for its column is left out (cut where the column
    needs a value). The whole document is kept as sent in the declaration's JSON anyway."""
    seen: set[Any] = set()
    fitted = []
    for row in rows:
        if key is not None and (row[key] in seen or _too_long(table.c[key], row[key])):
            continue
        seen.add(None if key is None else row[key])
        fitted.append({name: _fit(table.c[name], value) for name, value in row.items()})
    return fitted


def _too_long(column: Any, value: Any) -> bool:
    size = column.type.length if isinstance(column.type, String) else None
    return isinstance(value, str) and size is not None and len(value) > size


def _fit(column: Any, value: Any) -> Any:
    if not _too_long(column, value):
        return value
    return None if column.nullable else value[:column.type.length]


def add(session: Session, values: dict[str, Any], doc: DeclarationDoc) -> DeclarationRow | None:
    """Insert a new declaration with its items and parties, or return None when its LRN is
    already used by an active filing of the declarant. The returned row is detached from
    the session (plain values, read by the rest of the use case): the insert goes through
    the core, skipping the ORM's bookkeeping on the hot path."""
    if values["status"] == "rejected":
        (values,) = _fitted(_DECLARATIONS, [values], None)
    connection = session.connection()
    row_id = connection.execute(_INSERT_DECLARATION[connection.dialect.name],
                                values).scalar_one_or_none()
    if row_id is None:
        return None
    row = DeclarationRow(id=row_id, **values)
    replace_items_and_parties(session, row, doc)
    return row


_SET_STATUS = (_DECLARATIONS.update().where(_DECLARATIONS.c.id == bindparam("row_id"))
               .values(status=bindparam("new_status"), updated_at=bindparam("at")))
_SET_STATE = (_DECLARATIONS.update().where(_DECLARATIONS.c.id == bindparam("row_id"))
              .values(mrn=bindparam("new_mrn"), status=bindparam("new_status"),
                      updated_at=bindparam("at")))


def set_status(session: Session, row: DeclarationRow, status: str, at: datetime) -> None:
    """Write a row's new status: a loaded row through the ORM (written at the next flush),
    a row the submission path inserted through the core with one core update."""
    if inspect(row).persistent:
        row.status, row.updated_at = status, at
        return
    session.connection().execute(_SET_STATUS, {"row_id": row.id, "new_status": status,
                                               "at": at})
    row.status, row.updated_at = status, at


def write_state(session: Session, row: DeclarationRow) -> None:
    """Write the MRN, status and time a use case set on `row` in memory, in one update (a
    loaded row: at the next flush, as `set_status`)."""
    if not inspect(row).persistent:
        session.connection().execute(_SET_STATE, {
            "row_id": row.id, "new_mrn": row.mrn, "new_status": row.status,
            "at": row.updated_at})


def replace_items_and_parties(session: Session, row: DeclarationRow, doc: DeclarationDoc) -> None:
    if row.version > 1:
        session.query(DeclarationItemRow).filter_by(declaration_id=row.id).delete()
        session.query(DeclarationPartyRow).filter_by(declaration_id=row.id).delete()
    items: list[dict[str, Any]] = []
    if isinstance(doc, Declaration):
        items = [dict(declaration_id=row.id, sequence=it.sequence,
                      commodity_code=it.commodity_code[:12], origin_country=it.origin_country,
                      description=it.description, net_mass=it.net_mass,
                      gross_mass=it.gross_mass,
                      value=it.customs_value or it.statistical_value or it.item_price)
                 for it in doc.items]
    elif hasattr(doc, "items"):
        items = [dict(declaration_id=row.id, sequence=it.sequence,
                      commodity_code=(it.hs6 or "")[:12] or None, origin_country=None,
                      description=it.description, net_mass=None, gross_mass=it.gross_mass,
                      value=None)
                 for it in doc.items]
    parties = [dict(declaration_id=row.id, party_id=p) for p in sorted(party_ids(doc))]
    if row.status == "rejected":  # refused for its errors: stored as far as it fits
        items = _fitted(DeclarationItemRow.__table__, items, "sequence")
        parties = _fitted(DeclarationPartyRow.__table__, parties, "party_id")
    if items:
        insert_rows(session, DeclarationItemRow, items)
    if parties:
        insert_rows(session, DeclarationPartyRow, parties)


def add_version(session: Session, row: DeclarationRow, raw: bytes, now: datetime) -> None:
    insert_rows(session, DeclarationVersionRow, dict(
        declaration_id=row.id, version=row.version, format=row.format,
        content_hash=row.content_hash, document=row.document, raw=raw, created_at=now))


def event(row: DeclarationRow, *, at: datetime, kind: str, from_status: str | None,
          actor: str, detail: dict[str, Any] | None = None,
          to_status: str | None = None) -> dict[str, Any]:
    return dict(declaration_id=row.id, at=at, kind=kind, from_status=from_status,
                to_status=to_status or row.status, actor=actor, detail=detail or {})


def add_events(session: Session, events: list[dict[str, Any]]) -> None:
    # A plain insert: events are never read back in the same unit of work.
    insert_rows(session, EventRow, events)


def add_event(session: Session, row: DeclarationRow, **fields: Any) -> None:
    add_events(session, [event(row, **fields)])


def events(session: Session, declaration_id: int) -> list[EventRow]:
    return list(session.execute(
        select(EventRow).where(EventRow.declaration_id == declaration_id).order_by(EventRow.id)
    ).scalars())


def versions(session: Session, declaration_id: int) -> list[DeclarationVersionRow]:
    return list(session.execute(
        select(DeclarationVersionRow).where(DeclarationVersionRow.declaration_id == declaration_id)
        .order_by(DeclarationVersionRow.version)
    ).scalars())
