"""The access matrix: every API route x every role x own or another's data.

A small world: two traders of different companies with a declaration each (lodged through
the API, both selected red), two officers with one control task and one evidence file each,
an officer's and a risk analyst's override requests. Each route has a row saying which
ownership rule applies; the expected answer per role and side follows from the rule and the
permission table. A role without the route's permission gets 403 CW-FORBIDDEN; a role held to
its own data gets 404 for another's object (its existence stays hidden) and never sees it in a
list; everyone else is served (any answer but 401, 403 CW-FORBIDDEN, 404 or 5xx). A route
missing from the table fails, so a new route must state its rule here. What a trader named
on another's declaration may do with it (read, never act) is the sibling table of
`test_party_actions.py`: every party role x every trader action; what a trader is shown of
customs' persons (nothing but the administration) is the table of
`test_trader_never_sees_officers.py`: every route x filings worked by named officers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from clearway.app import create_app
from clearway.context import Context
from clearway.identity import PERMISSIONS, Role
from clearway.risk.engine.decision import Channel
from clearway.users.service import authenticate
from controls_world import OFFICE, QUAL, force, module_context
from helpers import (
    OTHER_TRADER,
    TRADER,
    RouteInfo,
    all_routes,
    carried_code,
    declared_permissions,
    import_doc,
    make_token,
)
from licences_world import licence_data, licence_pair, licence_terms

SAMPLE = {"key": "26RS000000000001R0", "action": "release", "note_id": "1",
          "list_name": "countries", "list_id": "TEST", "office": OFFICE, "channel": "red",
          "trader_id": TRADER, "evidence_id": "1", "name": "m-spare",
          "kind": "value-difference", "alarm_id": "1", "arrival_id": "1", "chapter": "61",
          "attachment": "1", "code": "RS-HORGOS", "entry_id": "1", "alert_id": "1",
          "section": "risk"}

# Ownership rules: which roles are held to their own objects under each.
# Outside customs (other agencies, the border police) and the data protection officer read
# no trader's compliance record: they are no readers of risk reports.
NO_RECORDS = {Role.DPO, Role.AGENCY_OFFICER, Role.AGENCY_SUPERVISOR, Role.BORDER_POLICE,
              Role.HEAD_OF_ADMINISTRATION, Role.SECRETARIAT}
HELD = {"decl": {Role.TRADER}, "trader": {Role.TRADER, *NO_RECORDS}, "note": {Role.TRADER},
        "task": {Role.OFFICER}, "evidence": {Role.OFFICER},
        "override": {Role.OFFICER, Role.RISK_ANALYST},
        # An agency's officers and supervisor see only tasks routed to their agency: the
        # world's declaration routes oranges to plant health (theirs), beef to veterinary.
        "agency_task": {Role.AGENCY_OFFICER, Role.AGENCY_SUPERVISOR},
        "licence": {Role.TRADER, Role.AGENCY_OFFICER, Role.AGENCY_SUPERVISOR},
        # A joint inspection is seen by the agencies that are parties to it (and customs).
        "joint": {Role.AGENCY_OFFICER, Role.AGENCY_SUPERVISOR}}
# Held roles that own no object under the rule: every object is another's to them.
OWN_NONE = {"trader": NO_RECORDS}


@dataclass(frozen=True)
class Row:
    rule: str | None = None   # None: no ownership (no object, or staff-wide data)
    listing: bool = False     # a list: "other" means another's object is absent from it
    body: Any = None
    # 403 codes of business rules that are not about access, e.g. a supervisor may see every
    # task of the office but works only those assigned to them.
    refusals: frozenset[str] = frozenset()
    query: str = ""


REASON = {"reason": "access matrix check"}
RESULT = {"outcome": "regular", "action": "release"}
G = Row()
MINE = frozenset({"CW-TASK-NOT-ASSIGNED"})
TABLE: dict[str, Row] = {
    "GET /api/v1/declarations": Row("decl", listing=True),
    "POST /api/v1/declarations": G,
    "GET /api/v1/declarations/{key}": Row("decl"),
    "PUT /api/v1/declarations/{key}": Row("decl", body=import_doc(lrn="MATRIX-AMEND")),
    "POST /api/v1/declarations/{key}/cancel": Row("decl", body=REASON),
    "GET /api/v1/declarations/{key}/decision": Row("decl"),
    "GET /api/v1/declarations/{key}/events": Row("decl"),
    "POST /api/v1/declarations/{key}/actions/{action}": Row("decl"),
    "POST /api/v1/declarations/{key}/overrides": Row("decl"),
    "GET /api/v1/summaries/{key}": Row("decl"),
    "GET /api/v1/rfis": G,
    "POST /api/v1/summaries/{key}/rfi/answer": Row("decl", body={"answer": "brake pads"}),
    "POST /api/v1/summaries/{key}/security-clearance": Row(
        "decl", body={"outcome": "no_risk", "reason": "screened at the port, nothing found"}),
    "GET /api/v1/traders/{trader_id}/record": Row("trader"),
    "GET /api/v1/notifications": Row("note", listing=True),
    "GET /api/v1/notifications/{note_id}": Row("note"),
    "POST /api/v1/notifications/ack": G,
    "GET /api/v1/notifications/webhook": G,
    "PUT /api/v1/notifications/webhook": G, "DELETE /api/v1/notifications/webhook": G,
    # A supervisor's own list is their own tasks; the office's asks for the office.
    "GET /api/v1/controls/tasks": Row("task", listing=True, query=f"?office={OFFICE}"),
    "GET /api/v1/controls/tasks/{key}": Row("task"),
    "POST /api/v1/controls/tasks/{key}/start": Row("task", refusals=MINE),
    "POST /api/v1/controls/tasks/{key}/evidence": Row("task", body=b"photo", refusals=MINE),
    "POST /api/v1/controls/tasks/{key}/result": Row("task", body=RESULT, refusals=MINE),
    "POST /api/v1/controls/tasks/{key}/reassign": Row("task"),
    "GET /api/v1/controls/tasks/{key}/evidence/{evidence_id}": Row("evidence"),
    "GET /api/v1/controls/roster": G, "POST /api/v1/controls/roster": G,
    "POST /api/v1/controls/assign-waiting": G,
    # Users are the administrator's; "m-spare" is a user nobody else relies on.
    "GET /api/v1/users": G,
    "GET /api/v1/arrivals/exits": G,
    "GET /api/v1/arrivals": G, "GET /api/v1/arrivals/{arrival_id}": G,
    "GET /api/v1/arrivals/tolerances": G,
    "PUT /api/v1/arrivals/tolerances/{chapter}": Row(body={"mass_pct": 5, "packages": 0,
                                                           "value_pct": 10}),
    "POST /api/v1/arrivals/crossings": Row(body={"office": "RS004002", "vehicle": "BG1"}),
    # Integrated border management: each service sees its own and shared entries and alerts
    # (a sample id not its service's is "not found": served); tests/e2e/test_border_api.py.
    "GET /api/v1/border/crossing-points": G,
    "PUT /api/v1/border/crossing-points/{code}": Row(body={
        "name": "Horgos", "office": "RS003001", "neighbour": "HU", "modes": ["road"]}),
    "GET /api/v1/border/crossings": Row(query="?mrn=26RS000000000001R0"),
    "GET /api/v1/border/watch-list": G,
    "POST /api/v1/border/watch-list": Row(body={"kind": "vehicle", "value": "BG-MATRIX",
                                                "reason": "access matrix check"}),
    "POST /api/v1/border/watch-list/{entry_id}/end": Row(
        body=REASON, refusals=frozenset({"CW-BORDER-WATCH-OWNER"})),
    "GET /api/v1/border/alerts": G, "GET /api/v1/border/alerts/{alert_id}": G,
    "POST /api/v1/border/alerts/{alert_id}/close": Row(body=REASON),
    "POST /api/v1/users": Row(body={"name": "m-created", "role": "officer"}),
    "POST /api/v1/users/{name}/revoke": Row(body=REASON),
    "POST /api/v1/users/{name}/token": G,
    "GET /api/v1/overrides": Row("override", listing=True),
    "GET /api/v1/overrides/{key}": Row("override"),
    "POST /api/v1/overrides/{key}/approve": Row("override"),
    "POST /api/v1/overrides/{key}/reject": Row("override"),
    **{f"{m} /api/v1/{p}": G for m, p in (
        ("GET", "audit/entries"), ("GET", "audit/overrides"), ("GET", "audit/verify"),
        ("GET", "dual-use"), ("POST", "dual-use"), ("GET", "exchange/agreements"),
        ("POST", "exchange/agreements"), ("GET", "exchange/received"), ("GET", "exchange/outbox"),
        ("GET", "exchange/partners"), ("POST", "exchange/partners"),
        ("GET", "exchange/public-key"), ("GET", "feedback/compliance-estimate"),
        ("GET", "integrity/cases"), ("POST", "integrity/cases"),
        ("GET", "integrity/cases/{key}"), ("PATCH", "integrity/cases/{key}"),
        ("GET", "integrity/indicators"), ("GET", "integrity/report"),
        ("GET", "ipr-applications"), ("POST", "ipr-applications"),
        ("GET", "ipr-applications/{key}"), ("PUT", "ipr-applications/{key}"),
        ("POST", "ipr-applications/{key}/withdraw"), ("GET", "kpis"),
        ("GET", "profiles"), ("POST", "profiles"), ("POST", "profiles/backtest"),
        ("GET", "profiles/effectiveness"), ("GET", "profiles/export"),
        ("POST", "profiles/import"), ("GET", "profiles/{key}"), ("PUT", "profiles/{key}"),
        ("POST", "profiles/{key}/activate"), ("POST", "profiles/{key}/backtest"),
        ("POST", "profiles/{key}/retire"), ("GET", "refdata"), ("GET", "refdata/{list_name}"),
        ("GET", "reports/release-times"), ("GET", "reports/balance"),
        ("POST", "screening/check"),
        ("GET", "screening/lists"), ("PUT", "screening/lists/{list_id}"),
        ("GET", "selectivity/budgets"), ("PUT", "selectivity/budgets/{office}/{channel}"),
        ("GET", "selectivity/report"), ("GET", "training/courses"),
        ("POST", "training/courses"), ("GET", "training/officers/{key}"),
        ("POST", "training/records"), ("GET", "training/report"), ("GET", "users/me"),
        ("GET", "valuation/references"),
        ("GET", "arrivals/alarm-weights"), ("GET", "arrivals/alarm-weights/{kind}"),
        ("PUT", "arrivals/alarm-weights/{kind}"), ("GET", "arrivals/alarms"),
        ("GET", "arrivals/alarms/{alarm_id}"), ("POST", "arrivals/alarms/{alarm_id}/close"),
        ("GET", "privacy/access-log"), ("POST", "privacy/uses"), ("POST", "privacy/consents"),
        ("GET", "privacy/retention"), ("POST", "privacy/retention/sweep"),
        ("POST", "privacy/retention/extensions"), ("POST", "privacy/subject-access"),
        ("POST", "privacy/rectifications"), ("POST", "privacy/erasures"),
        ("GET", "privacy/breaches"), ("POST", "privacy/breaches"),
        ("PUT", "privacy/breaches/{key}"), ("GET", "privacy/processing-register"))},
    "GET /api/v1/mirror/gaps": Row(query="?partner=MK&period=2026-11"),
    "GET /api/v1/agency-tasks": Row("agency_task", listing=True),
    "GET /api/v1/agency-tasks/{key}": Row("agency_task"),
    "POST /api/v1/agency-tasks/{key}/decision": Row("agency_task", body={"decision": "inspect"}),
    "POST /api/v1/agency-tasks/{key}/reassign": Row("agency_task",
                                                    body={"officer": "m-agency_officer"}),
    "GET /api/v1/joint-inspections": Row("joint", listing=True),
    "GET /api/v1/joint-inspections/{key}": Row("joint"),
    "POST /api/v1/joint-inspections/{key}/results": Row("joint", body={"outcome": "compliant"}),
    "POST /api/v1/agencies": Row(body={"code": "CITES", "name": "CITES", "kind": "other"}),
    "POST /api/v1/agencies/matrix/versions": Row(body=(
        b"id,hs_prefix,agency,formality,declaration_types,procedures,origins,destinations,"
        b"intended_use,documents,move_before_decision,valid_from,valid_to\n"
        b"PH-X,0805,PH,certificate,IM,,,,,N851,no,,\n")),
    **{f"{m} /api/v1/agencies{p}": G for m, p in (
        ("GET", ""), ("GET", "/matrix"), ("GET", "/matrix/versions"), ("GET", "/kpis"),
        ("POST", "/matrix/versions/{key}/approve"), ("POST", "/matrix/versions/{key}/reject"))},
    "POST /api/v1/mirror/gaps/promote": G,
    # Instructions officers acknowledge ("RS-HORGOS" is published by the world) and the
    # yearly training plan: staff-wide data, no ownership.
    **{f"GET /api/v1/instructions{p}": G for p in ("", "/mine", "/rates", "/{code}")},
    "POST /api/v1/instructions": Row(body={"code": "M-INSTR", "title": "t", "body": "b",
                                           "owner": "HQ", "valid_from": "2026-01-01"}),
    "POST /api/v1/instructions/{code}/acknowledgements": Row(body={"version": 1}),
    "GET /api/v1/training/needs": G,
    "GET /api/v1/training/plan": Row(query="?year=2026"),
    "GET /api/v1/training/figures": Row(query="?start=2026-01-01&end=2027-01-01"),
    "POST /api/v1/training/sessions": Row(body={"course_code": "VAL-1", "seats": 2,
                                                "planned_on": "2026-12-01", "trainer": "t",
                                                "budget": "10"}),
    "POST /api/v1/training/sessions/{key}/held": Row(body={
        "held_on": "2026-11-01", "spent": "1", "attendees": [1]}),
    # An agency's own profiles: each agency user reaches its agency's only (another's code
    # reads as unknown; tests/e2e/test_agency_profiles_api.py).
    **{f"{m} /api/v1/agency-profiles{p}": G for m, p in (
        ("GET", ""), ("POST", ""), ("GET", "/{key}"), ("PUT", "/{key}"),
        ("POST", "/{key}/activate"), ("POST", "/{key}/retire"))},
    # The licence register: a trader reads what it holds, an agency keeps its own.
    "GET /api/v1/licences": Row("licence", listing=True),
    "GET /api/v1/licences/{key}": Row("licence"),
    "POST /api/v1/licences": Row(body=licence_data(number="MATRIX-L3")),
    "PUT /api/v1/licences/{key}": Row("licence", body=licence_terms()),
    **{f"POST /api/v1/licences/{{key}}/{a}": Row("licence", body=REASON)
       for a in ("suspend", "reinstate", "revoke")},
    # Mutual assistance: a partner liaison's own-administration rule is proved in
    # tests/integration/test_assistance_flow.py (two installations).
    **{f"{m} /api/v1/assistance/{p}": G for m, p in (
        ("GET", "requests"), ("POST", "requests"), ("GET", "requests/{key}"),
        ("GET", "requests/{key}/attachments/{attachment}"), ("POST", "requests/{key}/approve"),
        ("POST", "requests/{key}/assign"), ("POST", "requests/{key}/reply"),
        ("POST", "requests/{key}/close"))},
    # Corruption prevention: an officer reaches only their own declarations of interest (and
    # a supervisor never reviews their own): tests/e2e/test_prevention_api.py.
    **{f"{m} /api/v1/{p}": G for m, p in (
        ("GET", "interests"), ("POST", "interests"), ("GET", "interests/mine"),
        ("POST", "interests/{key}/renew"), ("POST", "interests/{key}/withdraw"),
        ("POST", "interests/{key}/review"), ("GET", "rotation/posts"),
        ("PUT", "rotation/posts"), ("GET", "rotation/plan"), ("GET", "rotation/share"),
        ("GET", "rotation/exceptions"), ("POST", "rotation/exceptions"),
        ("POST", "rotation/exceptions/{key}/decide"))},
    # Partnerships with trade; the integrity auditor's whistleblower reports (the sender's
    # routes are public: tests/e2e/test_whistleblowing_api.py).
    **{f"{m} /api/v1/partnerships/{p}": G for m, p in (
        ("GET", "mous"), ("POST", "mous"), ("GET", "mous/{key}"),
        ("POST", "mous/{key}/members"), ("POST", "mous/{key}/members/{trader_id}/end"),
        ("POST", "mous/{key}/reviews"), ("GET", "facilitation"), ("GET", "consultations"),
        ("POST", "consultations"), ("GET", "consultations/{key}"),
        ("POST", "consultations/{key}/actions"),
        ("POST", "consultations/{key}/actions/{entry_id}/done"))},
    **{f"{m} /api/v1/whistleblowing/{p}": G for m, p in (
        ("GET", "cases"), ("GET", "cases/{key}"), ("POST", "cases/{key}/answer"))},
    # The progress report (docs/progress-report.md): the administration's own document, no
    # ownership by role; the workflow's own rules (section owners, four eyes) are proved in
    # tests/e2e/test_progress_api.py.
    **{f"{m} /api/v1/progress/{p}": G for m, p in (
        ("GET", "conferences"), ("POST", "conferences"), ("GET", "reminders"),
        ("GET", "reports"), ("POST", "reports"), ("GET", "reports/{key}"),
        ("PUT", "reports/{key}/sections/{section}"),
        ("PUT", "reports/{key}/sections/{section}/owner"), ("POST", "reports/{key}/review"),
        ("POST", "reports/{key}/send-back"), ("POST", "reports/{key}/approve"),
        ("POST", "reports/{key}/submit"), ("POST", "reports/{key}/revise"),
        ("GET", "reports/{key}/export"), ("GET", "reports/{key}/document.html"),
        ("GET", "reports/{key}/document.pdf"), ("POST", "reports/{key}/send"),
        ("POST", "imports"),
        ("GET", "regional"), ("GET", "regional/{code}"))},
}


def route_key(route: RouteInfo) -> str:
    return f"{sorted(route.methods)[0]} {route.path}"


def api_routes() -> list[RouteInfo]:
    return [r for r in all_routes() if r.path.startswith("/api/") and declared_permissions(r)]


@dataclass
class World:
    client: TestClient
    tokens: dict[Role, str]
    objects: dict[str, tuple[dict[str, str], dict[str, str]]]  # rule -> (A's, B's) params

    def sides(self, rule: str | None, role: Role) -> dict[str, dict[str, str]]:
        if rule is None:
            return {"own": {}}
        own, other = self.objects[rule]
        if rule == "override" and role == Role.RISK_ANALYST:
            own, other = other, own   # the analyst asked for the second one
        return {"own": own, "other": other}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _lodge(client: TestClient, token: str, trader: str, lrn: str) -> str:
    answer = client.post("/api/v1/declarations", headers=bearer(token), json=import_doc(
        lrn=lrn, declarant={"id": trader}, importer={"id": trader},
        offices={"lodgement": OFFICE}))
    assert answer.status_code == 201, answer.text
    return str(answer.json()["mrn"])


def _build(client: TestClient, ctx: Context) -> World:
    tokens = {role: make_token(ctx, f"m-{role.value}", role.value,
                               carried_code(role, TRADER))
              for role in Role}
    trader_b = make_token(ctx, "m-trader-b", "trader", OTHER_TRADER)
    officer_b = make_token(ctx, "m-officer-b", "officer")
    make_token(ctx, "m-spare", "officer")
    sup = bearer(tokens[Role.SUPERVISOR])
    assert client.post("/api/v1/training/courses", headers=sup, json={
        "code": "VAL-1", "title": "Valuation", "qualification": QUAL}).status_code == 200
    assert client.post("/api/v1/instructions", headers=sup, json={
        "code": SAMPLE["code"], "title": "Code of conduct", "body": "Be fair.", "owner": "HQ",
        "valid_from": "2026-01-01"}).status_code == 201
    officer_ids = []
    for token in (tokens[Role.OFFICER], officer_b):
        officer_ids.append(_user_id(ctx, token))
        assert client.post("/api/v1/training/records", headers=sup, json={
            "officer_id": officer_ids[-1], "course_code": "VAL-1",
            "completed_on": "2026-01-05"}).status_code == 201
    now = ctx.clock.now()
    mrns, tasks, evidence, notes = [], [], [], []
    for (token, trader, lrn), officer_id, officer in zip(
            ((tokens[Role.TRADER], TRADER, "MATRIX-A"), (trader_b, OTHER_TRADER, "MATRIX-B")),
            officer_ids, (tokens[Role.OFFICER], officer_b), strict=True):
        shift = client.post("/api/v1/controls/roster", headers=sup, json={
            "officer_id": officer_id, "office": OFFICE,
            "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(hours=7)).isoformat()})
        assert shift.status_code == 201, shift.text
        mrns.append(_lodge(client, token, trader, lrn))   # only this officer is on duty yet
        (task,) = client.get("/api/v1/controls/tasks", headers=bearer(officer)).json()
        tasks.append(str(task["id"]))
        started = client.post(f"/api/v1/controls/tasks/{task['id']}/start",
                              headers=bearer(officer))
        assert started.status_code == 200, started.text
        added = client.post(f"/api/v1/controls/tasks/{task['id']}/evidence",
                            headers=bearer(officer), content=b"scan")
        assert added.status_code == 201, added.text
        evidence.append(str(added.json()["id"]))
        pulled = client.get("/api/v1/notifications", headers=bearer(token)).json()["items"]
        notes.append(str(pulled[0]["id"]))
    overrides = []
    for role, mrn in ((Role.OFFICER, mrns[0]), (Role.RISK_ANALYST, mrns[1])):
        asked = client.post(f"/api/v1/declarations/{mrn}/overrides",
                            headers=bearer(tokens[role]),
                            json={"kind": "channel_change", "to_channel": "green",
                                  "reason": "documents checked at the border post"})
        assert asked.status_code == 201, asked.text
        overrides.append(str(asked.json()["id"]))
    agency_tasks = _route_to_agencies(client, tokens)
    inspections = _inspect(client, ctx, tokens, agency_tasks["PH"])
    objects = {
        "decl": ({"key": mrns[0]}, {"key": mrns[1]}),
        "trader": ({"trader_id": TRADER}, {"trader_id": OTHER_TRADER}),
        "note": ({"note_id": notes[0]}, {"note_id": notes[1]}),
        "task": ({"key": tasks[0]}, {"key": tasks[1]}),
        "evidence": ({"key": tasks[0], "evidence_id": evidence[0]},
                     {"key": tasks[1], "evidence_id": evidence[1]}),
        "override": ({"key": overrides[0]}, {"key": overrides[1]}),
        "agency_task": ({"key": agency_tasks["PH"]}, {"key": agency_tasks["VET"]}),
        "licence": licence_pair(client, ctx, tokens[Role.AGENCY_OFFICER]),
        "joint": ({"key": inspections[0]}, {"key": inspections[1]}),
    }
    return World(client, tokens, objects)


def _route_to_agencies(client: TestClient, tokens: dict[Role, str]) -> dict[str, str]:
    """A declaration of oranges and beef: one task for plant health, one for veterinary."""
    doc = import_doc(lrn="MATRIX-AGENCIES", declarant={"id": TRADER}, importer={"id": TRADER},
                     offices={"lodgement": OFFICE})
    doc["items"][0]["commodity_code"], doc["items"][1]["commodity_code"] = "080510", "020130"
    lodged = client.post("/api/v1/declarations", headers=bearer(tokens[Role.TRADER]), json=doc)
    assert lodged.status_code == 201, lodged.text
    found = client.get("/api/v1/agency-tasks", headers=bearer(tokens[Role.SUPERVISOR]))
    return {t["agency"]: str(t["id"]) for t in found.json()}


def _inspect(client: TestClient, ctx: Context, tokens: dict[Role, str], ph_task: str
             ) -> tuple[str, str]:
    """Plant health inspects its goods (one inspection with customs and PH); veterinary
    inspects beef of another declaration (customs and VET only)."""
    inspect = {"decision": "inspect"}
    ph = client.post(f"/api/v1/agency-tasks/{ph_task}/decision", json=inspect,
                     headers=bearer(tokens[Role.AGENCY_OFFICER]))
    assert ph.status_code == 200, ph.text
    doc = import_doc(lrn="MATRIX-BEEF", declarant={"id": TRADER}, importer={"id": TRADER},
                     offices={"lodgement": OFFICE})
    doc["items"][0]["commodity_code"] = doc["items"][1]["commodity_code"] = "020130"
    lodged = client.post("/api/v1/declarations", headers=bearer(tokens[Role.TRADER]), json=doc)
    assert lodged.status_code == 201, lodged.text
    vet = bearer(make_token(ctx, "m-vet", "agency_officer", "VET"))
    (task,) = [t for t in client.get("/api/v1/agency-tasks", headers=vet).json()
               if t["mrn"] == lodged.json()["mrn"]]
    assert client.post(f"/api/v1/agency-tasks/{task['id']}/decision", json=inspect,
                       headers=vet).status_code == 200
    booked = client.get("/api/v1/joint-inspections", headers=bearer(tokens[Role.SUPERVISOR]))
    by_party = {tuple(i["parties"]): str(i["id"]) for i in booked.json()}
    return by_party[("customs", "PH")], by_party[("customs", "VET")]


def _user_id(ctx: Context, token: str) -> int:
    with ctx.uow(read_only=True) as uow:
        return authenticate(uow.session, token, ctx.clock.now()).id


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    ctx = module_context(tmp_path_factory.mktemp("matrix"), sqlite_template)
    force(ctx, Channel.RED)
    app = create_app(ctx)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield _build(client, ctx)
    ctx.engine.dispose()


def listed(payload: Any) -> set[str]:
    """The ids and MRNs of the objects in a list answer (a bare list or a page of items)."""
    items = payload if isinstance(payload, list) else payload["items"]
    return {str(item[name]) for item in items for name in ("id", "mrn") if name in item}


def expected(row: Row, role: Role, side: str, allowed: bool) -> str:
    if not allowed:
        return "denied"
    if row.rule is not None and role in HELD[row.rule] and (
            side == "other" or role in OWN_NONE.get(row.rule, set())):
        return "absent" if row.listing else "hidden"
    return "listed" if row.listing else "served"


def observed(answer: Response, row: Row, params: dict[str, str]) -> str:
    code = answer.json().get("code") if answer.headers.get("content-type", "").startswith(
        "application/json") and answer.status_code >= 400 else None
    if answer.status_code == 403 and code == "CW-FORBIDDEN":
        return "denied"
    if answer.status_code == 403 and code in row.refusals:
        return "served"   # a business rule refused it (see Row.refusals), not access
    if answer.status_code == 404 and row.rule is not None:
        return "hidden"   # a sample id of a route without owners may well not exist: served
    if answer.status_code in (401, 403) or answer.status_code >= 500:
        return f"status {answer.status_code} {code}"
    if row.listing:
        (value,) = {v for k, v in params.items() if k in ("key", "note_id")}
        assert answer.status_code == 200, answer.text
        return "listed" if value in listed(answer.json()) else "absent"
    return "served"


def send(world: World, route: RouteInfo, row: Row, role: Role | None,
         params: dict[str, str]) -> Response:
    method = sorted(route.methods)[0]
    path = route.path.format(**{**SAMPLE, **params}) + row.query
    headers = bearer(world.tokens[role]) if role else {}
    if isinstance(row.body, bytes):
        return world.client.request(method, path, content=row.body, headers=headers)
    return world.client.request(method, path, json=row.body or {}, headers=headers)


@pytest.mark.parametrize("route", api_routes(), ids=route_key)
def test_route_answers_each_role_and_side_by_the_table(world: World, route: RouteInfo) -> None:
    assert route_key(route) in TABLE, f"{route_key(route)}: add its ownership row to TABLE"
    row = TABLE[route_key(route)]
    (permission,) = declared_permissions(route)
    wrong = []
    for role in Role:
        for side, params in world.sides(row.rule, role).items():
            want = expected(row, role, side, role in PERMISSIONS[permission])
            got = observed(send(world, route, row, role, params), row, params)
            if got != want:
                wrong.append((role.value, side, params, want, got))
    assert not wrong
    assert send(world, route, row, None, world.sides(row.rule, Role.TRADER)["own"]
                ).status_code == 401


def test_table_has_no_stale_rows() -> None:
    assert set(TABLE) == {route_key(r) for r in api_routes()}


def test_evidence_of_another_task_is_hidden_even_through_ones_own_task(world: World) -> None:
    (own_task, _own_file), (_other_task, other_file) = (
        (side["key"], side["evidence_id"]) for side in world.objects["evidence"])
    for role in (Role.OFFICER, Role.SUPERVISOR, Role.AUDITOR):
        answer = world.client.get(f"/api/v1/controls/tasks/{own_task}/evidence/{other_file}",
                                  headers=bearer(world.tokens[role]))
        assert answer.status_code == 404, (role, answer.text)


@pytest.mark.parametrize(("path", "rule", "role"), [
    ("/console/declarations/{key}", "decl", Role.TRADER),
    ("/console/tasks/{key}", "task", Role.OFFICER),
])
def test_console_pages_hide_anothers_object_too(world: World, path: str, rule: str,
                                                role: Role) -> None:
    own, other = world.objects[rule]
    cookie = {"Cookie": f"cw_token={world.tokens[role]}"}
    assert world.client.get(path.format(**own), headers=cookie).status_code == 200
    assert world.client.get(path.format(**other), headers=cookie).status_code == 404


@pytest.mark.parametrize("role", [Role.AGENCY_OFFICER, Role.AGENCY_SUPERVISOR])
def test_an_agency_user_lists_its_own_agencys_tasks_and_no_customs_reasons(
        world: World, role: Role) -> None:
    shown = world.client.get("/api/v1/agency-tasks", headers=bearer(world.tokens[role])).json()
    assert shown and {t["agency"] for t in shown} == {"PH"}
    for task in shown:
        assert {i["commodity_code"] for i in task["items"]} == {"080510"}   # not the beef
        assert not {"channel", "reasons", "hits", "risk"} & set(task)
