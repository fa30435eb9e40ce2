"""A declaration's licence references against the register, inside the transaction that
accepts, amends, cancels or invalidates it (CSW-CERTEX Art. 6: availability check and
automatic quantity management).

- Acceptance (`lodging._lodge`): `check_in` reads the licences with their lines locked before
  the row is inserted, so a failure rejects the declaration (coded issues, nothing written
  off); after the insert of an accepted one, `write_off_in` draws the lines down.
- Amendment (`changes.amend`): `recheck_in` gives back the old version's write-offs and checks
  the new version against what is then left; a failing amendment raises and its transaction
  rolls back, so nothing changes; a passing one is written off after its new version number.
- Cancellation and invalidation (`moves.move`): `reverse_in` gives everything back; the
  write-off rows stay, stamped with the time and cause of the reversal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.clearance.filings import point
from clearway.context import Context
from clearway.declarations.formats import ParsedDocument
from clearway.declarations.model import Declaration
from clearway.errors import DocumentInvalid, Issue
from clearway.licences import repository as repo
from clearway.licences.check import Draw, check_uses, header_keys, header_uses, uses_of
from clearway.licences.model import Verified, managed_codes, verified_items
from clearway.storage.orm import DeclarationRow

ACTOR = "licence-register"


def managed(ctx: Context) -> frozenset[str]:
    return managed_codes(ctx.settings.licence_managed_codes)


def check_in(ctx: Context, session: Session, doc: object, day: date, *,
             declaration_id: int | None = None,
             given_back: Sequence[int] = ()) -> tuple[list[Draw], list[Issue]]:
    """What the declaration would write off, or the issues that reject it. A filing with no
    managed document reads nothing."""
    if not isinstance(doc, Declaration):
        return [], []
    codes = managed(ctx)
    uses, heads = uses_of(doc, codes), header_keys(doc, codes)
    if not uses and not heads:
        return [], []
    licences = repo.locked_for(session, [u.key for u in uses] + heads, extra_ids=given_back,
                               declaration_id=declaration_id)
    return check_uses(uses + header_uses(doc, codes, licences), licences, day)


def write_off_in(session: Session, row: DeclarationRow, draws: Sequence[Draw], *,
                 now: datetime) -> None:
    if not draws:
        return
    repo.write_off_in(session, row, draws, now)
    audit.append(session, at=now, actor=ACTOR, action="licence.written_off",
                 object_type="declaration", object_id=row.mrn or str(row.id),
                 detail={"version": row.version, "draws": [_said(d) for d in draws]})


def _said(d: Draw) -> dict[str, object]:
    return {"item": d.use.item, "code": d.use.code, "reference": d.use.reference,
            "quantity": None if d.quantity is None else str(d.quantity),
            "value": None if d.value is None else str(d.value)}


def reverse_in(session: Session, row: DeclarationRow, *, now: datetime, actor: str,
               why: str) -> None:
    """Give back every active write-off of the declaration (`why`: amended, cancelled,
    invalidated)."""
    taken = repo.reverse_in(session, row.id, now, why)
    if taken:
        audit.append(session, at=now, actor=actor, action="licence.write_off_reversed",
                     object_type="declaration", object_id=row.mrn or str(row.id),
                     detail={"why": why, "write_offs": [w.id for w in taken]})


def recheck_in(ctx: Context, session: Session, row: DeclarationRow, doc: Declaration,
               parsed: ParsedDocument, *, now: datetime, actor: str) -> list[Draw]:
    """An amendment's check: the old version's write-offs given back, the new version
    checked; DocumentInvalid (and, with the caller's rollback, no change) on a failure."""
    given_back = sorted({w.licence_id for w in repo.active_write_offs(session, row.id)})
    keys = [u.key for u in uses_of(doc, managed(ctx))] + header_keys(doc, managed(ctx))
    if not given_back and not keys:
        return []
    # Lock first, in one ordered statement, the lines of both versions' licences.
    repo.locked_for(session, keys, extra_ids=given_back)
    reverse_in(session, row, now=now, actor=actor, why="amended")
    draws, issues = check_in(ctx, session, doc, now.date(), declaration_id=row.id)
    if issues:
        raise DocumentInvalid(point(parsed, issues), "The amendment's licences do not hold; "
                              "the declaration is unchanged")
    return draws


def verified_on(session: Session, declaration_id: int) -> Verified:
    """Each item's managed documents verified and written off (`licences.model.Verified`)."""
    return verified_items(repo.write_off_of(w)
                          for w in repo.active_write_offs(session, declaration_id))
