"""A trader never learns which officer controls its goods (issue 14, item 4).

One world: a trader lodges five declarations (JSON, DEC-DMS XML and EDIFACT), all selected
red; an officer starts and ends controls (through the task, through the declaration's
actions, with typed notes and reasons naming themselves), invalidates one with a reason, and
two supervisors change a channel and waive a control by four eyes. Then the trader reads
everything it may: every GET route its role may call (walked from the route table, so a new
route is covered without a new line here), the console pages, and its notifications with
their DMS XML and CUSRES bodies. No answer may carry a customs person's user name or id
(searched in the raw text); customs appear as the administration and its office. Staff still
see the names."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from clearway.app import create_app
from clearway.context import Context
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.model import Declaration
from clearway.identity import PERMISSIONS, Role
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import UserRow
from controls_world import OFFICE, QUAL, force, module_context
from helpers import TRADER, all_routes, declared_permissions, import_doc, make_token

# Customs persons, with names and ids nothing else in the world contains.
PERSONS = {"officer": ("ofc-kestrel", 86420011), "supervisor": ("sup-osprey", 86420012),
           "approver": ("sup-harrier", 86420013)}
ADMINISTRATION = f"customs:RS:{OFFICE}"
DMS = "urn:wco:datamodel:WCO:DEC-DMS:2"
MD = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
# Sample values for path parameters that name no object of this world.
SAMPLE = {"list_name": "countries", "trader_id": TRADER, "rest": "nowhere",
          "path": "console.css"}


def _said(what: str) -> str:
    """Free text a person types, naming all of customs' persons by name and id."""
    return what + ": " + ", ".join(f"{n} (#{i})" for n, i in PERSONS.values())


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Cookie": f"cw_token={token}"}


def xml_filing(lrn: str) -> bytes:
    item = (
        "<GoodsShipment><GovernmentAgencyGoodsItem><SequenceNumeric>1</SequenceNumeric>"
        "<Commodity><Description>Shoes</Description><Classification><ID>64039900</ID>"
        "<IdentificationTypeCode>TSP</IdentificationTypeCode></Classification>"
        "<GoodsMeasure><GrossMassMeasure>12.5</GrossMassMeasure><NetNetWeightMeasure>10"
        "</NetNetWeightMeasure></GoodsMeasure><InvoiceLine><ItemChargeAmount "
        'currencyID="EUR">250.00</ItemChargeAmount></InvoiceLine></Commodity>'
        "<GovernmentProcedure><CurrentCode>40</CurrentCode><PreviousCode>00</PreviousCode>"
        "</GovernmentProcedure><Origin><CountryCode>CN</CountryCode><TypeCode>1</TypeCode>"
        f"</Origin></GovernmentAgencyGoodsItem><Importer><ID>{TRADER}</ID></Importer>"
        "</GoodsShipment>")
    return (f'<md:MetaData xmlns:md="{MD}"><md:WCODataModelVersionCode>3.6'
            f'</md:WCODataModelVersionCode><Declaration xmlns="{DMS}"><FunctionCode>9'
            f"</FunctionCode><FunctionalReferenceID>{lrn}</FunctionalReferenceID><TypeCode>IMA"
            '</TypeCode><InvoiceAmount currencyID="EUR">250.00</InvoiceAmount>'
            f"<GoodsItemQuantity>1</GoodsItemQuantity><DeclarationOfficeID>{OFFICE}"
            f"</DeclarationOfficeID>{item}<Declarant><ID>{TRADER}</ID></Declarant>"
            "</Declaration></md:MetaData>").encode()


def edifact_filing(lrn: str) -> bytes:
    doc = Declaration.model_validate(import_doc(lrn=lrn, offices={"lodgement": OFFICE}))
    return write_cusdec(doc, sender=TRADER, recipient="RSCUSTOMS", reference=lrn[-6:],
                        prepared_at=datetime(2026, 11, 20, 9, 0)).encode()


FILINGS = {
    "json-task": ("application/json",
                  lambda lrn: json.dumps(import_doc(lrn=lrn, offices={"lodgement": OFFICE}))),
    "edi-action": ("application/edifact", edifact_filing),
    "xml-waiver": ("application/xml", xml_filing),
    "edi-invalid": ("application/edifact", edifact_filing),
    "json-channel": ("application/json",
                     lambda lrn: json.dumps(import_doc(lrn=lrn, offices={"lodgement": OFFICE}))),
}


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str]
    mrns: dict[str, str]

    def get(self, who: str, path: str) -> str:
        answer = self.client.get(path, headers=bearer(self.tokens[who]))
        assert answer.status_code < 500, (path, answer.text)
        return answer.text


def _ok(answer: Response, *codes: int) -> None:
    assert answer.status_code in codes, answer.text


def _people(ctx: Context) -> dict[str, str]:
    tokens = {"trader": make_token(ctx, "never-trader", "trader", TRADER)}
    for key, (name, user_id) in PERSONS.items():
        role = "officer" if key == "officer" else "supervisor"
        tokens[key] = make_token(ctx, name, role)
        with ctx.uow() as uow:  # a distinctive id, so that finding it in a text means a leak
            uow.session.execute(update(UserRow).where(UserRow.name == name)
                                .values(id=user_id))
            uow.commit()
    return tokens


def _build(client: TestClient, ctx: Context) -> World:
    tokens = _people(ctx)
    sup, officer = bearer(tokens["supervisor"]), bearer(tokens["officer"])
    officer_id = PERSONS["officer"][1]
    _ok(client.post("/api/v1/training/courses", headers=sup, json={
        "code": "VAL-1", "title": "Valuation", "qualification": QUAL}), 200)
    _ok(client.post("/api/v1/training/records", headers=sup, json={
        "officer_id": officer_id, "course_code": "VAL-1", "completed_on": "2026-01-05"}), 201)
    now = ctx.clock.now()
    _ok(client.post("/api/v1/controls/roster", headers=sup, json={
        "officer_id": officer_id, "office": OFFICE,
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=7)).isoformat()}), 201)
    mrns = {}
    for n, (case, (media, make)) in enumerate(FILINGS.items(), start=1):
        lrn = f"NEVER-{n:02d}"
        body = make(lrn)
        answer = client.post("/api/v1/declarations", headers={
            **bearer(tokens["trader"]), "Content-Type": media},
            content=body if isinstance(body, bytes) else body.encode())
        _ok(answer, 201)
        mrns[case] = str(answer.json()["mrn"])
    tasks = {t["declaration"]: t["id"] for t in client.get(
        "/api/v1/controls/tasks", headers=officer).json()}
    assert set(tasks) == set(mrns.values()), tasks

    # The officer works a task: start, evidence, a result with notes naming everyone.
    task = f"/api/v1/controls/tasks/{tasks[mrns['json-task']]}"
    _ok(client.post(f"{task}/start", headers=officer), 200)
    _ok(client.post(f"{task}/evidence", headers=officer, content=b"scan"), 201)
    _ok(client.post(f"{task}/result", headers=officer, json={
        "outcome": "irregular", "action": "release", "irregularities": ["undervaluation"],
        "revenue": "120.00", "notes": _said("weighed")}), 200)
    # ... starts and ends a control through the declaration's actions, with a reason.
    actions = f"/api/v1/declarations/{mrns['edi-action']}/actions"
    _ok(client.post(f"{actions}/start-control", headers=officer, json={}), 200)
    _ok(client.post(f"{actions}/release", headers=officer, json={
        "outcome": "regular", "reason": _said("checked")}), 200)
    # ... invalidates one with a typed reason.
    _ok(client.post(f"/api/v1/declarations/{mrns['edi-invalid']}/actions/invalidate",
                    headers=officer, json={"reason": _said("duplicate")}), 200)
    # Two supervisors waive a started control and change a channel (four eyes).
    _ok(client.post(f"/api/v1/controls/tasks/{tasks[mrns['xml-waiver']]}/start",
                    headers=officer), 200)
    for case, ask in (("xml-waiver", {"kind": "waiver"}),
                      ("json-channel", {"kind": "channel_change", "to_channel": "green"})):
        asked = client.post(f"/api/v1/declarations/{mrns[case]}/overrides", headers=sup,
                            json={**ask, "reason": _said("asked")})
        _ok(asked, 201)
        _ok(client.post(f"/api/v1/overrides/{asked.json()['id']}/approve",
                        headers=bearer(tokens["approver"]), json={"note": _said("agreed")}),
            200)
    return World(client, tokens, mrns)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    ctx = module_context(tmp_path_factory.mktemp("never"), sqlite_template)
    force(ctx, Channel.RED)
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        yield _build(client, ctx)
    ctx.engine.dispose()


def trader_paths(world: World) -> list[str]:
    """Every GET route a trader's role may call, once per object of the world it names."""
    notes = world.client.get("/api/v1/notifications?include_acknowledged=true&limit=500",
                             headers=bearer(world.tokens["trader"])).json()["items"]
    values = {"key": list(world.mrns.values()), "note_id": [str(n["id"]) for n in notes]}
    paths = []
    for route in all_routes():
        if "GET" not in route.methods or route.path.endswith("/logout") or not all(
                Role.TRADER in PERMISSIONS[p] for p in declared_permissions(route)):
            continue
        names = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        template = re.sub(r"{(\w+):\w+}", r"{\1}", route.path)
        combos: list[dict[str, str]] = [{}]
        for name in names:
            combos = [{**c, name: v} for c in combos
                      for v in values.get(name, [SAMPLE.get(name, "1")])]
        paths += [template.format(**c) for c in combos]
    paths += [f"/api/v1/notifications/{n['id']}?raw=true" for n in notes]
    paths += ["/api/v1/notifications?include_acknowledged=true&limit=500",
              "/api/v1/declarations?limit=500"]
    return paths


def leaks(text: str) -> list[str]:
    found = [name for name, _ in PERSONS.values() if name.lower() in text.lower()]
    found += [str(i) for _, i in PERSONS.values() if str(i) in text]
    return found + [who for who in ("officer:", "supervisor:") if who in text]


def test_no_trader_readable_answer_names_a_customs_person(world: World) -> None:
    paths = trader_paths(world)
    assert any(p.startswith("/console/declarations/") for p in paths)
    assert any(p.endswith("?raw=true") for p in paths)
    leaked = {p: found for p in paths if (found := leaks(world.get("trader", p)))}
    assert not leaked


def test_notification_bodies_in_all_three_formats_are_clean(world: World) -> None:
    page = json.loads(world.get("trader", "/api/v1/notifications?include_acknowledged=true"
                                          "&limit=500"))
    formats = {n["format"] for n in page["items"] if n["body"]}
    assert formats == {"wco-xml", "edifact"}
    kinds = {n["kind"] for n in page["items"]}
    assert {"under_control", "released", "invalidated"} <= kinds
    assert not leaks(json.dumps(page))


def test_trader_sees_customs_as_the_administration_and_office(world: World) -> None:
    for mrn in world.mrns.values():
        events = json.loads(world.get("trader", f"/api/v1/declarations/{mrn}/events"))
        actors = {e["actor"] for e in events}
        assert actors <= {ADMINISTRATION, "trader:never-trader"}, actors
        assert ADMINISTRATION in actors
    page = world.get("trader", f"/console/declarations/{world.mrns['json-task']}")
    assert f"by {ADMINISTRATION}" in page and "revenue: 120.00" in page


@pytest.mark.parametrize("case", list(FILINGS))
def test_staff_still_see_the_persons(world: World, case: str) -> None:
    mrn = world.mrns[case]
    events = json.loads(world.get("supervisor", f"/api/v1/declarations/{mrn}/events"))
    actors = {e["actor"] for e in events}
    officer, supervisor = (f"officer:{PERSONS['officer'][0]}",
                           f"supervisor:{PERSONS['approver'][0]}")
    assert officer in actors or supervisor in actors, actors
    page = world.get("supervisor", f"/console/declarations/{mrn}")
    assert PERSONS["officer"][0] in page or PERSONS["approver"][0] in page
