"""Builders shared by tests: a valid import declaration and users with tokens."""

from __future__ import annotations

import copy
from typing import Any

from clearway.context import Context
from clearway.users.service import create_user

TRADER = "RS100234567"
OTHER_TRADER = "MK4030990123456"

VALID_IMPORT: dict[str, Any] = {
    "declaration_type": "IM",
    "additional_type": "A",
    "lrn": "LRN-0001",
    "declarant": {"id": TRADER},
    "importer": {"id": TRADER},
    "exporter": {"name": "Shanghai Clippers Co.", "address": {"city": "Shanghai",
                                                              "country": "CN"}},
    "offices": {"lodgement": None},
    "transport": {"mode_at_border": "1", "border_nationality": "PA", "container": True,
                  "container_ids": ["MSCU1234565"]},
    "delivery_terms": {"incoterm": "CIF", "place": "RSBEG"},
    "invoice_currency": "USD",
    "invoice_amount": "1500.00",
    "nature_of_transaction": "11",
    "dispatch_country": "CN",
    "total_packages": 30,
    "item_count": 2,
    "items": [
        {"sequence": 1, "commodity_code": "851010", "description": "Electric shavers",
         "origin_country": "CN", "procedure": {"requested": "40", "previous": "00"},
         "net_mass": "100", "gross_mass": "120", "item_price": "1000.00",
         "packages": [{"kind": "CT", "count": 20, "marks": "SHV-1"}]},
        {"sequence": 2, "commodity_code": "610910", "description": "Cotton T-shirts",
         "origin_country": "BD", "procedure": {"requested": "40", "previous": "00"},
         "net_mass": "50", "gross_mass": "55", "item_price": "500.00",
         "packages": [{"kind": "CT", "count": 10}]},
    ],
}


def import_doc(**changes: Any) -> dict[str, Any]:
    doc = copy.deepcopy(VALID_IMPORT)
    doc.update(changes)
    return doc


def make_token(ctx: Context, name: str, role: str, trader: str | None = None) -> str:
    with ctx.uow() as uow:
        _user, token = create_user(uow.session, name=name, role=role, trader_id=trader,
                                   now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return token
