"""The pure check of licence uses: the order of the rules and the amounts drawn."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from clearway.declarations.model import Declaration
from clearway.dualuse.matcher import LICENCE_CODES
from clearway.licences.check import Use, check_uses, uses_of
from clearway.licences.model import (
    DEFAULT_MANAGED_CODES,
    DUAL_USE_CODES,
    Licence,
    LicenceLine,
    WriteOff,
    managed_codes,
    verified_items,
)
from helpers import import_doc

DAY = date(2026, 11, 20)
LINE = LicenceLine(1, "8510", "Shavers", "kg", Decimal(100), Decimal(100), id=11)


def lic(**changes: Any) -> Licence:
    base: dict[str, Any] = dict(type="L001", number="A", holder="RS1", agency="DUL",
                                valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31),
                                lines=(LINE,), id=1)
    base.update(changes)
    return Licence(**base)


def use(**changes: Any) -> Use:
    base: dict[str, Any] = dict(item=1, position=0, index=0, code="L001", reference="A",
                                holder="RS1", commodity_code="851010", country="CN",
                                quantity=None, net_mass=Decimal(40), supplementary_units=None,
                                value=None, currency=None)
    base.update(changes)
    return Use(**base)


# Several rules broken at once: the first in the documented order answers.
ORDER = [
    ({"status": "revoked", "valid_to": date(2026, 1, 2)}, {}, "CW-LIC-SUSPENDED"),
    ({"valid_to": date(2026, 1, 2)}, {"holder": "RS2"}, "CW-LIC-EXPIRED"),
    ({"single_use": True, "used": True}, {"holder": "RS2"}, "CW-LIC-HOLDER"),
    ({"single_use": True, "used": True, "countries": ("VN",)}, {"commodity_code": "6109"},
     "CW-LIC-USED"),
    ({"countries": ("VN",)}, {"commodity_code": "610910"}, "CW-LIC-GOODS"),
    ({"countries": ("VN",)}, {"net_mass": None}, "CW-LIC-COUNTRY"),
    ({}, {"net_mass": None}, "CW-LIC-AMOUNT"),
    ({}, {"net_mass": Decimal("100.001")}, "CW-LIC-EXHAUSTED"),
]


@pytest.mark.parametrize(("licence", "used", "code"), ORDER, ids=[c[2] for c in ORDER])
def test_first_broken_rule_answers(licence: dict[str, Any], used: dict[str, Any],
                                   code: str) -> None:
    draws, issues = check_uses([use(**used)], {("L001", "A"): lic(**licence)}, DAY)
    assert draws == [] and [i.code for i in issues] == [code]


def test_uses_draw_together_and_one_failure_draws_nothing() -> None:
    two = [use(), use(item=2, position=1, net_mass=Decimal(60))]
    draws, issues = check_uses(two, {("L001", "A"): lic()}, DAY)
    assert not issues and [d.quantity for d in draws] == [Decimal(40), Decimal(60)]
    draws, issues = check_uses([*two, use(item=3, position=2, net_mass=Decimal("0.001"))],
                               {("L001", "A"): lic()}, DAY)
    assert draws == [] and [(i.code, i.pointer) for i in issues] == [
        ("CW-LIC-EXHAUSTED", "/items/2/documents/0")]


def test_the_most_specific_line_is_drawn() -> None:
    wide = LicenceLine(1, "85", "Electrical", "kg", Decimal(5), Decimal(5), id=10)
    draws, _ = check_uses([use()], {("L001", "A"): lic(lines=(wide, LINE))}, DAY)
    assert [d.line_id for d in draws] == [11]


HOLDERS = [  # declaration changes, the holder the licence must have
    ({}, "RS100234567"),                                           # importer
    ({"importer": None, "declarant": {"id": "RS9"}}, "RS9"),        # no importer: declarant
    ({"declaration_type": "EX", "exporter": {"id": "RS7"}}, "RS7"),  # exporter
]


@pytest.mark.parametrize(("changes", "holder"), HOLDERS)
def test_holder_and_managed_uses_of_a_declaration(changes: dict[str, Any], holder: str) -> None:
    doc = import_doc(**changes)
    doc["items"][1]["documents"] = [{"code": "N935", "reference": "I"},
                                    {"code": "x002", "reference": " Z "}]
    (found,) = uses_of(Declaration.model_validate(doc), DEFAULT_MANAGED_CODES)
    assert (found.holder, found.code, found.reference, found.pointer) == (
        holder, "X002", "Z", "/items/1/documents/1")


def test_managed_codes_default_and_setting() -> None:
    assert DUAL_USE_CODES == LICENCE_CODES  # the dual-use room's licence codes, all managed
    assert {"C640", "C678", "L001", "E012", "E020", "C673"} <= managed_codes(None)
    assert managed_codes(" c640, X002 ,") == {"C640", "X002"}


def test_verified_items_count_active_write_offs_only() -> None:
    found = verified_items([WriteOff(1, 11, 5, 1, "L001", "A", Decimal(1), None),
                            WriteOff(2, 12, 5, 2, "C640", "B", Decimal(1), None, True)])
    assert found.codes_of(1) == {"L001"} and found.codes_of(2) == frozenset()
