"""Use cases of declarations of interest, one unit of work each, every change audited: an
officer files, renews or withdraws their own; a supervisor other than the officer reviews.
A declaration filed after the officer was given a control of a declaration naming the party
is marked late (the integrity indicators count it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clearway.audit import repository as audit
from clearway.context import Context
from clearway.errors import ClearwayError, NotFound, reason_required
from clearway.identity import User
from clearway.interests import repository as repo
from clearway.interests.model import (
    REVIEW_OUTCOMES,
    Status,
    check_kind,
    party_key,
    valid_until,
)
from clearway.storage.orm_prevention import InterestDeclarationRow


def file(ctx: Context, user: User, *, kind: str, party_id: str, party_name: str | None,
         description: str) -> InterestDeclarationRow:
    """File a declaration of interest; from now on the officer gets no control of a
    declaration naming the party (automatic assignment and reassignment alike)."""
    kind, party = check_kind(kind), party_key(party_id)
    if not description.strip():
        raise ClearwayError(code="CW-INTEREST-FIELD",
                            message="Say what the link is (a sentence is enough)")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        prior, office = repo.prior_controls(uow.session, user.id, party, now)
        row = repo.add(uow.session, officer_id=user.id, kind=kind, party_id=party,
                       party_name=(party_name or "").strip() or None,
                       description=description.strip(), status=Status.PENDING, filed_at=now,
                       renewed_at=None, valid_until=valid_until(now.date()),
                       prior_controls=prior, prior_office=office)
        _audit(uow.session, ctx, user, row, "interest.filed",
               {"kind": kind, "party_id": party, "late": prior > 0, "prior_controls": prior})
        uow.commit()
        return row


def renew(ctx: Context, declaration_id: int, user: User) -> InterestDeclarationRow:
    """Confirm one's declaration for another year; it goes back to a supervisor's review."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        row = _own(uow.session, declaration_id, user)
        previous = row.valid_until
        row.renewed_at, row.valid_until, row.status = now, valid_until(now.date()), \
            Status.PENDING
        _audit(uow.session, ctx, user, row, "interest.renewed",
               {"previous_valid_until": previous.isoformat(),
                "valid_until": row.valid_until.isoformat()})
        uow.commit()
        return row


def withdraw(ctx: Context, declaration_id: int, user: User,
             reason: str | None) -> InterestDeclarationRow:
    """End a declared link (it no longer exists); the officer may be given the party's
    controls again. Declaring it again later after such a control counts as late."""
    if not reason or not reason.strip():
        raise reason_required("Say why the link ended")
    with ctx.uow() as uow:
        row = _own(uow.session, declaration_id, user)
        row.status, row.withdrawn_at = Status.WITHDRAWN, ctx.clock.now()
        _audit(uow.session, ctx, user, row, "interest.withdrawn", {"reason": reason.strip()})
        uow.commit()
        return row


def review(ctx: Context, declaration_id: int, user: User, *, outcome: str,
           note: str | None) -> InterestDeclarationRow:
    """A supervisor's review of a pending declaration: noted, or returned to the officer to
    complete (with a note). The link excludes the officer whatever the outcome."""
    if outcome not in REVIEW_OUTCOMES:
        raise ClearwayError(code="CW-INTEREST-FIELD",
                            message=f"A review is one of {', '.join(REVIEW_OUTCOMES)}")
    if outcome == Status.RETURNED and not (note or "").strip():
        raise reason_required("Say what the officer should complete")
    with ctx.uow() as uow:
        row = repo.get(uow.session, declaration_id, for_update=True)
        if row is None:
            raise NotFound("Declaration of interest", str(declaration_id))
        if row.officer_id == user.id:
            raise ClearwayError(code="CW-INTEREST-OWN",
                                message="Another supervisor reviews your own declaration")
        if row.status != Status.PENDING:
            raise _state(row, "reviewed")
        row.status, row.reviewed_by_id = outcome, user.id
        row.reviewed_at, row.review_note = ctx.clock.now(), (note or "").strip() or None
        _audit(uow.session, ctx, user, row, "interest.reviewed",
               {"outcome": outcome, "note": row.review_note})
        uow.commit()
        return row


def mine(ctx: Context, user: User) -> list[InterestDeclarationRow]:
    with ctx.uow(read_only=True) as uow:
        return repo.of_officer(uow.session, user.id)


def for_review(ctx: Context, *, status: str | None
               ) -> tuple[list[InterestDeclarationRow], dict[int, str]]:
    """Every declaration (of `status`), pending first, with the officers' names."""
    with ctx.uow(read_only=True) as uow:
        rows = repo.listing(uow.session, status=status)
        return rows, repo.names(uow.session, [r.officer_id for r in rows])


def _own(session: Session, declaration_id: int, user: User) -> InterestDeclarationRow:
    """The user's own declaration, not withdrawn; another's does not exist for them."""
    row = repo.get(session, declaration_id, for_update=True)
    if row is None or row.officer_id != user.id:
        raise NotFound("Declaration of interest", str(declaration_id))
    if row.status == Status.WITHDRAWN:
        raise _state(row, "changed")
    return row


def _state(row: InterestDeclarationRow, doing: str) -> ClearwayError:
    return ClearwayError(code="CW-INTEREST-STATE",
                         message=f"Declaration of interest {row.id} is {row.status}: it "
                         f"cannot be {doing}")


def _audit(session: Session, ctx: Context, user: User, row: InterestDeclarationRow,
           action: str, detail: dict[str, object]) -> None:
    audit.append(session, at=ctx.clock.now(), actor=user.actor, action=action,
                 object_type="interest_declaration", object_id=str(row.id),
                 detail={"officer_id": row.officer_id, "status": row.status, **detail})
