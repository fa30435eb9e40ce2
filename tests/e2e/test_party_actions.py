"""Reading is not acting: every party role x every trader action, over HTTP.

Trader A lodges a declaration naming trader P in one party role (or A's registered
representative lodges it for A). P may read it, but each trader action on it (cancel over the
API, a JSON, DMS XML or EDIFACT cancellation request, an amendment by PUT, by `amends_mrn` in
JSON, DMS XML or EDIFACT) answers 403 CW-PARTY-READ-ONLY and changes nothing; a trader not
named on it gets 404; the declarant and its authorised representative are served. Goods wait
after their decision (CLEARWAY_AUTO_RELEASE=false, no random selection) so each declaration
is still cancellable and amendable."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from clearway.app import create_app
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.model import CancellationRequest, Declaration
from clearway.risk.engine.decision import Channel
from controls_world import OFFICE, force, module_context
from helpers import OTHER_TRADER, TRADER, import_doc, make_token

A = TRADER               # the declarant
AGENT = "RS104012345"    # A's registered direct representative (refdata representations.csv)
P = "RS101456782"        # the party under test
STRANGER = OTHER_TRADER  # named nowhere
DEC = "urn:wco:datamodel:WCO:DEC-DMS:2"
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def ens(lrn: str, **parties: Any) -> dict[str, Any]:
    named = {"name": "Harbour Traders", "address": {"city": "Port", "country": "CN"}}
    return {"declaration_type": "ENS", "lrn": lrn, "declarant": {"id": A}, "carrier": named,
            "consignor": named, "consignee": named, "offices": {"first_entry": OFFICE},
            "transport_mode": "1", "conveyance_reference": "V123E",
            "place_of_loading": "CNSHA", "place_of_unloading": "GRPIR",
            "items": [{"sequence": 1, "description": "Electric shavers", "hs6": "851010",
                       "gross_mass": "100", "packages": [{"kind": "CT", "count": 5}]}],
            **parties}


def imp(lrn: str, **parties: Any) -> dict[str, Any]:
    return import_doc(lrn=lrn, offices={"lodgement": OFFICE}, **parties)


def with_item_party(lrn: str, role: str) -> dict[str, Any]:
    doc = imp(lrn)
    doc["items"][0][role] = {"id": P}
    return doc


# Every role a trader can be named in (access.py: all of them may read, none may act).
ROLES: dict[str, Callable[[str], dict[str, Any]]] = {
    "representative named, not lodging": lambda lrn: imp(lrn, representative={"id": P}),
    "importer": lambda lrn: imp(lrn, importer={"id": P}),
    "exporter": lambda lrn: imp(lrn, exporter={"id": P}),
    "consignor": lambda lrn: imp(lrn, consignor={"id": P}),
    "consignee": lambda lrn: imp(lrn, consignee={"id": P}),
    "seller": lambda lrn: imp(lrn, seller={"id": P}),
    "buyer": lambda lrn: imp(lrn, buyer={"id": P}),
    "item exporter": lambda lrn: with_item_party(lrn, "exporter"),
    "item consignee": lambda lrn: with_item_party(lrn, "consignee"),
    "ENS carrier": lambda lrn: ens(lrn, carrier={"id": P}),
    "ENS consignee": lambda lrn: ens(lrn, consignee={"id": P}),
    "ENS consignor": lambda lrn: ens(lrn, consignor={"id": P}),
    "ENS notify party": lambda lrn: ens(lrn, notify_party={"id": P}),
    "ENS representative named": lambda lrn: ens(lrn, representative={"id": P}),
}


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str]
    lrns: Iterator[int]

    def send(self, who: str, method: str, path: str, body: str | bytes, media: str) -> Response:
        return self.client.request(method, path, content=body, headers={
            "Authorization": f"Bearer {self.tokens[who]}", "Content-Type": media})

    def lodge(self, doc: dict[str, Any], who: str = A) -> dict[str, Any]:
        answer = self.send(who, "POST", "/api/v1/declarations", json.dumps(doc),
                           "application/json")
        assert answer.status_code == 201, answer.text
        assert answer.json()["status"] == "risk_assessed", answer.json()
        return dict(answer.json())

    def read(self, who: str, mrn: str) -> Response:
        return self.client.get(f"/api/v1/declarations/{mrn}",
                               headers={"Authorization": f"Bearer {self.tokens[who]}"})


def amended(lodged: dict[str, Any]) -> dict[str, Any]:
    """The import as lodged with a harmless change (an ENS is sent an import: the access
    check comes before anything about the document)."""
    return {**imp(lodged["lrn"]), "nature_of_transaction": "12"}


def cancel_api(w: World, who: str, lodged: dict[str, Any]) -> Response:
    return w.send(who, "POST", f"/api/v1/declarations/{lodged['mrn']}/cancel",
                  json.dumps({"reason": "ordered twice"}), "application/json")


def cancel_json(w: World, who: str, lodged: dict[str, Any]) -> Response:
    body = {"declaration_type": "INV", "lrn": f"INV-{next(w.lrns)}", "mrn": lodged["mrn"],
            "declarant": {"id": who}, "reason": "ordered twice"}
    return w.send(who, "POST", "/api/v1/declarations", json.dumps(body), "application/json")


def cancel_xml(w: World, who: str, lodged: dict[str, Any]) -> Response:
    body = (f'<Declaration xmlns="{DEC}"><FunctionCode>13</FunctionCode>'
            f"<FunctionalReferenceID>INV-{next(w.lrns)}</FunctionalReferenceID>"
            f"<TypeCode>INV</TypeCode><ID>{lodged['mrn']}</ID><Amendment><ChangeReasonCode>1"
            f"</ChangeReasonCode></Amendment><Submitter><ID>{who}</ID></Submitter>"
            "</Declaration>")
    return w.send(who, "POST", "/api/v1/declarations", body, "application/xml")


def cancel_edifact(w: World, who: str, lodged: dict[str, Any]) -> Response:
    request = CancellationRequest(lrn=f"INV-{next(w.lrns)}", mrn=lodged["mrn"],
                                  declarant={"id": who}, reason="ordered twice")
    body = write_cusdec(request, sender=who, recipient="CLEARWAY", reference="1",
                        prepared_at=NOW)
    return w.send(who, "POST", "/api/v1/declarations", body, "application/edifact")


def amend_put(w: World, who: str, lodged: dict[str, Any]) -> Response:
    return w.send(who, "PUT", f"/api/v1/declarations/{lodged['mrn']}",
                  json.dumps(amended(lodged)), "application/json")


def amend_json(w: World, who: str, lodged: dict[str, Any]) -> Response:
    body = {**amended(lodged), "function_code": "13", "amends_mrn": lodged["mrn"]}
    return w.send(who, "POST", "/api/v1/declarations", json.dumps(body), "application/json")


def amend_edifact(w: World, who: str, lodged: dict[str, Any]) -> Response:
    doc = Declaration.model_validate({**amended(lodged), "function_code": "13",
                                      "amends_mrn": lodged["mrn"]})
    body = write_cusdec(doc, sender=who, recipient="CLEARWAY", reference="1", prepared_at=NOW)
    return w.send(who, "POST", "/api/v1/declarations", body, "application/edifact")


def amend_xml(w: World, who: str, lodged: dict[str, Any]) -> Response:
    body = (f'<Declaration xmlns="{DEC}"><FunctionCode>13</FunctionCode>'
            f"<FunctionalReferenceID>{lodged['lrn']}</FunctionalReferenceID>"
            f"<TypeCode>COR</TypeCode><ID>{lodged['mrn']}</ID><Amendment><ChangeReasonCode>"
            f"32</ChangeReasonCode></Amendment><Declarant><ID>{A}</ID></Declarant>"
            "</Declaration>")
    return w.send(who, "POST", "/api/v1/declarations", body, "application/xml")


def amend_xml_submitter(w: World, who: str, lodged: dict[str, Any]) -> Response:
    """A delta amendment that names only who sends it (a representative's usual form)."""
    body = (f'<Declaration xmlns="{DEC}"><FunctionCode>13</FunctionCode>'
            f"<FunctionalReferenceID>{lodged['lrn']}</FunctionalReferenceID>"
            f"<TypeCode>COR</TypeCode><ID>{lodged['mrn']}</ID><Amendment><ChangeReasonCode>"
            f"32</ChangeReasonCode></Amendment><Submitter><ID>{who}</ID></Submitter>"
            "<GoodsShipment><TransactionNatureCode>12</TransactionNatureCode></GoodsShipment>"
            "</Declaration>")
    return w.send(who, "POST", "/api/v1/declarations", body, "application/xml")


# Every trader action on a lodged declaration, and what it leaves when it is allowed.
ACTIONS: dict[str, tuple[Callable[[World, str, dict[str, Any]], Response], str]] = {
    "cancel over the API": (cancel_api, "cancelled"),
    "JSON cancellation request": (cancel_json, "cancelled"),
    "DMS XML cancellation request": (cancel_xml, "cancelled"),
    "EDIFACT cancellation request": (cancel_edifact, "cancelled"),
    "amendment by PUT": (amend_put, "version 2"),
    "JSON amendment (amends_mrn)": (amend_json, "version 2"),
    "DMS XML amendment (COR)": (amend_xml, "version 2"),
    "DMS XML amendment naming only its Submitter": (amend_xml_submitter, "version 2"),
    "EDIFACT amendment (replacement)": (amend_edifact, "version 2"),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    ctx = module_context(tmp_path_factory.mktemp("party-actions"), sqlite_template,
                         auto_release=False)
    force(ctx, Channel.GREEN, qual=None)  # green, no random selection, no release
    tokens = {t: make_token(ctx, f"pa-{t}", "trader", t) for t in (A, AGENT, P, STRANGER)}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield World(client, tokens, count(1))
    ctx.engine.dispose()


def state(w: World, mrn: str) -> tuple[str, int]:
    body = w.read(A, mrn).json()
    return body["status"], body["version"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_a_party_may_read_but_not_act(world: World, role: str, action: str) -> None:
    lodged = world.lodge(ROLES[role](f"PA-{next(world.lrns)}"))
    assert world.read(P, lodged["mrn"]).status_code == 200
    answer = ACTIONS[action][0](world, P, lodged)
    assert (answer.status_code, answer.json()["code"]) == (403, "CW-PARTY-READ-ONLY"), \
        answer.text
    assert state(world, lodged["mrn"]) == ("risk_assessed", 1)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_trader_named_nowhere_finds_nothing(world: World, action: str) -> None:
    lodged = world.lodge(imp(f"PA-{next(world.lrns)}"))
    answer = ACTIONS[action][0](world, STRANGER, lodged)
    assert answer.status_code == 404, answer.text
    assert answer.json()["code"] in ("CW-NOT-FOUND", "CW-AMEND-NOT-FOUND")
    assert state(world, lodged["mrn"]) == ("risk_assessed", 1)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", [A, AGENT], ids=["declarant", "its representative"])
def test_the_declarant_and_its_representative_act(world: World, action: str,
                                                  who: str) -> None:
    doc = imp(f"PA-{next(world.lrns)}")
    if who == AGENT:
        doc["representative"], doc["representative_status"] = {"id": AGENT}, "2"
    lodged = world.lodge(doc, who)
    answer = ACTIONS[action][0](world, who, lodged)
    assert answer.status_code == 200, answer.text
    status, version = state(world, lodged["mrn"])
    assert (status if ACTIONS[action][1] == "cancelled" else f"version {version}") == \
        ACTIONS[action][1]


def test_a_representative_that_did_not_lodge_may_not_act(world: World) -> None:
    """A's own filing naming its registered agent: the agent reads it, but acts only on
    filings it lodged itself (A answers for this one)."""
    lodged = world.lodge(imp(f"PA-{next(world.lrns)}", representative={"id": AGENT}))
    answer = cancel_api(world, AGENT, lodged)
    assert (answer.status_code, answer.json()["code"]) == (403, "CW-PARTY-READ-ONLY")


def test_a_party_sees_the_filer_as_a_company_never_its_staff(world: World) -> None:
    """Another company named on the filing reads who lodged it as the filer's trader id;
    the filer itself still sees its own user."""
    lodged = world.lodge(imp(f"PA-{next(world.lrns)}", importer={"id": P}))
    actors = {who: {e["actor"] for e in world.client.get(
        f"/api/v1/declarations/{lodged['mrn']}/events",
        headers={"Authorization": f"Bearer {world.tokens[who]}"}).json()
        if e["actor"].startswith("trader:")} for who in (A, P)}
    assert actors[P] == {f"trader:{A}"}
    assert actors[A] == {f"trader:pa-{A}"}
