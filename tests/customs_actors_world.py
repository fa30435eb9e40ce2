"""The world of the "traders never learn who controls their goods" table (issue 14 item 4,
issue 17 R4): named customs persons work a trader's filings, written as data.

`CASES` is the table: one filing per row (its format, who else is named on it) and the steps
customs take on it, in order. Every step is done through the API by a person whose user name
and user id appear nowhere else, with typed notes, reasons and approvals naming all of them,
so that finding either in a trader's answer means a leak. The trader has a webhook from the
start; its deliveries are captured (`World.deliveries`), as are the answers to the trader's
own requests in the filing's format (`World.answers`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from clearway.context import Context
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.model import Declaration
from clearway.notifications import webhooks
from clearway.notifications.dispatcher import deliver_once
from clearway.storage.orm import UserRow
from controls_world import OFFICE, QUAL
from helpers import TRADER, import_doc, make_token

# Customs persons, with names and ids nothing else in the world contains.
PERSONS = {"officer": ("ofc-kestrel", 86420011), "supervisor": ("sup-osprey", 86420012),
           "approver": ("sup-harrier", 86420013)}
ADMINISTRATION = f"customs:RS:{OFFICE}"
PARTY = "RS101456782"  # another company named on some filings: reads them, lodges none
HOOK = "https://hooks.trader.example/clearway"
DMS = "urn:wco:datamodel:WCO:DEC-DMS:2"
MD = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
MEDIA = {"json": "application/json", "xml": "application/xml", "edifact": "application/edifact"}


def said(what: str) -> str:
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


def json_filing(lrn: str, **parties: Any) -> bytes:
    return json.dumps(import_doc(lrn=lrn, offices={"lodgement": OFFICE}, **parties)).encode()


def edifact_filing(lrn: str) -> bytes:
    doc = Declaration.model_validate(import_doc(lrn=lrn, offices={"lodgement": OFFICE}))
    return write_cusdec(doc, sender=TRADER, recipient="RSCUSTOMS", reference=lrn[-6:],
                        prepared_at=datetime(2026, 11, 20, 9, 0)).encode()


FILINGS: dict[str, Callable[[str], bytes]] = {
    "json": json_filing, "xml": xml_filing, "edifact": edifact_filing,
    "json-party": lambda lrn: json_filing(lrn, importer={"id": PARTY}),
}


@dataclass(frozen=True)
class Case:
    filing: str              # a key of FILINGS; its media type is that of the format
    steps: tuple[str, ...]   # keys of STEPS, done in this order


# The table: each row a filing that named customs persons work, step by step.
CASES: dict[str, Case] = {
    "json-task": Case("json", ("start-task", "evidence", "result-release")),
    "edi-action": Case("edifact", ("start-control", "release-with-reason")),
    "xml-waiver": Case("xml", ("start-task", "waiver")),
    "edi-invalid": Case("edifact", ("invalidate",)),
    "json-channel": Case("json", ("channel-change",)),
    "xml-detain": Case("xml", ("start-task", "result-detain", "seize")),
    "edi-detain": Case("edifact", ("start-task", "result-detain", "release-detained")),
    "party-task": Case("json-party", ("start-task", "result-release")),
}


@dataclass
class World:
    client: TestClient
    ctx: Context
    tokens: dict[str, str]
    mrns: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)  # the trader's own requests
    deliveries: list[bytes] = field(default_factory=list)  # webhook bodies as POSTed

    def get(self, who: str, path: str, **headers: str) -> Response:
        answer = self.client.get(path, headers={**bearer(self.tokens[who]), **headers})
        assert answer.status_code < 500, (path, answer.text)
        return answer

    def post(self, who: str, path: str, **kwargs: Any) -> Response:
        return self.client.post(path, headers={**bearer(self.tokens[who]),
                                               **kwargs.pop("headers", {})}, **kwargs)


def ok(answer: Response, *codes: int) -> None:
    assert answer.status_code in codes, answer.text


def _task(w: World, case: str, step: str) -> None:
    task = f"/api/v1/controls/tasks/{w.tasks[case]}"
    if step == "start-task":
        ok(w.post("officer", f"{task}/start"), 200)
    elif step == "evidence":
        ok(w.post("officer", f"{task}/evidence", content=b"scan"), 201)
    else:
        action = step.removeprefix("result-")
        ok(w.post("officer", f"{task}/result", json={
            "outcome": "irregular", "action": action, "irregularities": ["undervaluation"],
            "revenue": "120.00", "notes": said("weighed")}), 200)


def _action(w: World, case: str, step: str) -> None:
    actions = f"/api/v1/declarations/{w.mrns[case]}/actions"
    body: dict[str, Any] = {"reason": said(step)}
    name = {"start-control": "start-control", "release-with-reason": "release",
            "invalidate": "invalidate", "seize": "seize",
            "release-detained": "release"}[step]
    if step == "start-control":
        body = {}
    elif step == "release-with-reason":
        body["outcome"] = "regular"
    ok(w.post("officer", f"{actions}/{name}", json=body), 200)


def _four_eyes(w: World, case: str, step: str) -> None:
    ask = ({"kind": "waiver"} if step == "waiver"
           else {"kind": "channel_change", "to_channel": "green"})
    asked = w.post("supervisor", f"/api/v1/declarations/{w.mrns[case]}/overrides",
                   json={**ask, "reason": said("asked")})
    ok(asked, 201)
    ok(w.post("approver", f"/api/v1/overrides/{asked.json()['id']}/approve",
              json={"note": said("agreed")}), 200)


STEPS: dict[str, Callable[[World, str, str], None]] = {
    "start-task": _task, "evidence": _task, "result-release": _task, "result-detain": _task,
    "start-control": _action, "release-with-reason": _action, "invalidate": _action,
    "seize": _action, "release-detained": _action, "waiver": _four_eyes,
    "channel-change": _four_eyes,
}


def _people(ctx: Context) -> dict[str, str]:
    tokens = {"trader": make_token(ctx, "never-trader", "trader", TRADER),
              "party": make_token(ctx, "never-party", "trader", PARTY)}
    for key, (name, user_id) in PERSONS.items():
        role = "officer" if key == "officer" else "supervisor"
        tokens[key] = make_token(ctx, name, role)
        with ctx.uow() as uow:  # a distinctive id, so that finding it in a text means a leak
            uow.session.execute(update(UserRow).where(UserRow.name == name)
                                .values(id=user_id))
            uow.commit()
    with ctx.uow() as uow:  # set before any filing: every notification is pushed too
        webhooks.set_webhook(uow.session, TRADER, HOOK, "s" * 24, ctx.clock.now())
        uow.commit()
    return tokens


def _on_duty(w: World) -> None:
    officer_id = PERSONS["officer"][1]
    ok(w.post("supervisor", "/api/v1/training/courses", json={
        "code": "VAL-1", "title": "Valuation", "qualification": QUAL}), 200)
    ok(w.post("supervisor", "/api/v1/training/records", json={
        "officer_id": officer_id, "course_code": "VAL-1", "completed_on": "2026-01-05"}), 201)
    now = w.ctx.clock.now()
    ok(w.post("supervisor", "/api/v1/controls/roster", json={
        "officer_id": officer_id, "office": OFFICE,
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=7)).isoformat()}), 201)


def _lodge(w: World, cases: dict[str, Case]) -> None:
    for n, (case, row) in enumerate(cases.items(), start=1):
        fmt = row.filing.removesuffix("-party")
        answer = w.post("trader", "/api/v1/declarations", content=FILINGS[row.filing](
            f"NEVER-{n:02d}"), headers={"Content-Type": MEDIA[fmt], "Accept": MEDIA[fmt]})
        ok(answer, 201)
        w.answers[f"lodge {case}"] = answer.text
        w.mrns[case] = w.get("trader", f"/api/v1/declarations?lrn=NEVER-{n:02d}"
                              ).json()["items"][0]["mrn"]
    tasks = {t["declaration"]: t["id"] for t in w.get("officer", "/api/v1/controls/tasks")
             .json()}
    assert set(tasks) == set(w.mrns.values()), tasks
    w.tasks = {case: tasks[mrn] for case, mrn in w.mrns.items()}


def _trader_tries(w: World, cases: dict[str, Case]) -> None:
    """The trader's own requests after customs acted, answered in the filing's format."""
    for case, row in cases.items():
        fmt = MEDIA[row.filing.removesuffix("-party")]
        key = f"/api/v1/declarations/{w.mrns[case]}"
        w.answers[f"cancel {case}"] = w.post("trader", f"{key}/cancel",
                                             json={"reason": "no longer needed"}).text
        w.answers[f"amend {case}"] = w.client.put(key, content=FILINGS[row.filing](
            f"AMEND-{case}"), headers={**bearer(w.tokens["trader"]), "Content-Type": fmt,
                                       "Accept": fmt}).text


def _deliver(w: World) -> None:
    def capture(url: str, body: bytes, headers: dict[str, str]) -> int:
        assert url == HOOK and headers["X-Clearway-Signature"].startswith("sha256=")
        w.deliveries.append(body)
        return 204

    while deliver_once(w.ctx, capture).delivered:
        pass


def build(client: TestClient, ctx: Context, cases: dict[str, Case] = CASES) -> World:
    """The world on `ctx`, whose risk rules send every import red (`controls_world.force`)."""
    w = World(client, ctx, _people(ctx))
    _on_duty(w)
    _lodge(w, cases)
    for case, row in cases.items():
        for step in row.steps:
            STEPS[step](w, case, step)
    _trader_tries(w, cases)
    _deliver(w)
    return w
