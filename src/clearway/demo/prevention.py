"""The demo's corruption prevention: officer2 declares that a relative runs the customs
department of the first demo trader without AEO status, then that trader lodges cigarettes
from the Emirates (a profile selects them red for traders without AEO): the control goes to
another officer and its log counts one officer left out for a declared interest, never
saying who, nor with whom. The lodgement office's control post is marked sensitive with a
tenure short enough for the demo's 60-day roster to bring every officer on it within the
warning."""

from __future__ import annotations

import json
from typing import Any

from clearway.clearance.lodging import submit
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.demo.feed import Users
from clearway.interests import service as interests
from clearway.rotation import service as rotation

OFFICE = "RS001001"
HOME = "RS"  # the administration whose offices the demo's import names
# The demo's roster reaches 61 days back: a 90-day tenure puts its officers 29 days from
# their rotation date, inside a 60-day warning.
TENURE_DAYS, WARN_DAYS = 90, 60


def cigarettes(trader: str) -> dict[str, Any]:
    """50,000 cigarettes from the United Arab Emirates, by a trader without AEO status."""
    return {
        "declaration_type": "IM", "additional_type": "A", "lrn": "DEMO-COI-0001",
        "declarant": {"id": trader}, "importer": {"id": trader},
        "exporter": {"name": "Jebel Ali Tobacco Trading FZE", "address": {
            "city": "Dubai", "country": "AE"}},
        "offices": {"lodgement": OFFICE, "presentation": OFFICE},
        "transport": {"mode_at_border": "3", "inland_mode": "3", "border_nationality": "RS",
                      "border_identity": "BG4471PK", "container": False},
        "delivery_terms": {"incoterm": "DAP", "place": "Beograd"},
        "invoice_currency": "EUR", "invoice_amount": "6400.00",
        "nature_of_transaction": "11", "dispatch_country": "AE", "total_packages": 25,
        "total_gross_mass": "65", "item_count": 1,
        "items": [{"sequence": 1, "commodity_code": "240220",
                   "description": "Cigarettes containing tobacco, 250 cartons",
                   "origin_country": "AE", "procedure": {"requested": "40", "previous": "00"},
                   "net_mass": "60", "gross_mass": "65", "item_price": "6400.00",
                   "item_price_currency": "EUR", "valuation_method": "1",
                   "packages": [{"kind": "CT", "count": 25}]}]}


def tell(ctx: Context, traders: list[str], users: Users) -> str:
    """Declare, lodge, mark the post sensitive; what happened, in a sentence or two."""
    today, ref = ctx.clock.now().date(), ctx.refdata.get()
    plain = [(t, f"trader{n + 1}") for n, t in enumerate(traders)
             if not ref.aeo(t, today) & {"AEOC", "AEOF"} and f"trader{n + 1}" in users]
    names = ("officer2", "supervisor")
    if ctx.settings.country_code != HOME or not plain or any(n not in users for n in names):
        return "Prevention: not in this administration"
    (party, trader_name), *_ = plain
    officer, supervisor = (users[n][2] for n in names)
    filed = interests.file(ctx, officer, kind="relative", party_id=party, party_name=None,
                           description="My brother-in-law runs its customs department")
    late = f", late: {filed.prior_controls} earlier controls" if filed.prior_controls else ""
    told = [f"Prevention: {officer.name} declared a link to {party}{late}"]
    lodged = submit(ctx, json.dumps(cigarettes(party)).encode(), "application/json",
                    users[trader_name][2])
    told.append(_control(ctx, lodged.row.id if lodged.row is not None else None))
    rotation.set_post(ctx, office=OFFICE, function="control", max_tenure_days=TENURE_DAYS,
                      warn_days=WARN_DAYS, user=supervisor)
    warned = rotation.warnings(ctx, OFFICE)
    told.append(f"post {OFFICE} · control marked sensitive ({TENURE_DAYS} days): "
                f"{len(warned)} rotation warnings in the Prevention room")
    return "; ".join(told)


def _control(ctx: Context, declaration_id: int | None) -> str:
    """The cigarettes' control task and what its assignment log says."""
    if declaration_id is None:
        return "the cigarettes import was refused"
    with ctx.uow(read_only=True) as uow:
        tasks = controls_repo.open_tasks_of(uow.session, declaration_id)
        if not tasks:
            return "the cigarettes import was not selected for control"
        made = controls_repo.assignments(uow.session, tasks[0].id)
    if not made:
        return f"control task {tasks[0].id} awaits an officer"
    first = made[0]
    left_out = ", ".join(f"{n} ({k.replace('_', ' ')})" for k, n in (first.excluded or {})
                         .items()) or "none"
    return (f"control task {tasks[0].id} assigned among {first.eligible} eligible officers, "
            f"left out for a declared interest: {left_out}")
