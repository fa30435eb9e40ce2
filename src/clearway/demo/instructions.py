"""The demo's instructions and training plan: a small library of instructions and circulars
that the officers acknowledged, then a new version of the IPR instruction waiting for the
officers who hold the IPR qualification; and this year's training plan with a session held
(its attendee's record follows) and sessions still to come."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from clearway.context import Context
from clearway.demo.feed import Users
from clearway.demo.staff import OFFICERS, course_code
from clearway.identity import User
from clearway.instructions import service as instructions
from clearway.instructions.model import InstructionIn
from clearway.training import plan_service
from clearway.training.plan import HeldIn, SessionIn

# code -> (title, owner, qualifications, areas, body)
LIBRARY: dict[str, tuple[str, str, list[str], list[str], str]] = {
    "COC-2026": ("Code of conduct for customs staff", "Human resources", [], [],
                 "Declare any interest in a trader you may control; accept no gift; report "
                 "any attempt to influence a decision (WCO Revised Arusha Declaration)."),
    "IPR-608": ("Goods suspected of infringing an IPR (Reg. 608/2013)", "IPR unit", ["ipr"],
                ["ipr"], "Suspend the release or detain the goods, notify the declarant and "
                "the right-holder within one working day, and give the right-holder ten "
                "working days to start proceedings (Art. 17 to 23)."),
    "DU-821": ("Dual-use export controls (Reg. 2021/821)", "Licensing liaison", ["dual-use"],
               ["dual_use"], "Check the technical specifications against the control list "
               "entry; without an authorisation for a listed item, stop the export and "
               "inform the licensing authority."),
    "VAL-2026-1": ("Circular: checking the transaction value", "Valuation unit",
                   ["valuation"], ["valuation"], "Ask for the invoice, the proof of payment "
                   "and the sales contract; compare with the valuation references."),
    "ENS-ICS2": ("Handling entry summary declarations (ICS2)", "Targeting centre",
                 ["sanctions"], ["security_safety"], "A do-not-load or high-risk result is "
                 "cleared only by a security risk officer, with a reason."),
}
# What the second version of the IPR instruction adds (waits for acknowledgement).
IPR_V2 = (" Small consignments: use the procedure of Art. 26 and tell the declarant the "
          "goods may be destroyed without proceedings.")


def _publish(ctx: Context, code: str, supervisor: User, extra: str = "") -> None:
    title, owner, quals, areas, body = LIBRARY[code]
    today = ctx.clock.now().date()
    instructions.publish(ctx, InstructionIn(
        code=code, kind="circular" if code.startswith("VAL-") else "instruction",
        title=title, body=body + extra, owner=owner, valid_from=today - timedelta(days=60),
        qualifications=quals, areas=areas), supervisor)


def publish_library(ctx: Context, officers: list[User], supervisor: User) -> int:
    """The library, acknowledged by every officer it concerns; then IPR-608 version 2.
    Returns how many officers have the new version to acknowledge."""
    for code in LIBRARY:
        _publish(ctx, code, supervisor)
    for officer in officers:
        for owed in instructions.mine(ctx, officer):
            instructions.acknowledge(ctx, officer, owed.instruction.code,
                                     owed.instruction.version)
    _publish(ctx, "IPR-608", supervisor, IPR_V2)
    return sum(1 for o in officers if "ipr" in OFFICERS.get(o.name, ()))


def plan_year(ctx: Context, officers: list[User], supervisor: User) -> int:
    """This year's plan: a refresher held a month ago, IPR and dual-use courses to come."""
    today = ctx.clock.now().date()
    held_on = today - timedelta(days=30)
    refresher = plan_service.plan_session(ctx, SessionIn(
        course_code=course_code("origin"), planned_on=held_on, seats=4,
        trainer="Origin unit", budget=Decimal("800")), supervisor)
    plan_service.record_held(ctx, refresher.id, HeldIn(
        held_on=held_on, spent=Decimal("640.00"),
        attendees=[o.id for o in officers if o.name == "officer3"] or [officers[0].id]),
        supervisor)
    later = max(today + timedelta(days=14), date(today.year, 12, 1)) \
        if today.month < 12 else today + timedelta(days=7)
    for qual, seats, budget in (("ipr", 2, "1500"), ("dual-use", 2, "1200")):
        plan_service.plan_session(ctx, SessionIn(
            course_code=course_code(qual), planned_on=later, seats=seats,
            trainer=f"{qual} trainers", budget=Decimal(budget)), supervisor)
    return 3


def seed_instructions(ctx: Context, tokens: Users) -> str:
    """The demo's instructions and training plan, in words for the start-up log."""
    officers = [tokens[name][2] for name in OFFICERS if name in tokens]
    if "supervisor" not in tokens or not officers:
        return "Instructions: no staff"
    supervisor = tokens["supervisor"][2]
    waiting = publish_library(ctx, officers, supervisor)
    sessions = plan_year(ctx, officers, supervisor)
    return (f"Instructions: {len(LIBRARY)} published, IPR-608 version 2 waiting for "
            f"{waiting} officers' acknowledgement; training plan: {sessions} sessions")
