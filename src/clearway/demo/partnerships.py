"""The demo's partnerships with trade and its whistleblowing channel: three memoranda of
understanding (a freight forwarders' association and a rail carrier, whose members are the
demo's first traders, and the plant-health directorate), a consultation with trade whose
follow-up actions are one overdue and one open, and one anonymous report waiting for the
integrity auditor."""

from __future__ import annotations

from datetime import timedelta

from clearway.context import Context
from clearway.demo.feed import Users
from clearway.partnerships import service as partnerships
from clearway.partnerships.model import Member, Mou
from clearway.whistleblowing import service as whistleblowing

# (code, kind, title, parties, facilitations, trader indexes of the members)
MOUS: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[int, ...]]] = [
    ("MOU-FFA", "trade_association", "Data quality with the freight forwarders",
     ("Customs Administration", "Freight Forwarders' Association"),
     ("Release on arrival where no risk of its own selects", "A named contact at each office"),
     (0, 1)),
    ("MOU-RAIL", "carrier", "Advance cargo data from the rail operator",
     ("Customs Administration", "National Rail Cargo"),
     ("Train manifests accepted 2 hours before arrival",), (2,)),
    ("MOU-PHYTO", "public_body", "Joint controls with the plant-health directorate",
     ("Customs Administration", "Plant Protection Directorate"), (), ()),
]
REPORT = ("At the RS001002 office an officer tells brokers that documentary checks go "
          "faster for 'a coffee'. It happens on morning shifts; I have seen it twice.")


def seed_partnerships(ctx: Context, traders: list[str], users: Users) -> str:
    """Register the demo's MoUs, members and consultation, and send one anonymous report."""
    if "supervisor" not in users:
        return "skipped (no supervisor)"
    sup = users["supervisor"][2]
    today = ctx.clock.now().date()
    start = today - timedelta(days=400)
    members = 0
    for code, kind, title, parties, facilitations, who in MOUS:
        partnerships.add_mou(ctx, Mou(
            code=code, title=title, kind=kind, parties=parties,
            scope=f"{title}: what each party provides, and what customs gives in return.",
            obligations=("Complete and timely data", "Report irregularities found"),
            facilitations=facilitations,
            contacts=({"name": "Liaison officer", "organisation": parties[1]},),
            valid_from=start, valid_to=today + timedelta(days=3 * 365),
            next_review_on=today + timedelta(days=90)), user=sup)
        for i in who:
            if i < len(traders):
                partnerships.add_member(ctx, code, Member(traders[i], start), user=sup)
                members += 1
    held = partnerships.record_consultation(
        ctx, held_on=today - timedelta(days=20), title="Quarterly meeting with trade",
        participants=["Customs Administration", "Freight Forwarders' Association",
                      "Chamber of Commerce"],
        topics=["ICS2 release 3 readiness", "Waiting times at the RS001002 office"],
        outcomes="Trade asks for a test window for ICS2; customs to publish weekly waiting "
                 "times per office.", mou_code="MOU-FFA", user=sup)
    partnerships.add_action(ctx, held.reference, description="Publish weekly waiting times",
                            owner="supervisor", due_on=today - timedelta(days=5), user=sup)
    partnerships.add_action(ctx, held.reference, description="Open an ICS2 test window",
                            owner="administrator", due_on=today + timedelta(days=10), user=sup)
    whistleblowing.submit(ctx, topic="bribery", text=REPORT)
    return (f"{len(MOUS)} MoUs with {members} members, consultation {held.reference} "
            "(one follow-up action overdue), one anonymous report for the integrity auditor")
