"""Licences, permits and certificates in the register, as plain objects.

A licence is issued by an agency (a plain agency code such as "PH", "VET", "DUL") to a holder
(an EORI) under one document code: the code a trader declares in DE 2/3 with the licence's
number as the document reference (X002 dual-use export authorisation, C640 CHED-A, L001 AGRIM
import licence...). Each line grants goods (an HS code or prefix) and a quantity in a unit
and/or a value in a currency; what is left of them (`remaining_*`) is drawn down when a
declaration is accepted (`check.check_uses`) and given back when it is amended, cancelled or
invalidated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

# Document codes the register manages by default: a declared code of these kinds must be
# found in the register. Dual-use: X002 and the codes of Regulation (EU) 2021/821 (the same as
# `clearway.dualuse.matcher.LICENCE_CODES`, which a test keeps in step); C640 CHED-A, C678
# CHED-D, C673 catch certificate, L001 AGRIM import licence, E012 cultural goods export
# licence, E020 firearms export authorisation.
DUAL_USE_CODES = frozenset({"X002", *(f"X{n:03d}" for n in range(60, 73))})
DEFAULT_MANAGED_CODES = DUAL_USE_CODES | {"C640", "C678", "C673", "L001", "E012", "E020"}
KG = "kg"  # a line in kilograms is drawn from the item's net mass (DE 6/1)


class LicenceStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


def managed_codes(setting: str | None) -> frozenset[str]:
    """The register-managed document codes: the setting's comma-separated list, or the
    default when it is unset."""
    if setting is None or not setting.strip():
        return DEFAULT_MANAGED_CODES
    return frozenset(c.strip().upper() for c in setting.split(",") if c.strip())


@dataclass(frozen=True)
class LicenceLine:
    """One line of a licence: the goods it grants and what is left of its quantity/value."""

    line: int
    hs_prefix: str
    description: str
    unit: str | None = None
    quantity: Decimal | None = None
    remaining_quantity: Decimal | None = None
    currency: str | None = None
    value: Decimal | None = None
    remaining_value: Decimal | None = None
    id: int | None = None

    def covers(self, commodity_code: str) -> bool:
        return commodity_code.startswith(self.hs_prefix)


@dataclass(frozen=True)
class Licence:
    type: str
    number: str
    holder: str
    agency: str
    valid_from: date
    valid_to: date
    lines: tuple[LicenceLine, ...] = ()
    countries: tuple[str, ...] = ()  # origin (imports) or destination (exports); () any
    end_user: str | None = None
    single_use: bool = False
    status: str = LicenceStatus.VALID
    id: int | None = None
    # A single-use licence already written off by an accepted declaration (not reversed).
    used: bool = False

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to

    def line_for(self, commodity_code: str) -> LicenceLine | None:
        """The most specific line covering the code (longest prefix)."""
        covering = [ln for ln in self.lines if ln.covers(commodity_code)]
        return max(covering, key=lambda ln: len(ln.hs_prefix), default=None)


@dataclass(frozen=True)
class WriteOff:
    """What one declaration's item drew from a licence line; reversed, never deleted."""

    licence_id: int
    line_id: int
    declaration_id: int
    item: int
    code: str
    reference: str
    quantity: Decimal | None
    value: Decimal | None
    reversed: bool = False


@dataclass(frozen=True)
class VerifiedDocument:
    code: str
    reference: str
    licence_id: int
    quantity: Decimal | None = None
    value: Decimal | None = None


@dataclass
class Verified:
    """For one declaration: each item's managed documents verified and written off."""

    items: dict[int, list[VerifiedDocument]] = field(default_factory=dict)

    def codes_of(self, item: int) -> frozenset[str]:
        return frozenset(d.code for d in self.items.get(item, ()))


def verified_items(write_offs: Iterable[WriteOff]) -> Verified:
    """Which items' managed documents were verified against the register and written off
    (the active write-offs of one declaration; reversed ones do not count)."""
    found = Verified()
    for w in write_offs:
        if not w.reversed:
            found.items.setdefault(w.item, []).append(VerifiedDocument(
                w.code, w.reference, w.licence_id, w.quantity, w.value))
    return found
