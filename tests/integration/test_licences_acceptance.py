"""Licence references checked against the register on acceptance and written off in the same
transaction; every failure a coded issue pointed at the item's document, nothing written off
by a rejected declaration."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.declarations.lifecycle import DeclarationStatus as S
from clearway.licences import service
from clearway.risk.engine.decision import Channel
from controls_world import force
from helpers import OTHER_TRADER
from licences_world import balance, declaring, lodge, register

POINTER = "/items/0/documents/0"


@pytest.fixture
def world(ctx: Context) -> Context:
    prepare(ctx)
    force(ctx, Channel.GREEN, None)
    return ctx


PIECES = [{"hs_prefix": "8510", "description": "Shavers", "quantity": "100", "unit": "p/st"}]
USD = [{"hs_prefix": "8510", "description": "Shavers", "value": "2000", "currency": "USD"}]
# name, licence changes, declaration (reference, document quantity, item changes),
# the code expected (None: accepted), (remaining quantity, remaining value) after.
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str | None, tuple[Any, Any]]] = [
    ("net mass drawn", {}, {}, None, (Decimal("300"), None)),
    ("missing from the register", {}, {"reference": "IMP-9"}, "CW-LIC-UNKNOWN",
     (Decimal("400"), None)),
    ("no reference", {}, {"reference": None}, "CW-LIC-UNKNOWN", (Decimal("400"), None)),
    ("another code's number", {"type": "C640"}, {}, "CW-LIC-UNKNOWN", (Decimal("400"), None)),
    ("expired", {"valid_to": "2026-11-01"}, {}, "CW-LIC-EXPIRED", (Decimal("400"), None)),
    ("not yet valid", {"valid_from": "2026-12-01"}, {}, "CW-LIC-EXPIRED",
     (Decimal("400"), None)),
    ("wrong holder", {"holder": OTHER_TRADER}, {}, "CW-LIC-HOLDER", (Decimal("400"), None)),
    ("wrong HS", {"lines": [{**PIECES[0], "hs_prefix": "6109"}]}, {}, "CW-LIC-GOODS",
     (Decimal("100"), None)),
    ("wrong country", {"countries": ["VN", "TH"]}, {}, "CW-LIC-COUNTRY",
     (Decimal("400"), None)),
    ("right country", {"countries": ["CN"]}, {}, None, (Decimal("300"), None)),
    ("insufficient quantity", {"lines": [{**PIECES[0], "unit": "kg", "quantity": "99.5"}]},
     {}, "CW-LIC-EXHAUSTED", (Decimal("99.5"), None)),
    ("all that is left", {"lines": [{**PIECES[0], "unit": "kg"}]}, {}, None,
     (Decimal("0"), None)),
    ("document quantity in pieces", {"lines": PIECES}, {"quantity": "30"}, None,
     (Decimal("70"), None)),
    ("supplementary units", {"lines": PIECES}, {"supplementary_units": "40"}, None,
     (Decimal("60"), None)),
    ("pieces not declared", {"lines": PIECES}, {}, "CW-LIC-AMOUNT", (Decimal("100"), None)),
    ("value-based", {"lines": USD}, {}, None, (None, Decimal("1000"))),
    ("value-based, not enough", {"lines": [{**USD[0], "value": "999.99"}]}, {},
     "CW-LIC-EXHAUSTED", (None, Decimal("999.99"))),
    ("value-based, other currency", {"lines": [{**USD[0], "currency": "EUR"}]}, {},
     "CW-LIC-AMOUNT", (None, Decimal("2000"))),
]


@pytest.mark.parametrize(("name", "licence", "declared", "code", "after"), CASES,
                         ids=[c[0] for c in CASES])
def test_acceptance_checks_and_writes_off(world: Context, name: str, licence: dict[str, Any],
                                          declared: dict[str, Any], code: str | None,
                                          after: tuple[Any, Any]) -> None:
    register(world, **licence)
    outcome = lodge(world, declaring(**declared))
    if code is None:
        assert outcome.kind == "created", outcome.errors
        assert outcome.row.status in (S.RISK_ASSESSED, S.RELEASED)
    else:
        assert outcome.row.status == S.REJECTED
        assert [(e.code, e.pointer, e.element) for e in outcome.errors] == [
            (code, POINTER, "DE 2/3")]
        assert "goods item 1, document" in outcome.errors[0].message
    number = licence.get("number", "IMP-1")
    assert balance(world, number) == after


def test_suspended_and_revoked_licences_refuse(world: Context) -> None:
    lic = register(world)
    assert lic.id is not None
    from licences_world import AGENCY
    service.change_status(world, lic.id, "suspend", "inspection found misuse", AGENCY)
    out = lodge(world, declaring(lrn="SUSP-1"))
    assert [e.code for e in out.errors] == ["CW-LIC-SUSPENDED"]
    service.change_status(world, lic.id, "reinstate", "cleared", AGENCY)
    assert lodge(world, declaring(lrn="SUSP-2")).kind == "created"
    service.change_status(world, lic.id, "revoke", "holder struck off", AGENCY)
    assert [e.code for e in lodge(world, declaring(lrn="SUSP-3")).errors] == [
        "CW-LIC-SUSPENDED"]
    assert balance(world) == (Decimal("300"), None)


def test_single_use_licence_is_used_once(world: Context) -> None:
    register(world, single_use=True)
    assert lodge(world, declaring(lrn="ONCE-1")).kind == "created"
    second = lodge(world, declaring(lrn="ONCE-2"))
    assert [e.code for e in second.errors] == ["CW-LIC-USED"]
    assert balance(world) == (Decimal("300"), None)


def test_items_of_one_declaration_draw_together(world: Context) -> None:
    register(world, lines=[{**PIECES[0], "unit": "kg", "quantity": "150"}])
    doc = declaring(lrn="TWO-1")
    doc["items"][1].update(commodity_code="851020", documents=[
        {"code": "L001", "reference": "IMP-1"}])  # 100 kg + 50 kg
    assert lodge(world, doc).kind == "created"
    assert balance(world) == (Decimal("0"), None)
    register(world, number="IMP-2", lines=[{**PIECES[0], "unit": "kg", "quantity": "149"}])
    doc = declaring(reference="IMP-2", lrn="TWO-2")
    doc["items"][1].update(commodity_code="851020", documents=[
        {"code": "L001", "reference": "IMP-2"}])
    out = lodge(world, doc)
    assert [(e.code, e.pointer) for e in out.errors] == [
        ("CW-LIC-EXHAUSTED", "/items/1/documents/0")]
    assert balance(world, "IMP-2") == (Decimal("149"), None)


def test_unmanaged_codes_are_not_looked_up(world: Context) -> None:
    out = lodge(world, declaring(code="N935", reference="INVOICE-7", lrn="PLAIN-1"))
    assert out.kind == "created", out.errors


def test_managed_codes_follow_the_setting(world: Context) -> None:
    world.settings = world.settings.model_copy(update={"licence_managed_codes": "C640"})
    assert lodge(world, declaring(reference="NOT-CHECKED", lrn="SET-1")).kind == "created"
    out = lodge(world, declaring(code="C640", reference="CHED-NONE", lrn="SET-2"))
    assert [e.code for e in out.errors] == ["CW-LIC-UNKNOWN"]


def header_level(doc: dict[str, Any], reference: str = "IMP-1") -> dict[str, Any]:
    doc["documents"] = [{"code": "N935", "reference": "INV-1"},
                        {"code": "L001", "reference": reference}]
    return doc


def test_header_level_references_are_checked_and_drawn_by_the_items_they_cover(
        world: Context) -> None:
    register(world)
    unknown = lodge(world, header_level(declaring(code="N935", lrn="HEAD-1"), "IMP-9"))
    assert [(e.code, e.pointer) for e in unknown.errors] == [("CW-LIC-UNKNOWN", "/documents/1")]
    assert "header document L001" in unknown.errors[0].message
    doc = header_level(declaring(code="N935", lrn="HEAD-2"))  # item 2 (T-shirts) not covered
    assert lodge(world, doc).kind == "created"
    assert balance(world) == (Decimal("300"), None)
    both = header_level(declaring(lrn="HEAD-3"))  # item 1 declares it too: drawn once
    assert lodge(world, both).kind == "created"
    assert balance(world) == (Decimal("200"), None)


def test_header_level_reference_covering_no_item_is_refused(world: Context) -> None:
    register(world, lines=[{**PIECES[0], "hs_prefix": "0201"}])
    out = lodge(world, header_level(declaring(code="N935", lrn="HEAD-4")))
    assert [(e.code, e.pointer) for e in out.errors] == [("CW-LIC-GOODS", "/documents/1")]
