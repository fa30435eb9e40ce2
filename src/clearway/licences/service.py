"""Use cases of the licence register: an agency registers, amends, suspends, reinstates or
revokes its own licences; staff and the issuing agency read them, a trader reads the licences
it holds and nothing else. Every change is audited in its unit of work.

Who reads what (`readable`): customs staff everything; an agency officer or supervisor the
licences of their agency; a trader the licences it holds. Another's licence answers 404, as
if it did not exist. Who changes what: an agency's officers and supervisors, their agency's
licences only; an administrator imports files for any agency (`importing`, command line).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, Conflict, NotFound
from clearway.identity import AGENCIES, STAFF, User
from clearway.licences import repository as repo
from clearway.licences.model import Licence, LicenceStatus
from clearway.licences.schemas import LicenceIn, LicenceTerms, LineIn, WriteOffOut
from clearway.storage.orm_licences import LicenceLineRow, LicenceRow

OBJECT = "licence"
# Which status an action leads to, from which statuses (a revoked licence never changes).
ACTIONS = {"suspend": (LicenceStatus.SUSPENDED, {LicenceStatus.VALID}),
           "reinstate": (LicenceStatus.VALID, {LicenceStatus.SUSPENDED}),
           "revoke": (LicenceStatus.REVOKED, {LicenceStatus.VALID, LicenceStatus.SUSPENDED})}


def readable(lic: Licence | LicenceRow, user: User) -> bool:
    if user.role in STAFF:
        return True
    if user.role in AGENCIES:
        return lic.agency == user.agency_code
    return user.is_trader and lic.holder == user.trader_id


def _scope(user: User) -> dict[str, str | None]:
    """The filters a reader is held to in a list."""
    if user.role in STAFF:
        return {}
    if user.role in AGENCIES:
        return {"agency": user.agency_code or "-"}
    return {"holder": user.trader_id if user.is_trader and user.trader_id else "-"}


def _named(row: LicenceRow) -> str:
    return f"{row.type} {row.number}"


def _line_row(line: LineIn, number: int, licence_id: int) -> LicenceLineRow:
    return LicenceLineRow(licence_id=licence_id, line=number, hs_prefix=line.hs_prefix,
                          description=line.description, unit=line.unit, quantity=line.quantity,
                          remaining_quantity=line.quantity, currency=line.currency,
                          value=line.value, remaining_value=line.value)


def register_in(session: Session, data: LicenceIn, agency: str, *, now: datetime,
                actor: str) -> LicenceRow:
    if repo.find(session, data.type, data.number) is not None:
        raise Conflict("CW-LIC-EXISTS", f"A {data.type} licence {data.number!r} is already in "
                       "the register")
    row = LicenceRow(type=data.type, number=data.number, holder=data.holder, agency=agency,
                     countries=list(data.countries), end_user=data.end_user,
                     single_use=data.single_use, valid_from=data.valid_from,
                     valid_to=data.valid_to, status=LicenceStatus.VALID, created_at=now,
                     updated_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # registered meanwhile by a concurrent request
        raise Conflict("CW-LIC-EXISTS", f"A {data.type} licence {data.number!r} is already "
                       "in the register") from None
    session.add_all([_line_row(ln, n, row.id) for n, ln in enumerate(data.lines, 1)])
    session.flush()
    audit.append(session, at=now, actor=actor, action="licence.registered", object_type=OBJECT,
                 object_id=_named(row), detail={"id": row.id, "holder": row.holder,
                                                "agency": agency, "lines": len(data.lines)})
    return row


def _agency_of(user: User) -> str:
    if user.role not in AGENCIES or not user.agency_code:
        raise ClearwayError(code="CW-FORBIDDEN", message="Only an agency's officers and "
                            "supervisors register and change its licences")
    return user.agency_code


def register(ctx: Context, data: LicenceIn, user: User) -> Licence:
    agency = _agency_of(user)
    with ctx.uow() as uow:
        row = register_in(uow.session, data, agency, now=ctx.clock.now(), actor=user.actor)
        uow.commit()
        return _licence(uow.session, row)


def _licence(session: Session, row: LicenceRow) -> Licence:
    return repo.licence_of(row, repo.lines(session, [row.id]))


def _own(session: Session, licence_id: int, user: User) -> LicenceRow:
    """The licence locked for change by its agency (404 to anyone who may not read it)."""
    row = repo.row(session, licence_id, for_update=True)
    if row is None or not readable(row, user):
        raise NotFound("Licence", str(licence_id))
    if row.agency != _agency_of(user):
        raise ClearwayError(code="CW-FORBIDDEN", message=f"Licence {_named(row)} is agency "
                            f"{row.agency}'s to change")
    return row


def _replace_lines(session: Session, row: LicenceRow, new: list[LineIn]) -> None:
    """Lines are matched by number; none may grant less than its active write-offs hold, and
    a line with write-offs cannot be dropped."""
    held = repo.used_amounts(session, row.id)
    old = {ln.line: ln for ln in repo.lines(session, [row.id], for_update=True)}
    for number, ln in old.items():
        q, v = held.get(ln.id, (Decimal(0), Decimal(0)))
        if number > len(new):
            if q or v:
                raise Conflict("CW-LIC-AMEND", f"Line {number} has write-offs; it cannot be "
                               "removed")
            session.delete(ln)
            continue
        line = new[number - 1]
        if (q and (line.quantity or 0) < q) or (v and (line.value or 0) < v):
            raise Conflict("CW-LIC-AMEND", f"Line {number} would grant less than its "
                           f"write-offs hold ({q} {ln.unit or ''}, {v} {ln.currency or ''})")
        ln.hs_prefix, ln.description, ln.unit, ln.currency = (
            line.hs_prefix, line.description, line.unit, line.currency)
        ln.quantity, ln.value = line.quantity, line.value
        ln.remaining_quantity = None if line.quantity is None else line.quantity - q
        ln.remaining_value = None if line.value is None else line.value - v
    session.add_all([_line_row(ln, n, row.id) for n, ln in enumerate(new, 1) if n not in old])


def amend(ctx: Context, licence_id: int, terms: LicenceTerms, user: User) -> Licence:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _own(uow.session, licence_id, user)
        if row.status == LicenceStatus.REVOKED:
            raise Conflict("CW-LIC-STATE", f"Licence {_named(row)} is revoked")
        _replace_lines(uow.session, row, terms.lines)
        row.valid_from, row.valid_to = terms.valid_from, terms.valid_to
        row.countries, row.end_user = list(terms.countries), terms.end_user
        row.single_use, row.updated_at = terms.single_use, now
        uow.session.flush()
        audit.append(uow.session, at=now, actor=user.actor, action="licence.amended",
                     object_type=OBJECT, object_id=_named(row),
                     detail={"id": row.id, **terms.model_dump(mode="json")})
        uow.commit()
        return _licence(uow.session, row)


def change_status(ctx: Context, licence_id: int, action: str, reason: str,
                  user: User) -> Licence:
    """Suspend, reinstate or revoke (with a reason); declarations already accepted keep
    their write-offs."""
    target, allowed = ACTIONS[action]
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _own(uow.session, licence_id, user)
        if row.status not in allowed:
            raise Conflict("CW-LIC-STATE", f"A {row.status} licence cannot be {target}")
        previous, row.status, row.updated_at = row.status, target, now
        uow.session.flush()
        audit.append(uow.session, at=now, actor=user.actor, action=f"licence.{target}",
                     object_type=OBJECT, object_id=_named(row),
                     detail={"id": row.id, "from": previous, "reason": reason})
        uow.commit()
        return _licence(uow.session, row)


def get(ctx: Context, licence_id: int, user: User) -> tuple[Licence, list[WriteOffOut]]:
    """A licence with its lines, balances and write-offs (reversed ones included)."""
    with ctx.uow(read_only=True) as uow:
        row = repo.row(uow.session, licence_id)
        if row is None or not readable(row, user):
            raise NotFound("Licence", str(licence_id))
        lic = _licence(uow.session, row)
        numbers = {ln.id: ln.line for ln in lic.lines}
        taken = [WriteOffOut(mrn=w.mrn, version=w.version, item=w.item,
                             line=numbers.get(w.line_id, 0), quantity=w.quantity,
                             value=w.value, at=w.at.isoformat(),
                             reversed_at=None if w.reversed_at is None
                             else w.reversed_at.isoformat(), reversal=w.reversal)
                 for w in repo.write_offs_of_licence(uow.session, licence_id)]
    return lic, taken


def listing(ctx: Context, user: User, **filters: Any) -> list[Licence]:
    """Licences the user may read, by code and number; `filters`: holder, agency, code,
    status, number (a reader's own scope always applies)."""
    scope = _scope(user)
    for name, value in scope.items():
        if filters.get(name) not in (None, value):
            return []
    with ctx.uow(read_only=True) as uow:
        return repo.listing(uow.session, **{**filters, **scope})
