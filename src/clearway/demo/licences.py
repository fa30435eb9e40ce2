"""The demo's licence register: a few licences with quantities for the demo's traders, issued
by the dual-use licensing authority (DUL), the veterinary service (VET) and the agricultural
licensing office (AGR), valid from a month ago for a year."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from clearway.context import Context
from clearway.licences.schemas import LicenceIn
from clearway.licences.service import register_in

ACTOR = "administrator:demo"
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
    (1, "AGR", {"type": "L001", "number": "AGRIM-2026-3301", "lines": [
                    {"hs_prefix": "1001", "description": "Wheat and meslin",
                     "quantity": "500000", "unit": "kg"}]}),
]


def register_demo_licences(ctx: Context, traders: list[str]) -> int:
    """Register the demo's licences (those whose trader exists); how many."""
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
    return made
