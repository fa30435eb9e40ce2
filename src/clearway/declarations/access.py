"""Who may act on a declaration. Reading is not acting: every trader named on a filing may
read it (`repository.is_visible_to_trader`), but only the declarant, or the representative
that lodged it under a registered authorisation (reference list `representations`), may
lodge, amend or cancel it. Pure: the callers pass the row, the user and the snapshot."""

from __future__ import annotations

from datetime import date

from clearway.declarations.model import CancellationRequest, DeclarationDoc
from clearway.errors import ClearwayError, Forbidden
from clearway.identity import User
from clearway.refdata.model import RefDataSnapshot
from clearway.storage.orm import DeclarationRow

# DE 3/21 representative status: 2 direct, 3 indirect representation (1: the declarant).
# A representative's stated status is exactly one of these codes, that of its authorisation.
_KIND_OF_STATUS = {"2": "direct", "3": "indirect"}


def _trader(user: User) -> str:
    if not user.trader_id:
        raise Forbidden("Only a trader account can lodge, amend or cancel declarations")
    return user.trader_id


def submitter(doc: DeclarationDoc, user: User, ref: RefDataSnapshot, on: date) -> str:
    """The trader lodging `doc`: its declarant, or its registered representative. Decided
    from the document and the reference data alone, before anything is looked up, so that
    the answer to a stranger says nothing about the declarant's filings or LRNs."""
    trader = _trader(user)
    declarant = doc.declarant.id
    if trader == declarant:
        return trader
    named = None if isinstance(doc, CancellationRequest) else doc.representative
    if named is None or named.id != trader or not declarant:
        raise ClearwayError(code="CW-NOT-DECLARANT",
                            message=f"Trader {trader} is neither the declarant nor its "
                            "representative on this document")
    found = ref.representation(trader, declarant, doc.declaration_type, on)
    if found is None:
        raise not_representative(trader, doc.declaration_type, on)
    check_status(getattr(doc, "representative_status", None), found.kind, trader)
    return trader


def represents(ref: RefDataSnapshot, agent: str, principal: str, declaration_type: str,
               on: date) -> bool:
    return ref.representation(agent, principal, declaration_type, on) is not None


def check_status(status: str | None, kind: str, trader: str) -> None:
    """A representative's stated DE 3/21 must be the code of the kind it is registered for:
    "2" direct or "3" indirect, exactly. "1" (the declarant itself), other codes, padding or
    leading zeros are refused like a claim of the wrong kind. Not stated: the registered kind
    applies."""
    if status is not None and _KIND_OF_STATUS.get(status) != kind:
        raise ClearwayError(code="CW-NOT-REPRESENTATIVE",
                            message=f"DE 3/21 representative status {status!r} is not the "
                            f"code of the {kind} representation trader {trader} is registered "
                            "for (2 direct, 3 indirect)")


def check_amended_status(row: DeclarationRow, status: str | None, user: User,
                         ref: RefDataSnapshot, on: date) -> None:
    """The representative that lodged `row` amends it: the new version's DE 3/21 too."""
    trader = _trader(user)
    if trader == row.declarant_id or status is None:
        return
    found = ref.representation(trader, row.declarant_id, row.declaration_type, on)
    if found is None:  # check_actor refused this already; kept coded all the same
        raise not_representative(trader, row.declaration_type, on)
    check_status(status, found.kind, trader)


def not_representative(trader: str, declaration_type: str, on: date) -> ClearwayError:
    return ClearwayError(code="CW-NOT-REPRESENTATIVE",
                         message=f"Trader {trader} holds no registered authorisation to "
                         f"represent this declarant for a {declaration_type} declaration "
                         f"on {on.isoformat()}")


def check_actor(row: DeclarationRow, user: User, ref: RefDataSnapshot, on: date) -> None:
    """Refuse a trader who may see `row` (the caller checked that) but not act on it: a
    party named on it, or a representative whose authorisation no longer holds."""
    trader = _trader(user)
    if trader == row.declarant_id:
        return
    if trader == row.submitted_by:
        if represents(ref, trader, row.declarant_id, row.declaration_type, on):
            return
        raise not_representative(trader, row.declaration_type, on)
    raise ClearwayError(code="CW-PARTY-READ-ONLY",
                        message=f"Trader {trader} is named on declaration "
                        f"{row.mrn or row.id} and may read it; only the declarant or the "
                        "representative that lodged it may amend or cancel it")
