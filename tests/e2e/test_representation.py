"""Nobody can claim to be your representative: lodging for another declarant needs an
authorisation registered in the reference list `representations`, checked before anything
else, so that an unauthorised filing neither blocks the declarant's LRN nor tells its
sender anything about the declarant's filings. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from helpers import TRADER, import_doc, make_token

A = TRADER
AGENT = "RS104012345"    # registered: direct, every type, for A (and indirect IM|EX for P)
P = "RS101456782"
LAPSED = "RS105234566"   # its authorisation for RS103890124 ended 2023-12-31
CLAIMANT = "RS107678908"  # registered for nobody


@dataclass
class Api:
    client: TestClient
    tokens: dict[str, str]

    def lodge(self, who: str, doc: dict[str, Any]) -> Response:
        return self.client.post("/api/v1/declarations", content=json.dumps(doc), headers={
            "Authorization": f"Bearer {self.tokens[who]}", "Content-Type": "application/json"})

    def sees(self, who: str, mrn: str) -> bool:
        return self.client.get(f"/api/v1/declarations/{mrn}", headers={
            "Authorization": f"Bearer {self.tokens[who]}"}).status_code == 200


@pytest.fixture
def api(ctx: Context) -> Iterator[Api]:
    prepare(ctx)
    ctx.settings.auto_release = False
    tokens = {t: make_token(ctx, f"r-{t}", "trader", t) for t in (A, AGENT, LAPSED, CLAIMANT)}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield Api(client, tokens)


def claimed(lrn: str, declarant: str, agent: str, **changes: Any) -> dict[str, Any]:
    return import_doc(**{"lrn": lrn, "declarant": {"id": declarant},
                         "importer": {"id": declarant}, "representative": {"id": agent},
                         **changes})


@pytest.mark.parametrize(("agent", "declarant", "changes", "code"), [
    (CLAIMANT, A, {}, "CW-NOT-REPRESENTATIVE"),                      # registered for nobody
    (LAPSED, "RS103890124", {}, "CW-NOT-REPRESENTATIVE"),            # lapsed on 2023-12-31
    (AGENT, P, {"declaration_type": "CO"}, "CW-NOT-REPRESENTATIVE"),  # out of its scope
    (AGENT, P, {"representative_status": "2"}, "CW-NOT-REPRESENTATIVE"),  # indirect only
    (AGENT, A, {"representative": None}, "CW-NOT-DECLARANT"),        # not even named
    (AGENT, P, {"representative_status": "1"}, "CW-NOT-REPRESENTATIVE"),  # "the declarant"
    (AGENT, P, {"representative_status": "9"}, "CW-NOT-REPRESENTATIVE"),  # no such status
    (AGENT, P, {"representative_status": "03"}, "CW-NOT-REPRESENTATIVE"),  # exactly "3"
    (AGENT, P, {"representative_status": " 3"}, "CW-NOT-REPRESENTATIVE"),
    (AGENT, P, {"representative_status": ""}, "CW-NOT-REPRESENTATIVE"),
    (AGENT, A, {"representative_status": "3"}, "CW-NOT-REPRESENTATIVE"),  # direct only
    (AGENT, A, {"representative_status": "02"}, "CW-NOT-REPRESENTATIVE"),
    (AGENT, P, {"representative_status": "3"}, None),               # indirect, in scope
    (AGENT, P, {}, None),                                     # not stated: its kind applies
    (AGENT, A, {"representative_status": "2"}, None),               # direct, every type
])
def test_lodging_for_another_needs_a_registered_authorisation(
        api: Api, agent: str, declarant: str, changes: dict[str, Any],
        code: str | None) -> None:
    answer = api.lodge(agent, claimed("REP-1", declarant, agent, **changes))
    if code is not None:
        assert (answer.status_code, answer.json()["code"]) == (403, code), answer.text
        return
    assert answer.status_code == 201, answer.text
    assert answer.json()["declarant"]["id"] == declarant and api.sees(agent, answer.json()["mrn"])


def test_a_false_claim_blocks_no_lrn_and_reveals_none(api: Api) -> None:
    assert api.lodge(A, import_doc(lrn="A-USED")).status_code == 201
    answers = set()
    for lrn in ("A-USED", "A-FREE"):
        for bad in ({}, {"item_count": 9}):  # valid, and one that validation would refuse
            probe = api.lodge(CLAIMANT, claimed(lrn, A, CLAIMANT, **bad))
            answers.add((probe.status_code, probe.json()["code"], probe.json()["message"]))
    assert len(answers) == 1 and answers.pop()[:2] == (403, "CW-NOT-REPRESENTATIVE")
    assert api.lodge(A, import_doc(lrn="A-FREE")).status_code == 201  # still A's to use


@pytest.mark.parametrize(("status", "code"), [
    ("2", "CW-NOT-REPRESENTATIVE"), ("9", "CW-NOT-REPRESENTATIVE"), ("3", None)])
def test_an_amendment_states_the_registered_kind_too(api: Api, status: str,
                                                     code: str | None) -> None:
    lodged = api.lodge(AGENT, claimed("REP-2", P, AGENT, representative_status="3"))
    assert lodged.status_code == 201, lodged.text
    mrn = lodged.json()["mrn"]
    doc = claimed("REP-2", P, AGENT, representative_status=status, nature_of_transaction="12")
    answer = api.client.put(f"/api/v1/declarations/{mrn}", content=json.dumps(doc), headers={
        "Authorization": f"Bearer {api.tokens[AGENT]}", "Content-Type": "application/json"})
    if code is None:
        assert answer.status_code == 200 and answer.json()["version"] == 2, answer.text
    else:
        assert (answer.status_code, answer.json()["code"]) == (403, code), answer.text
