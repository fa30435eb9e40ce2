"""Who acts: roles, their permissions and the signed-in user. Every endpoint names one
permission from this table; every domain reads the acting user from here (accounts, tokens and
sign-in are the users room's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class Role(StrEnum):
    TRADER = "trader"
    OFFICER = "officer"
    RISK_ANALYST = "risk_analyst"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    # A partner administration's liaison: sees only the mutual-assistance requests exchanged
    # with its own administration (the code it carries, see User.partner_code).
    PARTNER = "partner"
    DPO = "data_protection_officer"
    # Other agencies at the border (single window): an agency's officers and supervisor see
    # only what is routed to their agency (the code they carry, see User.agency_code).
    AGENCY_OFFICER = "agency_officer"
    AGENCY_SUPERVISOR = "agency_supervisor"
    # Border police at the crossing points: the booth and the shared watch lists.
    BORDER_POLICE = "border_police"
    # Safety and security targeting: the only role that may clear a do-not-load or
    # high-risk-cargo result.
    SECURITY_OFFICER = "security_officer"
    # Approves the administration's progress report to the regional conference (R9).
    HEAD_OF_ADMINISTRATION = "head_of_administration"
    # The regional conference's secretariat: reads the administrations' submitted progress
    # reports side by side and nothing else.
    SECRETARIAT = "secretariat"


class Permission(StrEnum):
    SUBMIT_DECLARATION = "declarations:submit"
    READ_DECLARATIONS = "declarations:read"
    CANCEL_DECLARATION = "declarations:cancel"
    PROCESS_DECLARATION = "declarations:process"
    READ_NOTIFICATIONS = "notifications:read"
    MANAGE_WEBHOOK = "notifications:webhook"
    READ_REFDATA = "refdata:read"
    LOAD_REFDATA = "refdata:load"
    MANAGE_USERS = "users:manage"
    READ_AUDIT = "audit:read"
    READ_SELF = "self:read"
    READ_PROFILES = "profiles:read"
    MANAGE_PROFILES = "profiles:manage"
    READ_RISK_LISTS = "risk-lists:read"
    MANAGE_RISK_LISTS = "risk-lists:manage"
    READ_RISK_REPORTS = "risk-reports:read"
    MANAGE_CAPACITY = "capacity:manage"
    READ_TRAINING = "training:read"
    MANAGE_TRAINING = "training:manage"
    READ_TASKS = "controls:read"
    WORK_TASKS = "controls:work"
    MANAGE_TASKS = "controls:manage"
    REQUEST_OVERRIDE = "overrides:request"
    APPROVE_OVERRIDE = "overrides:approve"
    READ_INTEGRITY = "integrity:read"
    MANAGE_INTEGRITY = "integrity:manage"
    READ_KPIS = "kpis:read"
    READ_EXCHANGE = "exchange:read"
    MANAGE_EXCHANGE = "exchange:manage"
    READ_MIRROR = "mirror:read"
    READ_ASSISTANCE = "assistance:read"
    DRAFT_ASSISTANCE = "assistance:draft"
    APPROVE_ASSISTANCE = "assistance:approve"
    ANSWER_ASSISTANCE = "assistance:answer"
    READ_ARRIVALS = "arrivals:read"
    CLOSE_ARRIVAL_ALARMS = "arrival-alarms:close"
    MANAGE_ARRIVAL_WEIGHTS = "arrival-weights:manage"
    RECORD_CROSSING = "arrivals:record-crossing"
    MANAGE_ARRIVAL_TOLERANCES = "arrival-tolerances:manage"
    READ_ACCESS_LOG = "privacy:read"
    MANAGE_PRIVACY = "privacy:manage"
    READ_AGENCIES = "agencies:read"
    MANAGE_AGENCIES = "agencies:manage"
    PROPOSE_MATRIX = "agency-matrix:propose"
    APPROVE_MATRIX = "agency-matrix:approve"
    READ_AGENCY_TASKS = "agency-tasks:read"
    DECIDE_AGENCY_TASKS = "agency-tasks:decide"
    MANAGE_AGENCY_TASKS = "agency-tasks:manage"
    READ_AGENCY_KPIS = "agency-kpis:read"
    READ_AGENCY_PROFILES = "agency-profiles:read"
    MANAGE_AGENCY_PROFILES = "agency-profiles:manage"
    READ_LICENCES = "licences:read"
    MANAGE_LICENCES = "licences:manage"
    READ_CROSSINGS = "border:read-crossings"
    MANAGE_CROSSING_POINTS = "border:manage-points"
    READ_WATCH_LIST = "watch-list:read"
    MANAGE_WATCH_LIST = "watch-list:manage"
    READ_ALERTS = "watch-alerts:read"
    CLOSE_ALERTS = "watch-alerts:close"
    CLEAR_SECURITY_RESULT = "security-results:clear"
    READ_JOINT_INSPECTIONS = "joint-inspections:read"
    RECORD_JOINT_INSPECTION = "joint-inspections:record"
    READ_INSTRUCTIONS = "instructions:read"
    MANAGE_INSTRUCTIONS = "instructions:manage"
    ACKNOWLEDGE_INSTRUCTIONS = "instructions:acknowledge"
    READ_ACKNOWLEDGEMENTS = "instructions:rates"
    FILE_INTERESTS = "interests:file"
    REVIEW_INTERESTS = "interests:review"
    READ_ROTATION = "rotation:read"
    MANAGE_ROTATION = "rotation:manage"
    APPROVE_ROTATION = "rotation:approve"
    READ_PARTNERSHIPS = "partnerships:read"
    MANAGE_PARTNERSHIPS = "partnerships:manage"
    READ_WHISTLEBLOWING = "whistleblowing:read"
    ANSWER_WHISTLEBLOWING = "whistleblowing:answer"
    READ_PROGRESS = "progress:read"
    MANAGE_CONFERENCES = "conferences:manage"
    WRITE_PROGRESS = "progress:write"
    REVIEW_PROGRESS = "progress:review"
    APPROVE_PROGRESS = "progress:approve"
    READ_REGIONAL = "progress:regional"
    IMPORT_PROGRESS = "progress:import"


STAFF = frozenset({Role.OFFICER, Role.RISK_ANALYST, Role.SUPERVISOR, Role.AUDITOR,
                   Role.ADMINISTRATOR, Role.SECURITY_OFFICER})
# Other agencies' staff and the border police read only what is routed or shared with them.
AGENCIES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_SUPERVISOR})
OUTSIDE_CUSTOMS = AGENCIES | {Role.BORDER_POLICE}
# Everyone of this administration: a partner's liaison reads nothing of ours but the
# requests exchanged with its own administration; other agencies and the border police read
# nothing but what their own permissions give them.
EVERYONE = frozenset(Role) - {Role.PARTNER, Role.SECRETARIAT} - OUTSIDE_CUSTOMS

# Who may do what. Traders are further limited to their own filings by the services.
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.SUBMIT_DECLARATION: frozenset({Role.TRADER}),
    Permission.READ_DECLARATIONS: EVERYONE,
    Permission.CANCEL_DECLARATION: frozenset({Role.TRADER}),
    Permission.PROCESS_DECLARATION: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Permission.READ_NOTIFICATIONS: frozenset({Role.TRADER}),
    Permission.MANAGE_WEBHOOK: frozenset({Role.TRADER}),
    Permission.READ_REFDATA: EVERYONE | OUTSIDE_CUSTOMS,
    Permission.LOAD_REFDATA: frozenset({Role.ADMINISTRATOR}),
    Permission.MANAGE_USERS: frozenset({Role.ADMINISTRATOR}),
    Permission.READ_AUDIT: frozenset({Role.AUDITOR, Role.SUPERVISOR}),
    Permission.READ_SELF: EVERYONE | OUTSIDE_CUSTOMS | {Role.SECRETARIAT},
    # Risk profiles, IPR applications, dual-use and restricted-party lists, valuation
    # references: confidential risk information, never shown to traders.
    Permission.READ_PROFILES: frozenset({Role.RISK_ANALYST, Role.SUPERVISOR, Role.AUDITOR}),
    Permission.MANAGE_PROFILES: frozenset({Role.RISK_ANALYST}),
    Permission.READ_RISK_LISTS: STAFF,
    Permission.MANAGE_RISK_LISTS: frozenset({Role.RISK_ANALYST, Role.ADMINISTRATOR}),
    Permission.READ_RISK_REPORTS: STAFF,
    # The offices' daily control capacity is set by those who run the offices.
    Permission.MANAGE_CAPACITY: frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    # Officers' training records and qualifications (R5): kept by those who run the offices.
    Permission.READ_TRAINING: STAFF,
    Permission.MANAGE_TRAINING: frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    # Control tasks: an officer sees and works only the tasks assigned to them (services
    # enforce it); supervisors see their offices' tasks, keep the duty roster and reassign
    # with a reason; auditors read everything. Nobody picks or browses unassigned tasks.
    Permission.READ_TASKS: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR}),
    Permission.WORK_TASKS: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Permission.MANAGE_TASKS: frozenset({Role.SUPERVISOR}),
    # Four-eyes: anyone who handles selections may ask; only a supervisor other than the
    # requester may approve (the service refuses self-approval).
    Permission.REQUEST_OVERRIDE: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.RISK_ANALYST}),
    Permission.APPROVE_OVERRIDE: frozenset({Role.SUPERVISOR}),
    # Integrity indicators and the register of integrity cases (R4).
    Permission.READ_INTEGRITY: frozenset({Role.AUDITOR, Role.ADMINISTRATOR}),
    Permission.MANAGE_INTEGRITY: frozenset({Role.AUDITOR}),
    Permission.READ_KPIS: STAFF,
    # Exchange with partner administrations: the register, agreements, messages in and out.
    # Administrators keep the register and agreements (every change audited).
    Permission.READ_EXCHANGE: frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR, Role.AUDITOR}),
    Permission.MANAGE_EXCHANGE: frozenset({Role.ADMINISTRATOR}),
    # Mirror analysis: partners' monthly export aggregates next to our imports (issue 16).
    Permission.READ_MIRROR: frozenset({Role.RISK_ANALYST, Role.AUDITOR}),
    # Mutual assistance: officers and analysts (and supervisors) draft, a supervisor other
    # than the drafter approves (and assigns incoming requests), the assigned officer
    # answers; partners read only what was exchanged with their administration.
    Permission.READ_ASSISTANCE: frozenset({Role.OFFICER, Role.RISK_ANALYST, Role.SUPERVISOR,
                                           Role.AUDITOR, Role.PARTNER}),
    Permission.DRAFT_ASSISTANCE: frozenset({Role.OFFICER, Role.RISK_ANALYST,
                                            Role.SUPERVISOR}),
    Permission.APPROVE_ASSISTANCE: frozenset({Role.SUPERVISOR}),
    Permission.ANSWER_ASSISTANCE: frozenset({Role.OFFICER}),
    # Pre-arrival alarms (a partner's data against what arrived): officers work them in the
    # Arrivals room and close them with a reason; analysts set what each kind weighs in the
    # risk decision (audited); auditors read.
    Permission.READ_ARRIVALS: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.RISK_ANALYST,
                                         Role.AUDITOR}),
    Permission.CLOSE_ARRIVAL_ALARMS: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Permission.MANAGE_ARRIVAL_WEIGHTS: frozenset({Role.RISK_ANALYST}),
    # The booth: officers (and supervisors standing in) record the vehicles that cross;
    # analysts set how far arrivals may differ from the announcement per HS chapter.
    Permission.RECORD_CROSSING: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.BORDER_POLICE}),
    Permission.MANAGE_ARRIVAL_TOLERANCES: frozenset({Role.RISK_ANALYST}),
    # Data protection of exchanged personal data (Convention 108+): the access log, the
    # breach and processing registers are the data protection officer's; auditors read them.
    Permission.READ_ACCESS_LOG: frozenset({Role.DPO, Role.AUDITOR}),
    Permission.MANAGE_PRIVACY: frozenset({Role.DPO}),
    # Single window: another analyst or a supervisor approves a matrix version; an agency's
    # users see only their agency's tasks and the joint inspections it is a party to.
    Permission.READ_AGENCIES: STAFF | AGENCIES,
    Permission.MANAGE_AGENCIES: frozenset({Role.ADMINISTRATOR}),
    Permission.PROPOSE_MATRIX: frozenset({Role.RISK_ANALYST}),
    Permission.APPROVE_MATRIX: frozenset({Role.RISK_ANALYST, Role.SUPERVISOR}),
    Permission.READ_AGENCY_TASKS: AGENCIES | {Role.SUPERVISOR, Role.AUDITOR},
    Permission.DECIDE_AGENCY_TASKS: AGENCIES,
    Permission.MANAGE_AGENCY_TASKS: frozenset({Role.AGENCY_SUPERVISOR}),
    Permission.READ_AGENCY_KPIS: STAFF | {Role.AGENCY_SUPERVISOR},
    # An agency's own risk profiles, its users only (customs' analysts write them through
    # the profiles room, naming the agency)
    Permission.READ_AGENCY_PROFILES: AGENCIES,
    Permission.MANAGE_AGENCY_PROFILES: frozenset({Role.AGENCY_SUPERVISOR}),
    # The licence register: staff read it all, an agency its own licences, a trader those it
    # holds (the service holds each to its own); an agency keeps its own (docs/licences.md).
    Permission.READ_LICENCES: STAFF | AGENCIES | {Role.TRADER},
    Permission.MANAGE_LICENCES: AGENCIES,
    # Integrated border management (docs/border.md): the booth's records and the shared watch
    # lists of customs, the border police and the agencies at the crossing. Each service sees
    # its own and shared entries and alerts (persons: customs and the border police only; the
    # services enforce it); an administrator keeps the crossing points.
    Permission.READ_CROSSINGS: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.RISK_ANALYST,
                                          Role.AUDITOR, Role.SECURITY_OFFICER,
                                          Role.BORDER_POLICE}),
    Permission.MANAGE_CROSSING_POINTS: frozenset({Role.ADMINISTRATOR}),
    Permission.READ_WATCH_LIST: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.RISK_ANALYST,
                                           Role.SECURITY_OFFICER, Role.BORDER_POLICE}) | AGENCIES,
    Permission.MANAGE_WATCH_LIST: frozenset({Role.SUPERVISOR, Role.RISK_ANALYST,
                                             Role.SECURITY_OFFICER, Role.BORDER_POLICE,
                                             Role.AGENCY_SUPERVISOR}),
    Permission.READ_ALERTS: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.RISK_ANALYST,
                                       Role.SECURITY_OFFICER, Role.BORDER_POLICE}) | AGENCIES,
    Permission.CLOSE_ALERTS: frozenset({Role.OFFICER, Role.SUPERVISOR, Role.SECURITY_OFFICER,
                                        Role.BORDER_POLICE}) | AGENCIES,
    # A do-not-load or high-risk-screening result of an ENS/EXS: never lowered by four eyes;
    # only a security risk officer clears it, with a reason (docs/ens.md).
    Permission.CLEAR_SECURITY_RESULT: frozenset({Role.SECURITY_OFFICER}),
    # Joint inspections: customs officers and the agencies that are parties to one record
    # their own sections (an agency sees only inspections it is a party to).
    Permission.READ_JOINT_INSPECTIONS: AGENCIES | {Role.OFFICER, Role.SUPERVISOR,
                                                   Role.AUDITOR},
    Permission.RECORD_JOINT_INSPECTION: AGENCIES | {Role.OFFICER, Role.SUPERVISOR},
    # Instructions and circulars (docs/instructions.md): all customs staff read the library
    # and acknowledge what concerns them; those who run the offices publish versions and
    # see the acknowledgement rates, which auditors read too.
    Permission.READ_INSTRUCTIONS: STAFF,
    Permission.MANAGE_INSTRUCTIONS: frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    Permission.ACKNOWLEDGE_INSTRUCTIONS: STAFF,
    Permission.READ_ACKNOWLEDGEMENTS: frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR,
                                                 Role.AUDITOR}),
    # Corruption prevention (docs/integrity-prevention.md): whoever can be given a control
    # declares their interests; supervisors review them, keep the sensitive posts and ask
    # for tenure exceptions that another supervisor approves; auditors read the rotation.
    Permission.FILE_INTERESTS: frozenset({Role.OFFICER, Role.SUPERVISOR}),
    Permission.REVIEW_INTERESTS: frozenset({Role.SUPERVISOR}),
    Permission.READ_ROTATION: frozenset({Role.SUPERVISOR, Role.AUDITOR}),
    Permission.MANAGE_ROTATION: frozenset({Role.SUPERVISOR}),
    Permission.APPROVE_ROTATION: frozenset({Role.SUPERVISOR}),
    # Partnerships with trade (docs/partnerships.md): the MoU register and the consultation
    # record are kept by those who run the offices; analysts read them to write profiles on
    # members' facilitations, auditors to check them.
    Permission.READ_PARTNERSHIPS: frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR,
                                             Role.RISK_ANALYST, Role.AUDITOR}),
    Permission.MANAGE_PARTNERSHIPS: frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    # Whistleblower reports (docs/whistleblowing.md): the integrity auditor alone reads and
    # answers them (administrators, who read the integrity register, see only that a case
    # came from the channel).
    Permission.READ_WHISTLEBLOWING: frozenset({Role.AUDITOR}),
    Permission.ANSWER_WHISTLEBLOWING: frozenset({Role.AUDITOR}),
    # The progress report to the regional conference (R9, docs/progress-report.md): managers
    # own and write sections, a supervisor reviews, the head of administration approves and
    # submits (four eyes, the service enforces them); the secretariat reads the submitted
    # reports of the region side by side.
    Permission.READ_PROGRESS: frozenset({Role.SUPERVISOR, Role.RISK_ANALYST, Role.AUDITOR,
                                         Role.ADMINISTRATOR, Role.HEAD_OF_ADMINISTRATION}),
    Permission.MANAGE_CONFERENCES: frozenset({Role.HEAD_OF_ADMINISTRATION, Role.ADMINISTRATOR}),
    Permission.WRITE_PROGRESS: frozenset({Role.SUPERVISOR, Role.RISK_ANALYST,
                                          Role.HEAD_OF_ADMINISTRATION}),
    Permission.REVIEW_PROGRESS: frozenset({Role.SUPERVISOR}),
    Permission.APPROVE_PROGRESS: frozenset({Role.HEAD_OF_ADMINISTRATION}),
    Permission.READ_REGIONAL: frozenset({Role.SECRETARIAT, Role.HEAD_OF_ADMINISTRATION}),
    Permission.IMPORT_PROGRESS: frozenset({Role.SECRETARIAT}),
}


# What each permission lets its holder do, in words: refusals say "<Role> cannot <words>".
PERMISSION_WORDS: dict[Permission, str] = {
    Permission.SUBMIT_DECLARATION: "lodge declarations",
    Permission.READ_DECLARATIONS: "read declarations",
    Permission.CANCEL_DECLARATION: "cancel declarations",
    Permission.PROCESS_DECLARATION: "process declarations",
    Permission.READ_NOTIFICATIONS: "read a trader's notifications",
    Permission.MANAGE_WEBHOOK: "set a trader's notification address",
    Permission.READ_REFDATA: "read the reference data",
    Permission.LOAD_REFDATA: "load reference data",
    Permission.MANAGE_USERS: "manage users and their tokens",
    Permission.READ_AUDIT: "read the audit trail",
    Permission.READ_SELF: "read their own account",
    Permission.READ_PROFILES: "see risk profiles",
    Permission.MANAGE_PROFILES: "write risk profiles",
    Permission.READ_RISK_LISTS: "see the risk lists",
    Permission.MANAGE_RISK_LISTS: "change the risk lists",
    Permission.READ_RISK_REPORTS: "read the risk reports",
    Permission.MANAGE_CAPACITY: "set the offices' control capacity",
    Permission.READ_TRAINING: "read training records",
    Permission.MANAGE_TRAINING: "record training and qualifications",
    Permission.READ_TASKS: "see control tasks",
    Permission.WORK_TASKS: "work on control tasks",
    Permission.MANAGE_TASKS: "reassign tasks or keep the duty roster",
    Permission.REQUEST_OVERRIDE: "request an override of a risk decision",
    Permission.APPROVE_OVERRIDE: "approve override requests",
    Permission.READ_INTEGRITY: "see the integrity indicators and cases",
    Permission.MANAGE_INTEGRITY: "open or update integrity cases",
    Permission.READ_KPIS: "see the key figures",
    Permission.READ_EXCHANGE: "see the exchange with partner administrations",
    Permission.MANAGE_EXCHANGE: "manage partner administrations and agreements",
    Permission.READ_MIRROR: "see the mirror analysis",
    Permission.READ_ASSISTANCE: "see mutual-assistance requests",
    Permission.DRAFT_ASSISTANCE: "draft mutual-assistance requests",
    Permission.APPROVE_ASSISTANCE: "approve mutual-assistance requests",
    Permission.ANSWER_ASSISTANCE: "answer mutual-assistance requests",
    Permission.READ_ARRIVALS: "see pre-arrival alarms",
    Permission.CLOSE_ARRIVAL_ALARMS: "close pre-arrival alarms",
    Permission.MANAGE_ARRIVAL_WEIGHTS: "set what pre-arrival alarms weigh",
    Permission.RECORD_CROSSING: "record border crossings",
    Permission.MANAGE_ARRIVAL_TOLERANCES: "set the arrival tolerances",
    Permission.READ_ACCESS_LOG: "read the personal-data access log",
    Permission.MANAGE_PRIVACY: "keep the data-protection registers",
    Permission.READ_AGENCIES: "see the agencies and the regulatory matrix",
    Permission.MANAGE_AGENCIES: "add agencies",
    Permission.PROPOSE_MATRIX: "propose a version of the regulatory matrix",
    Permission.APPROVE_MATRIX: "approve or reject a version of the regulatory matrix",
    Permission.READ_AGENCY_TASKS: "see agency tasks",
    Permission.DECIDE_AGENCY_TASKS: "decide agency tasks",
    Permission.MANAGE_AGENCY_TASKS: "reassign agency tasks",
    Permission.READ_AGENCY_KPIS: "see the agencies' key figures",
    Permission.READ_AGENCY_PROFILES: "see their agency's risk profiles",
    Permission.MANAGE_AGENCY_PROFILES: "write their agency's risk profiles",
    Permission.READ_LICENCES: "read the licence register",
    Permission.MANAGE_LICENCES: "register or change licences",
    Permission.READ_CROSSINGS: "read the booth's crossing records",
    Permission.MANAGE_CROSSING_POINTS: "keep the border crossing points",
    Permission.READ_WATCH_LIST: "see the shared watch lists",
    Permission.MANAGE_WATCH_LIST: "add or end watch-list entries",
    Permission.READ_ALERTS: "see watch-list alerts",
    Permission.CLOSE_ALERTS: "close watch-list alerts",
    Permission.CLEAR_SECURITY_RESULT: "clear a do-not-load or high-risk-screening result",
    Permission.READ_JOINT_INSPECTIONS: "see joint inspections",
    Permission.RECORD_JOINT_INSPECTION: "record a section of a joint inspection",
    Permission.READ_INSTRUCTIONS: "read the instructions and circulars",
    Permission.MANAGE_INSTRUCTIONS: "publish instructions and circulars",
    Permission.ACKNOWLEDGE_INSTRUCTIONS: "acknowledge instructions",
    Permission.READ_ACKNOWLEDGEMENTS: "see the acknowledgement rates",
    Permission.FILE_INTERESTS: "file their own declarations of interest",
    Permission.REVIEW_INTERESTS: "review declarations of interest",
    Permission.READ_ROTATION: "see sensitive posts and the rotation plan",
    Permission.MANAGE_ROTATION: "mark sensitive posts or ask for tenure exceptions",
    Permission.APPROVE_ROTATION: "approve tenure exceptions",
    Permission.READ_PARTNERSHIPS: "see the memoranda of understanding and consultations",
    Permission.MANAGE_PARTNERSHIPS: "keep the memoranda of understanding and consultations",
    Permission.READ_WHISTLEBLOWING: "read whistleblower reports",
    Permission.ANSWER_WHISTLEBLOWING: "answer whistleblower reports",
    Permission.READ_PROGRESS: "read the progress reports",
    Permission.MANAGE_CONFERENCES: "keep the regional conferences",
    Permission.WRITE_PROGRESS: "write progress report sections",
    Permission.REVIEW_PROGRESS: "review progress reports",
    Permission.APPROVE_PROGRESS: "approve and submit progress reports",
    Permission.READ_REGIONAL: "see the region's progress reports side by side",
    Permission.IMPORT_PROGRESS: "import another administration's progress report",
}
# A role by name in a sentence: (one of them, all of them).
ROLE_WORDS: dict[Role, tuple[str, str]] = {
    Role.TRADER: ("a trader", "Traders"), Role.OFFICER: ("an officer", "Officers"),
    Role.RISK_ANALYST: ("a risk analyst", "Risk analysts"),
    Role.SUPERVISOR: ("a supervisor", "Supervisors"), Role.AUDITOR: ("an auditor", "Auditors"),
    Role.ADMINISTRATOR: ("an administrator", "Administrators"),
    Role.PARTNER: ("a partner administration's liaison", "Partner liaisons"),
    Role.DPO: ("the data protection officer", "Data protection officers"),
    Role.AGENCY_OFFICER: ("an agency officer", "Agency officers"),
    Role.AGENCY_SUPERVISOR: ("an agency supervisor", "Agency supervisors"),
    Role.BORDER_POLICE: ("a border police officer", "Border police officers"),
    Role.SECURITY_OFFICER: ("a security risk officer", "Security risk officers"),
    Role.HEAD_OF_ADMINISTRATION: ("the head of administration", "Heads of administration"),
    Role.SECRETARIAT: ("the conference secretariat", "The conference secretariat"),
}


def refusal(role: Role, permission: Permission) -> str:
    """Why `role` is refused `permission`, in words, and whom to sign in as instead:
    "Officers cannot lodge declarations. Sign in as a trader to do this." """
    holders = [ROLE_WORDS[r][0] for r in Role if r in PERMISSIONS[permission]]
    who = (", ".join(holders[:-1]) + " or " + holders[-1]) if len(holders) > 1 else \
        "".join(holders)
    told = f"{ROLE_WORDS[role][1]} cannot {PERMISSION_WORDS[permission]}."
    return f"{told} Sign in as {who} to do this." if who else told


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    trader_id: str | None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    created_at: datetime | None = None

    def expired(self, now: datetime) -> bool:
        if self.expires_at is None:
            return False
        expires = self.expires_at
        return (expires if expires.tzinfo else expires.replace(tzinfo=UTC)) <= now

    def may(self, permission: Permission) -> bool:
        return self.role in PERMISSIONS[permission]

    @property
    def is_trader(self) -> bool:
        return self.role == Role.TRADER

    @property
    def partner_code(self) -> str | None:
        """The partner administration a partner user acts for (carried where a trader user
        carries its trader id)."""
        return self.trader_id if self.role == Role.PARTNER else None

    @property
    def agency_code(self) -> str | None:
        """The agency an agency officer or supervisor acts for (carried, like a partner's
        administration, where a trader user carries its trader id)."""
        return self.trader_id if self.role in AGENCIES else None

    @property
    def actor(self) -> str:
        """How the user is named in events and the audit trail."""
        return f"{self.role.value}:{self.name}"
