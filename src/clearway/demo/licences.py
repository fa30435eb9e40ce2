"""The demo's licence register: a few licences with quantities for the demo's traders, issued
by the dual-use licensing authority (DUL), the veterinary service (VET) and the agricultural
licensing office (AGR), valid from a month ago for a year; and one import of wheat lodged by
the first trader under its AGRIM licence, so the register shows a line being drawn down."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from clearway.clearance.lodging import submit
from clearway.context import Context
from clearway.demo.feed import Users
from clearway.identity import User
from clearway.licences.schemas import LicenceIn
from clearway.licences.service import register_in

ACTOR = "administrator:demo"
HOME = "RS"  # the administration whose offices the demo's import names
# (trader index, agency, licence): the holder and the validity are filled in.
LICENCES: list[tuple[int, str, dict[str, Any]]] = [
    (2, "DUL", {"type": "X002", "number": "DUL-2026-0042", "countries": ["CH", "JP", "NO"],
                "end_user": "Paul Scherrer Institute, Villigen", "lines": [
                    {"hs_prefix": "840140", "description": "Parts of nuclear reactors",
                     "quantity": "12", "unit": "p/st"},
                    {"hs_prefix": "8543", "description": "Electrical machines, dual-use",
                     "value": "250000", "currency": "EUR"}]}),
    (0, "VET", {"type": "C640", "number": "CHED-A-2026-0117", "single_use": True, "lines": [
                    {"hs_prefix": "0102", "description": "Live bovine animals",
                     "quantity": "40", "unit": "p/st"}]}),
    (0, "AGR", {"type": "L001", "number": "AGRIM-2026-3301", "lines": [
                    {"hs_prefix": "1001", "description": "Wheat and meslin",
                     "quantity": "500000", "unit": "kg"}]}),
]


def register_demo_licences(ctx: Context, traders: list[str], users: Users) -> str:
    """Register the demo's licences (those whose trader exists) and, in the home
    administration (its offices are in the import), draw the AGRIM licence down."""
    today = ctx.clock.now().date()
    now = ctx.clock.now()
    with ctx.uow() as uow:
        made = 0
        for index, agency, data in LICENCES:
            if index >= len(traders):
                continue
            lic = LicenceIn.model_validate({
                **data, "holder": traders[index], "valid_from": today - timedelta(days=30),
                "valid_to": today + timedelta(days=335)})
            register_in(uow.session, lic, agency, now=now, actor=ACTOR)
            made += 1
        uow.commit()
    first = users.get("trader1")
    if first is None or ctx.settings.country_code != HOME or not traders:
        return f"{made} licences"
    return f"{made} licences, an AGRIM import lodged ({draw_down(ctx, first[2])})"


def wheat_import(trader: str) -> dict[str, Any]:
    """20 t of Ukrainian wheat under the AGRIM licence (drawn from its net mass)."""
    return {
        "declaration_type": "IM", "additional_type": "A", "lrn": "DEMO-AGRIM-0001",
        "declarant": {"id": trader}, "importer": {"id": trader},
        "exporter": {"name": "Odesa Grain Terminal LLC", "address": {"city": "Odesa",
                                                                     "country": "UA"}},
        "offices": {"lodgement": "RS001001", "presentation": "RS001001"},
        "transport": {"mode_at_border": "3", "inland_mode": "3", "border_nationality": "RS",
                      "border_identity": "BG2210KT", "container": False},
        "delivery_terms": {"incoterm": "DAP", "place": "Beograd"},
        "invoice_currency": "EUR", "invoice_amount": "5200.00",
        "nature_of_transaction": "11", "dispatch_country": "UA", "total_packages": 1,
        "total_gross_mass": "20100", "item_count": 1,
        "items": [{"sequence": 1, "commodity_code": "100199",
                   "description": "Common wheat, other than seed, in bulk",
                   "origin_country": "UA", "procedure": {"requested": "40", "previous": "00"},
                   "net_mass": "20000", "gross_mass": "20100", "item_price": "5200.00",
                   "item_price_currency": "EUR", "valuation_method": "1",
                   "packages": [{"kind": "VR", "count": 1}],
                   "documents": [{"code": "L001", "reference": "AGRIM-2026-3301"}]}]}


def draw_down(ctx: Context, trader: User) -> str:
    """Lodge the wheat import as `trader`; what became of it (created or rejected)."""
    assert trader.trader_id is not None
    data = json.dumps(wheat_import(trader.trader_id)).encode()
    return submit(ctx, data, "application/json", trader).kind
