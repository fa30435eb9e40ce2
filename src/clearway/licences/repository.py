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
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from clearway.licences.check import Draw
from clearway.licences.model import Licence, LicenceLine, WriteOff
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_licences import LicenceLineRow, LicenceRow, LicenceWriteOffRow


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


def locked_for(session: Session, keys: Iterable[tuple[str, str]], *,
               extra_ids: Iterable[int] = (), declaration_id: int | None = None
               ) -> dict[tuple[str, str], Licence]:
    """The licences under (code, number) `keys`, their lines locked (with those of the
    licences `extra_ids`, which an amendment gives back first) in one ordered statement."""
    wanted = sorted(set(keys))
    found = list(session.execute(select(LicenceRow).where(
        tuple_(LicenceRow.type, LicenceRow.number).in_(wanted))).scalars()) if wanted else []
    ids = sorted({r.id for r in found} | set(extra_ids))
    by_licence: dict[int, list[LicenceLineRow]] = {}
    for ln in lines(session, ids, for_update=True):
        by_licence.setdefault(ln.licence_id, []).append(ln)
    used = _used(session, [r.id for r in found if r.single_use], declaration_id)
    return {(r.type, r.number): licence_of(r, by_licence.get(r.id, []), r.id in used)
            for r in found}


def write_off_in(session: Session, declaration: DeclarationRow, draws: Sequence[Draw],
                 now: datetime) -> None:
    """Draw down the lines (locked by `locked_for` in this transaction, so read from the
    session's identity map) and keep a row per draw."""
    if not draws:
        return
    by_id = {i: session.get_one(LicenceLineRow, i) for i in sorted({d.line_id for d in draws})}
    for d in draws:
        line = by_id[d.line_id]
        if d.quantity is not None and line.remaining_quantity is not None:
            line.remaining_quantity = line.remaining_quantity - d.quantity
        if d.value is not None and line.remaining_value is not None:
            line.remaining_value = line.remaining_value - d.value
        session.add(LicenceWriteOffRow(
            licence_id=d.licence_id, line_id=d.line_id, declaration_id=declaration.id,
            mrn=declaration.mrn, version=declaration.version, item=d.use.item,
            code=d.use.code, reference=d.use.reference, quantity=d.quantity, value=d.value,
            at=now))
    session.flush()


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

