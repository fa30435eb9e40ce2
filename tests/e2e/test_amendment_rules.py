"""Amendments keep what identifies a declaration and never lower its selection.

In every format an amendment that changes the LRN, the declaration type or the declarant is
refused (409 CW-AMEND-IMMUTABLE) and changes nothing; every accepted amendment gets a new
risk decision in its transaction: a higher channel raises the selection and opens a control
task, a lower one is recorded but the channel stays. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.controls import repository as controls_repo
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.model import Declaration
from clearway.risk import repository as risk_repo
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import DeclarationRow
from controls_world import OFFICE, force
from helpers import TRADER, import_doc, make_token

OTHER = "RS101456782"


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, str]]:
    prepare(ctx)
    force(ctx, Channel.GREEN, qual=None)  # no random selection, no automatic release
    token = make_token(ctx, "amender", "trader", TRADER)
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, token


def doc(**changes: Any) -> dict[str, Any]:
    return import_doc(**{"offices": {"lodgement": OFFICE}, **changes})


def lodge(client: TestClient, token: str) -> dict[str, Any]:
    answer = client.post("/api/v1/declarations", json=doc(),
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def put(client: TestClient, token: str, mrn: str, body: dict[str, Any]) -> Response:
    return client.put(f"/api/v1/declarations/{mrn}", content=json.dumps(body), headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})


def by_json(client: TestClient, token: str, mrn: str, body: dict[str, Any]) -> Response:
    return client.post("/api/v1/declarations", json={**body, "function_code": "13",
                                                     "amends_mrn": mrn},
                       headers={"Authorization": f"Bearer {token}"})


def by_edifact(client: TestClient, token: str, mrn: str, body: dict[str, Any]) -> Response:
    amendment = Declaration.model_validate({**body, "function_code": "13", "amends_mrn": mrn})
    text = write_cusdec(amendment, sender=TRADER, recipient="CLEARWAY", reference="7",
                        prepared_at=datetime(2026, 11, 20, tzinfo=UTC))
    return client.post("/api/v1/declarations", content=text, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/edifact"})


def by_dms(client: TestClient, token: str, mrn: str, body: dict[str, Any]) -> Response:
    """A DMS COR: only what changes, with the LRN it names and, for another type, its
    TypeCode (EXA); the same declaration type is left to be inferred (TypeCode COR)."""
    kind = "COR" if body["declaration_type"] == "IM" else f"{body['declaration_type']}A"
    text = (f'<Declaration xmlns="{DMS}"><FunctionCode>13</FunctionCode>'
            f"<FunctionalReferenceID>{body['lrn']}</FunctionalReferenceID>"
            f"<TypeCode>{kind}</TypeCode><ID>{mrn}</ID><Amendment><ChangeReasonCode>32"
            f"</ChangeReasonCode></Amendment><Declarant><ID>{body['declarant']['id']}</ID>"
            "</Declarant><GoodsShipment><TransactionNatureCode>12</TransactionNatureCode>"
            "</GoodsShipment></Declaration>")
    return client.post("/api/v1/declarations", content=text, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/xml"})


DMS = "urn:wco:datamodel:WCO:DEC-DMS:2"
SENDERS: dict[str, Callable[[TestClient, str, str, dict[str, Any]], Response]] = {
    "PUT": put, "JSON amends_mrn": by_json, "EDIFACT replacement": by_edifact,
    "DMS COR": by_dms}
# Where each refused element is named: the canonical pointer, or the DMS message's path.
POINTERS = {"DE 2/5": ("/lrn", "FunctionalReferenceID"),
            "DE 1/1": ("/declaration_type", "TypeCode"),
            "DE 3/17-3/18": ("/declarant/id", "Declarant")}
EXPORT = {"declaration_type": "EX", "exporter": {"id": TRADER}, "importer": None,
          "destination_country": "DE"}
CHANGES = {
    "LRN": ({"lrn": "LRN-OTHER"}, {"DE 2/5"}),
    "declaration type": (EXPORT, {"DE 1/1"}),
    "declarant": ({"declarant": {"id": OTHER}}, {"DE 3/17-3/18"}),
    "LRN and type": ({"lrn": "LRN-OTHER", **EXPORT}, {"DE 2/5", "DE 1/1"}),
}


# A DMS COR's FunctionalReferenceID is the amendment's own reference, not the LRN (CDS).
DMS_KEEPS_LRN = {"LRN": None, "LRN and type": {"DE 1/1"}}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("sender", SENDERS)
def test_identity_never_changes(api: tuple[TestClient, str], sender: str, change: str) -> None:
    client, token = api
    lodged = lodge(client, token)
    body, elements = CHANGES[change]
    if sender == "DMS COR" and change in DMS_KEEPS_LRN:
        found = DMS_KEEPS_LRN[change]
        if found is None:
            answer = SENDERS[sender](client, token, lodged["mrn"], doc(**body))
            assert answer.status_code == 200, answer.text
            assert (answer.json()["lrn"], answer.json()["version"]) == ("LRN-0001", 2)
            return
        elements = found
    answer = SENDERS[sender](client, token, lodged["mrn"], doc(**body))
    assert (answer.status_code, answer.json()["code"]) == (409, "CW-AMEND-IMMUTABLE"), \
        answer.text
    assert {e["element"] for e in answer.json()["errors"]} == elements
    for error in answer.json()["errors"]:  # named in the sender's own format
        canonical, xml = POINTERS[error["element"]]
        expected = {"DMS COR": xml, "EDIFACT replacement": "segment "}.get(sender, canonical)
        assert expected in error["pointer"], error
    now = client.get(f"/api/v1/declarations/{lodged['mrn']}",
                     headers={"Authorization": f"Bearer {token}"}).json()
    assert (now["version"], now["lrn"], now["declaration_type"]) == (1, "LRN-0001", "IM")
    fresh = client.post("/api/v1/declarations", json=doc(lrn="LRN-OTHER"),
                        headers={"Authorization": f"Bearer {token}"})
    assert fresh.status_code == 201, fresh.text  # the refused LRN was never reserved


@pytest.mark.parametrize("sender", SENDERS)
def test_an_amendment_restating_the_identity_is_served(api: tuple[TestClient, str],
                                                      sender: str) -> None:
    client, token = api
    lodged = lodge(client, token)
    answer = SENDERS[sender](client, token, lodged["mrn"], doc(nature_of_transaction="12"))
    assert answer.status_code == 200, answer.text
    assert (answer.json()["version"], answer.json()["lrn"]) == (2, "LRN-0001")


def selection(ctx: Context, mrn: str) -> tuple[str, dict[str, Any], list[str]]:
    with ctx.uow(read_only=True) as uow:
        row_id = uow.session.execute(
            select(DeclarationRow.id).where(DeclarationRow.mrn == mrn)).scalar_one()
        decision = risk_repo.get_decision(uow.session, row_id)
        assert decision is not None
        tasks = [t.channel for t in controls_repo.open_tasks_of(uow.session, row_id)]
        return decision.channel, dict(decision.decision), tasks


@pytest.mark.parametrize(("first", "then", "channel", "tasks", "kept"), [
    (Channel.GREEN, Channel.RED, "red", ["red"], False),        # raised: a task is opened
    (Channel.YELLOW, Channel.RED, "red", ["red"], False),      # the weaker task superseded
    (Channel.RED, Channel.GREEN, "red", ["red"], True),        # never lowered by amendment
    (Channel.YELLOW, Channel.YELLOW, "yellow", ["yellow"], True),
])
def test_every_amendment_is_decided_again_and_never_lowered(
        api: tuple[TestClient, str], ctx: Context, first: Channel, then: Channel,
        channel: str, tasks: list[str], kept: bool) -> None:
    client, token = api
    force(ctx, first, qual=None)
    mrn = lodge(client, token)["mrn"]
    force(ctx, then, qual=None)
    answer = put(client, token, mrn, doc(nature_of_transaction="12"))
    assert answer.status_code == 200, answer.text
    now, decision, open_tasks = selection(ctx, mrn)
    assert (now, open_tasks) == (channel, tasks)
    assert decision["amendment"] == {"version": 2, "engine_channel": str(then),
                                     "previous_channel": str(first), "kept": kept}
    events = client.get(f"/api/v1/declarations/{mrn}/events",
                        headers={"Authorization": f"Bearer {token}"}).json()
    changed = [e for e in events if e["kind"] == "channel_changed"]
    assert len(changed) == (0 if kept else 1)
