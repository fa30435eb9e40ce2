"""What the clearance use cases on one filing share: the answer they give, the filing they
change (locked, and only if the user may see it), and errors pointed into the trader's own
document."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from clearway.context import Context
from clearway.declarations import access
from clearway.declarations import repository as repo
from clearway.declarations.formats import ParsedDocument
from clearway.errors import Issue, NotFound
from clearway.identity import User
from clearway.storage.orm import DeclarationRow


@dataclass
class Outcome:
    """The answer to a submission: the declaration row, whether this call created it, and the
    errors of a rejected filing."""

    row: DeclarationRow
    created: bool = False
    errors: list[Issue] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """`created` (a new declaration), `rejected` (stored with its errors, or an identical
        rejection answered as stored) or `unchanged` (an identical retry, an amendment or a
        cancellation of a filing that exists)."""
        return "rejected" if self.errors else "created" if self.created else "unchanged"


def point(parsed: ParsedDocument, issues: list[Issue]) -> list[Issue]:
    """Translate canonical pointers into the submitted format's own pointers."""
    if not parsed.pointers:
        return issues
    return [Issue(i.code, i.message, i.element, parsed.pointer_for(i.pointer or ""))
            for i in issues]


def visible(session: Session, row: DeclarationRow | None, user: User) -> bool:
    return row is not None and (user.trader_id is None
                                or repo.is_visible_to_trader(session, row, user.trader_id))


def target(ctx: Context, session: Session, key: str, user: User, *,
           act: bool = False) -> DeclarationRow:
    """The declaration `key` locked for change: 404 when the user may not see it; with
    `act`, 403 when a trader may see it but not act on it (a party, not its declarant)."""
    row = repo.get(session, key, for_update=True)
    if row is None or not visible(session, row, user):
        raise NotFound("Declaration", key)
    if act:
        access.check_actor(row, user, ctx.refdata.get(), ctx.clock.now().date())
    return row
