"""The register in the database (tables `licences`, `licence_lines`, `licence_write_offs`).

Functions that change balances run inside the caller's unit of work (`*_in`): the check and
the write-off of an acceptance read the lines locked (SELECT ... FOR UPDATE on PostgreSQL;
SQLite serialises writers), in line-id order, so two acceptances never deadlock and never
both draw the last quantity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Row, Select, Table, bindparam, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from clearway.licences.check import Draw
from clearway.licences.model import Licence, LicenceLine, WriteOff
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_licences import LicenceLineRow, LicenceRow, LicenceWriteOffRow
from clearway.storage.unit_of_work import insert_rows


def line_of(row: LicenceLineRow) -> LicenceLine:
    return LicenceLine(row.line, row.hs_prefix, row.description, row.unit, row.quantity,
                       row.remaining_quantity, row.currency, row.value, row.remaining_value,
                       row.id)


def licence_of(row: LicenceRow, lines: Iterable[LicenceLineRow], used: bool = False) -> Licence:
    return Licence(row.type, row.number, row.holder, row.agency, row.valid_from, row.valid_to,
                   tuple(line_of(ln) for ln in sorted(lines, key=lambda ln: ln.line)),
                   tuple(row.countries), row.end_user, row.single_use, row.status, row.id,
                   used)


def write_off_of(row: LicenceWriteOffRow) -> WriteOff:
    return WriteOff(row.licence_id, row.line_id, row.declaration_id, row.item, row.code,
                    row.reference, row.quantity, row.value, row.reversed_at is not None)


def row(session: Session, licence_id: int, *, for_update: bool = False) -> LicenceRow | None:
    stmt = select(LicenceRow).where(LicenceRow.id == licence_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalar_one_or_none()


def find(session: Session, code: str, number: str) -> LicenceRow | None:
    return session.execute(select(LicenceRow).where(
        LicenceRow.type == code, LicenceRow.number == number)).scalar_one_or_none()


def lines(session: Session, licence_ids: Sequence[int], *,
          for_update: bool = False) -> list[LicenceLineRow]:
    if not licence_ids:
        return []
    stmt = (select(LicenceLineRow).where(LicenceLineRow.licence_id.in_(licence_ids))
            .order_by(LicenceLineRow.id))
    if for_update:
        stmt = stmt.with_for_update()
    return list(session.execute(stmt).scalars())


def _used(session: Session, licence_ids: Sequence[int], declaration_id: int | None) -> set[int]:
    """Which licences an active write-off of another declaration has used."""
    if not licence_ids:   # no single-use licence among them: nothing to ask
        return set()
    stmt = select(LicenceWriteOffRow.licence_id).where(
        LicenceWriteOffRow.licence_id.in_(licence_ids), LicenceWriteOffRow.reversed_at.is_(None))
    if declaration_id is not None:
        stmt = stmt.where(LicenceWriteOffRow.declaration_id != declaration_id)
    return set(session.execute(stmt).scalars())


_LICENCES, _LINES = cast(Table, LicenceRow.__table__), cast(Table, LicenceLineRow.__table__)
_LINE_COLUMNS = tuple(c.label(f"line_{c.name}") for c in _LINES.c)
_SET_LEFT = (_LINES.update().where(_LINES.c.id == bindparam("line_id"))
             .values(remaining_quantity=bindparam("q"), remaining_value=bindparam("v")))


def _line_at(r: Row[Any]) -> LicenceLine:
    return LicenceLine(r.line_line, r.line_hs_prefix, r.line_description, r.line_unit,
                       r.line_quantity, r.line_remaining_quantity, r.line_currency,
                       r.line_value, r.line_remaining_value, r.line_id)


def _locked(keys: bool, extra: bool) -> Select[Any]:
    """Licences with their lines, the lines locked in id order; by (code, number) `keys`,
    and lines of the licences `extra` (statements built once, for the cache)."""
    which = [tuple_(_LICENCES.c.type, _LICENCES.c.number).in_(
        bindparam("keys", expanding=True))] if keys else []
    which += [_LINES.c.licence_id.in_(bindparam("extra", expanding=True))] if extra else []
    return (select(*_LICENCES.c, *_LINE_COLUMNS)
            .join_from(_LICENCES, _LINES, _LINES.c.licence_id == _LICENCES.c.id)
            .where(or_(*which)).order_by(_LINES.c.id).with_for_update(of=_LINES))


_LOCKED = {(k, e): _locked(k, e) for k in (True, False) for e in (True, False) if k or e}


def locked_for(session: Session, keys: Iterable[tuple[str, str]], *,
               extra_ids: Iterable[int] = (), declaration_id: int | None = None
               ) -> dict[tuple[str, str], Licence]:
    """The licences under (code, number) `keys`, their lines locked (with those of the
    licences `extra_ids`, which an amendment gives back first), read and locked in one
    ordered statement (SELECT ... FOR UPDATE OF licence_lines, in line-id order)."""
    wanted, extra = set(keys), sorted(set(extra_ids))
    if not wanted and not extra:
        return {}
    found: dict[tuple[str, str], Row[Any]] = {}
    by_licence: dict[int, list[LicenceLine]] = {}
    params = {"keys": sorted(wanted)} if wanted else {}
    for r in session.connection().execute(_LOCKED[bool(wanted), bool(extra)],
                                          {**params, "extra": extra} if extra else params):
        if (r.type, r.number) in wanted:   # not a licence only an amendment gives back
            found.setdefault((r.type, r.number), r)
            by_licence.setdefault(r.id, []).append(_line_at(r))
    if len(found) < len(wanted):  # a number not in the register (or a licence with no line)
        found.update(((r.type, r.number), r) for r in session.connection().execute(
            select(_LICENCES).where(tuple_(_LICENCES.c.type, _LICENCES.c.number).in_(
                sorted(wanted - found.keys())))))
    used = _used(session, [r.id for r in found.values() if r.single_use], declaration_id)
    return {key: Licence(
        r.type, r.number, r.holder, r.agency, r.valid_from, r.valid_to,
        tuple(sorted(by_licence.get(r.id, []), key=lambda ln: ln.line)), tuple(r.countries),
        r.end_user, r.single_use, r.status, r.id, r.id in used) for key, r in found.items()}


def write_off_in(session: Session, declaration: DeclarationRow, draws: Sequence[Draw],
                 now: datetime) -> None:
    """Draw down the lines (locked by `locked_for` in this transaction: each is set to what
    the check left on it) and keep a row per draw, one statement each, through the core."""
    if not draws:
        return
    session.flush()   # what the use case changed through the session, as it was written
    left = {d.line_id: d.left for d in draws}   # the last draw on a line has its balance
    session.connection().execute(_SET_LEFT, [{"line_id": i, "q": q, "v": v}
                                             for i, (q, v) in sorted(left.items())])
    for i, (q, v) in left.items():   # a line the session holds reads the new balance
        loaded = session.identity_map.get(identity_key(LicenceLineRow, i))
        if loaded is not None:
            set_committed_value(loaded, "remaining_quantity", q)
            set_committed_value(loaded, "remaining_value", v)
    insert_rows(session, LicenceWriteOffRow, [dict(
        licence_id=d.licence_id, line_id=d.line_id, declaration_id=declaration.id,
        mrn=declaration.mrn, version=declaration.version, item=d.use.item, code=d.use.code,
        reference=d.use.reference, quantity=d.quantity, value=d.value, at=now,
        reversed_at=None, reversal=None) for d in draws])


def active_write_offs(session: Session, declaration_id: int) -> list[LicenceWriteOffRow]:
    return list(session.execute(select(LicenceWriteOffRow).where(
        LicenceWriteOffRow.declaration_id == declaration_id,
        LicenceWriteOffRow.reversed_at.is_(None)).order_by(LicenceWriteOffRow.id)).scalars())


def reverse_in(session: Session, declaration_id: int, now: datetime,
               why: str) -> list[LicenceWriteOffRow]:
    """Give back what the declaration's active write-offs drew; the rows stay, stamped."""
    taken = active_write_offs(session, declaration_id)
    if not taken:
        return []
    by_id = {ln.id: ln for ln in lines(session, sorted({w.licence_id for w in taken}),
                                       for_update=True)}
    for w in taken:
        line = by_id[w.line_id]
        if w.quantity is not None and line.remaining_quantity is not None:
            line.remaining_quantity = line.remaining_quantity + w.quantity
        if w.value is not None and line.remaining_value is not None:
            line.remaining_value = line.remaining_value + w.value
        w.reversed_at, w.reversal = now, why
    session.flush()
    return taken


def write_offs_of_licence(session: Session, licence_id: int) -> list[LicenceWriteOffRow]:
    return list(session.execute(select(LicenceWriteOffRow).where(
        LicenceWriteOffRow.licence_id == licence_id).order_by(LicenceWriteOffRow.id)).scalars())


def listing(session: Session, *, holder: str | None = None, agency: str | None = None,
            code: str | None = None, status: str | None = None,
            number: str | None = None, limit: int = 500) -> list[Licence]:
    """Licences by code and number, with their lines (one query each)."""
    stmt = select(LicenceRow).order_by(LicenceRow.type, LicenceRow.number).limit(limit)
    filters: dict[str, Any] = {"holder": holder, "agency": agency, "type": code,
                               "status": status, "number": number}
    for name, value in filters.items():
        if value is not None:
            stmt = stmt.where(getattr(LicenceRow, name) == value)
    found = list(session.execute(stmt).scalars())
    by_licence: dict[int, list[LicenceLineRow]] = {}
    for ln in lines(session, [r.id for r in found]):
        by_licence.setdefault(ln.licence_id, []).append(ln)
    return [licence_of(r, by_licence.get(r.id, [])) for r in found]


def used_amounts(session: Session, licence_id: int) -> dict[int, tuple[Decimal, Decimal]]:
    """Per line id: the quantity and value active write-offs hold (for an amendment of the
    licence, which may not grant less than is used)."""
    held: dict[int, tuple[Decimal, Decimal]] = {}
    for w in write_offs_of_licence(session, licence_id):
        if w.reversed_at is None:
            q, v = held.get(w.line_id, (Decimal(0), Decimal(0)))
            held[w.line_id] = (q + (w.quantity or 0), v + (w.value or 0))
    return held

