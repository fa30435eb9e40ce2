"""The demo's progress reports (docs/progress-report.md): the working group met a few days
ago and the conference is two months ahead; this administration's report to the last
meeting was written, reviewed, approved and submitted on time (so its figures stand beside
this period's as the previous period's), and this period's report is in draft with some of
its narratives. A head of administration and the conference secretariat join the users."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from clearway.clock import FixedClock
from clearway.context import Context
from clearway.demo.feed import Users
from clearway.demo.region import Side
from clearway.identity import User
from clearway.progress import messages, service, workflow
from clearway.progress.model import SECTION_KEYS, Conference
from clearway.users.service import create_user, record_created

REGION = ("RS", "MK", "AL", "ME", "BA")
EARLIER = {
    "risk": "The national risk analysis strategy was adopted. Every declaration and summary "
            "declaration is risk-analysed on lodgement against common risk criteria.",
    "ipr_dualuse": "Right holders' applications for action and the dual-use control list are "
                   "checked on every declaration; officers received written instructions.",
    "assistance": "Agreements with neighbouring administrations are in force; exchanged "
                  "personal data is logged and kept for its purpose only.",
    "integrity": "The integrity register and the four-eyes rule on overrides are in use.",
    "training": "The national training strategy was adopted; courses on valuation and "
                "IPR started.",
    "single_window": "Plant health and veterinary controls are routed through the single "
                     "window.",
    "border": "Customs, border police and agencies share watch lists at the crossings.",
    "messaging": "Declarations are received as JSON, WCO XML and UN/EDIFACT CUSDEC.",
}
NOW_WRITTEN = {
    "risk": ("analyst", True, "Random selection keeps an unbiased sample; the model was "
             "retrained on this period's control results. AEO traders were released green "
             "more often than others."),
    "training": ("supervisor", True, "Officers who examine goods for IPR breaches now hold "
                 "the IPR qualification; controls that need it go only to them."),
    "single_window": ("supervisor", False, "Medicines joined the single window this period; "
                      "draft: add the agencies' decision times."),
}


def _people(ctx: Context, tokens: Users) -> tuple[User, User]:
    """The head of administration and the secretariat, listed before the traders."""
    traders = {n: tokens.pop(n) for n in [n for n, v in tokens.items() if v[1]]}
    with ctx.uow() as uow:
        for name, role in (("head", "head_of_administration"), ("secretariat", "secretariat")):
            user, token = create_user(uow.session, name=name, role=role, trader_id=None,
                                      now=ctx.clock.now(), ttl_days=30)
            record_created(uow.session, user, actor="administrator:demo", now=ctx.clock.now())
            tokens[name] = (token, None, user)
        uow.commit()
    tokens.update(traders)
    return tokens["head"][2], tokens["secretariat"][2]


def _earlier_report(ctx: Context, tokens: Users, meeting: Conference, head: User) -> int:
    """Written in the week before the meeting's deadline, submitted two days before it."""
    live = ctx.clock
    at = datetime.combine(meeting.deadline - timedelta(days=6), time(9), UTC)
    ctx.clock = FixedClock(at)
    try:
        author, reviewer = tokens["supervisor"][2], tokens["supervisor2"][2]
        report = service.create_report(ctx, author, meeting.code, {"risk": "analyst"})
        for key in SECTION_KEYS:
            writer = tokens["analyst"][2] if key == "risk" else author
            service.write_section(ctx, writer, report.id, key, EARLIER[key], True)
        ctx.clock = FixedClock(at + timedelta(days=2))
        workflow.review(ctx, reviewer, report.id)
        ctx.clock = FixedClock(at + timedelta(days=4))
        workflow.approve(ctx, head, report.id)
        workflow.submit(ctx, head, report.id)
    finally:
        ctx.clock = live
    return report.id


def seed_progress(ctx: Context, tokens: Users) -> str:
    today = ctx.clock.now().date()
    head, _ = _people(ctx, tokens)
    admins = tuple(dict.fromkeys((ctx.settings.country_code, *REGION)))
    meeting = service.create_conference(ctx, head, Conference(
        "SEE-WG-5", "Working group on safety, facilitation and fraud, 5th meeting",
        today - timedelta(days=5), admins, today - timedelta(days=65)))
    conference = service.create_conference(ctx, head, Conference(
        "SEE-CONF-3", "Conference on customs and cross-border co-operation in South-East "
        "Europe", today + timedelta(days=60), admins, meeting.deadline))
    earlier = _earlier_report(ctx, tokens, meeting, head)
    draft = service.create_report(ctx, tokens["supervisor"][2], conference.code,
                                  {"risk": "analyst"})
    for key, (who, complete, text) in NOW_WRITTEN.items():
        service.write_section(ctx, tokens[who][2], draft.id, key, text, complete)
    return (f"Progress reports: {meeting.code}'s submitted (report {earlier}), "
            f"{conference.code}'s in draft (report {draft.id}, due {conference.deadline})")


def share_reports(home: Side, partner: Side) -> str:
    """The neighbour sends its reports submitted to the last meeting to this administration
    as signed messages (delivered once the servers run): the regional view shows both."""
    sent = []
    for report in service.list_reports(partner.ctx):
        if report.status == "submitted":
            messages.send_report(partner.ctx, partner.users["head"][2], report.id, home.code)
            sent.append(report.conference.code)
    return (f"Progress: {partner.code}'s report to {', '.join(sent) or 'no meeting'} sent to "
            f"{home.code} (the regional view shows both)")
