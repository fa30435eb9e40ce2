"""The progress report over HTTP: a conference, this administration's report written by its
section owners, reviewed, approved by the head of administration (four eyes), frozen under a
SHA-256 recorded in the audit chain, submitted, exported, imported by the secretariat as
another administration's and read side by side; the PDF's text checked."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clock import FixedClock
from clearway.context import Context
from clearway.progress.model import content_hash
from clearway.storage.orm import AuditRow, UserRow
from helpers import make_token

BASE = "/api/v1/progress"
CONF = {"code": "SEE-2027", "name": "SEE customs conference 2027", "held_on": "2027-01-25",
        "administrations": ["RS", "MK", "AL"], "period_start": "2026-01-01"}
ROLES = {"sup1": "supervisor", "sup2": "supervisor", "analyst": "risk_analyst",
         "head": "head_of_administration", "head2": "head_of_administration",
         "sec": "secretariat", "officer": "officer"}
SECTIONS = ("risk", "ipr_dualuse", "assistance", "integrity", "training", "single_window",
            "border", "messaging")


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    prepare(ctx)
    tokens = {name: make_token(ctx, name, role) for name, role in ROLES.items()}
    headers = {k: {"Authorization": f"Bearer {t}"} for k, t in tokens.items()}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, headers


def _code(answer: Any) -> str | None:
    return answer.json().get("code") if answer.status_code >= 400 else None


def _write(client: TestClient, h: dict[str, str], report: int, section: str,
           complete: bool = True) -> Any:
    return client.put(f"{BASE}/reports/{report}/sections/{section}", headers=h,
                      json={"narrative": f"What we did on {section}.\n\nAnd what comes next.",
                            "complete": complete})


def _training(client: TestClient, h: dict[str, dict[str, str]], ctx: Context) -> None:
    """One course and one training in the period: the training section is in use."""
    sup = h["sup1"]
    assert client.post("/api/v1/training/courses", headers=sup, json={
        "code": "IPR-1", "title": "IPR", "qualification": "ipr"}).status_code == 200
    with ctx.uow(read_only=True) as uow:
        officer = uow.session.execute(select(UserRow.id).where(
            UserRow.name == "officer")).scalar_one()
    assert client.post("/api/v1/training/records", headers=sup, json={
        "officer_id": officer, "course_code": "IPR-1",
        "completed_on": "2026-03-02"}).status_code == 201


def _drafted(client: TestClient, h: dict[str, dict[str, str]]) -> int:
    assert client.post(f"{BASE}/conferences", headers=h["head"], json=CONF).status_code == 201
    assert _code(client.post(f"{BASE}/reports", headers=h["sup1"], json={
        "conference": "SEE-2027", "owners": {"risk": "officer"}})) == "CW-PROGRESS-OWNER"
    made = client.post(f"{BASE}/reports", headers=h["sup1"], json={
        "conference": "SEE-2027", "owners": {"risk": "analyst", "training": "head"}})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_workflow_four_eyes_freezing_and_the_region(api: Any, ctx: Context,
                                                    clock: FixedClock) -> None:
    client, h = api
    _training(client, h, ctx)
    report = _drafted(client, h)
    got = client.get(f"{BASE}/reports/{report}", headers=h["sup2"]).json()
    assert got["deadline"] == "2026-12-25" and got["status"] == "draft"
    assert got["due_reminder"] is None and got["upcoming_reminders"][0]["on"] == "2026-11-25"
    training = next(s for s in got["content"]["sections"] if s["key"] == "training")
    values = {i["key"]: i["value"] for i in training["indicators"]}
    assert training["in_use"] and values["trainings"] == 1 and values["courses"] == 1
    border = next(s for s in got["content"]["sections"] if s["key"] == "border")
    assert not border["in_use"] and border["indicators"] == []
    clock.advance(days=6)   # 26 November: the 30-day reminder has fallen
    (due,) = client.get(f"{BASE}/reminders", headers=h["head"]).json()
    assert due["reminder"] == "2026-11-25" and set(due["waiting_on"]) == {
        "analyst", "head", "sup1"}
    assert _code(_write(client, h["sup2"], report, "risk")) == "CW-PROGRESS-OWNER"
    assert _code(client.post(f"{BASE}/reports/{report}/review",
                             headers=h["sup2"])) == "CW-PROGRESS-INCOMPLETE"
    for section in SECTIONS:
        who = {"risk": "analyst", "training": "head"}.get(section, "sup1")
        assert _write(client, h[who], report, section).status_code == 200
    assert _code(client.post(f"{BASE}/reports/{report}/review",
                             headers=h["sup1"])) == "CW-PROGRESS-FOUR-EYES"
    assert client.post(f"{BASE}/reports/{report}/review", headers=h["sup2"]).status_code == 200
    assert _code(_write(client, h["sup1"], report, "risk")) == "CW-PROGRESS-STATE"
    assert _code(client.post(f"{BASE}/reports/{report}/approve",
                             headers=h["head"])) == "CW-PROGRESS-FOUR-EYES"
    approved = client.post(f"{BASE}/reports/{report}/approve", headers=h["head2"])
    assert approved.status_code == 200, approved.text
    digest = approved.json()["sha256"]
    assert digest == content_hash(approved.json()["content"])
    with ctx.uow(read_only=True) as uow:
        audited = uow.session.execute(select(AuditRow.detail).where(
            AuditRow.action == "progress.approved")).scalar_one()
    assert audited["sha256"] == digest
    assert _code(_write(client, h["sup1"], report, "border")) == "CW-PROGRESS-FROZEN"
    submitted = client.post(f"{BASE}/reports/{report}/submit", headers=h["head2"]).json()
    assert submitted["status"] == "submitted" and not submitted["late"]
    assert submitted["sha256"] == digest
    _region(client, h, report, digest)
    revised = client.post(f"{BASE}/reports/{report}/revise", headers=h["sup1"])
    assert revised.status_code == 201 and revised.json()["version"] == 2
    assert revised.json()["status"] == "draft"
    assert client.get(f"{BASE}/reports/{report}", headers=h["sup1"]).json()["sha256"] == digest


def _region(client: TestClient, h: dict[str, dict[str, str]], report: int, digest: str) -> None:
    exported = client.get(f"{BASE}/reports/{report}/export", headers=h["sup1"]).json()
    assert exported["sha256"] == digest
    theirs = json.loads(json.dumps(exported))
    theirs["content"]["administration"] = "MK"
    tampered = client.post(f"{BASE}/imports", headers=h["sec"], content=json.dumps(theirs))
    assert _code(tampered) == "CW-PROGRESS-HASH"
    broken = json.loads(json.dumps(theirs))
    del broken["content"]["sections"][0]["key"]   # hashes right, reads wrong
    broken["sha256"] = content_hash(broken["content"])
    assert _code(client.post(f"{BASE}/imports", headers=h["sec"],
                             content=json.dumps(broken))) == "CW-PROGRESS-IMPORT"
    theirs["sha256"] = content_hash(theirs["content"])
    imported = client.post(f"{BASE}/imports", headers=h["sec"], content=json.dumps(theirs))
    assert imported.status_code == 201, imported.text
    assert imported.json()["status"] == "imported"
    side = client.get(f"{BASE}/regional/SEE-2027", headers=h["sec"]).json()
    reports = {a["code"]: a["report"] for a in side["administrations"]}
    assert reports["AL"] is None and reports["RS"]["sha256"] == digest
    training = next(s for s in side["sections"] if s["key"] == "training")
    trainings = next(i for i in training["indicators"] if i["key"] == "trainings")
    assert trainings["values"] == {"RS": 1, "MK": 1}
    assert client.get(f"{BASE}/reports/{report}", headers=h["sec"]).status_code == 403


def test_pdf_and_html_documents(api: Any, ctx: Context) -> None:
    client, h = api
    _training(client, h, ctx)
    report = _drafted(client, h)
    assert _write(client, h["sup1"], report, "integrity").status_code == 200
    pdf = client.get(f"{BASE}/reports/{report}/document.pdf", headers=h["sup2"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for title in ("Risk analysis for safety and security", "Fight against customs-related",
                  "Training strategy and capacity building", "Electronic messaging systems",
                  "Trainings completed", "What we did on integrity"):
        assert title in text, title
    assert "Not in use in this period" in text
    page = client.get(f"{BASE}/reports/{report}/document.html", headers=h["sup2"])
    assert page.status_code == 200 and "<svg" in page.text
    assert "Integrated border management" in page.text
