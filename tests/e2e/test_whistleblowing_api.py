"""The whistleblowing channel over HTTP: what is stored and what never is, the receipt code's
follow-up, the integrity auditor's sole access, and the channel's limits."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.ops.logs import ACCESS_LOGGER
from clearway.storage.schema import metadata
from clearway.whistleblowing.limits import ChannelLimits
from clearway.whistleblowing.model import MAX_TEXT, receipt_hash
from helpers import make_token

BASE = "/api/v1/whistleblowing"
ADDRESS, PORT = "203.0.113.77", 47113
AGENT = "Mozilla/5.0 (X11; Whistle-Test-Agent 9.9)"
FORWARDED = "198.51.100.23"
TEXT = "The officer at gate 3 asks for cash to skip the documentary check, most mornings."
ROLES = ("auditor", "administrator", "supervisor", "officer", "risk_analyst",
         "data_protection_officer")


@pytest.fixture
def world(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str], Any]]:
    prepare(ctx)
    tokens = {r: make_token(ctx, f"wb-{r}", r) for r in ROLES}
    app = create_app(ctx)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False,
                    client=(ADDRESS, PORT)) as client:
        yield client, tokens, app


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def rows(ctx: Context) -> dict[str, set[str]]:
    """Every row of every table, as text."""
    with ctx.engine.connect() as conn:
        return {t.name: {repr(tuple(r)) for r in conn.execute(select(t))}
                for t in metadata.sorted_tables}


def test_a_report_stores_nothing_of_its_sender(world: Any, ctx: Context,
                                               caplog: pytest.LogCaptureFixture) -> None:
    client, tokens, _app = world
    before = rows(ctx)
    # A signed-in officer reporting from a browser, through a proxy: none of it may stay.
    client.cookies.set("cw_token", tokens["officer"])
    headers = {"User-Agent": AGENT, "X-Forwarded-For": FORWARDED, "X-Real-IP": FORWARDED,
               "Referer": "https://intranet.example/officer-page", **bearer(tokens["officer"])}
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        sent = client.post(f"{BASE}/report", json={"topic": "bribery", "text": TEXT},
                           headers=headers)
        assert sent.status_code == 201, sent.text
        receipt = sent.json()["receipt"]
        followed = client.post(f"{BASE}/follow-up", json={"receipt": receipt}, headers=headers)
        assert followed.status_code == 200
    client.cookies.clear()
    after = rows(ctx)
    new = {t: after[t] - before.get(t, set()) for t in after}
    written = {t for t, found in new.items() if found}
    # What is stored: the case, the report and its first message, the audit entry (and the
    # chain's head it moves). Nothing else: no sign-in failure, no access-log row.
    assert written == {"integrity_cases", "whistle_reports", "whistle_messages",
                       "audit_entries", "audit_head"}
    assert len(new["whistle_reports"]) == len(new["whistle_messages"]) == 1
    text = " ".join(" ".join(found) for found in new.values())
    assert TEXT in " ".join(new["whistle_messages"])
    assert receipt_hash(receipt) in " ".join(new["whistle_reports"])
    never = [ADDRESS, str(PORT), FORWARDED, AGENT, "Whistle-Test-Agent", "intranet.example",
             tokens["officer"], "wb-officer", receipt, receipt.replace("-", "")]
    assert [n for n in never if n in text] == []
    assert TEXT not in " ".join(new["integrity_cases"]) + " ".join(new["audit_entries"])
    assert "whistleblower:anonymous" in " ".join(new["audit_entries"])
    # The access log names the route and status, not the sender.
    lines = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    assert len(lines) == 2 and all(getattr(r, "actor", None) is None for r in lines)
    logged = " ".join(repr(vars(r)) for r in lines)
    assert [n for n in never if n in logged] == []


def test_follow_up_questions_and_answers(world: Any) -> None:
    client, tokens, _app = world
    receipt = client.post(f"{BASE}/report", json={"topic": "collusion", "text": TEXT}).json()[
        "receipt"]
    listed = client.get(f"{BASE}/cases", headers=bearer(tokens["auditor"])).json()
    assert [(r["topic"], r["awaiting_auditor"]) for r in listed] == [("collusion", True)]
    ref = listed[0]["case_reference"]
    read = client.get(f"{BASE}/cases/{ref}", headers=bearer(tokens["auditor"])).json()
    assert [m["text"] for m in read["messages"]] == [TEXT]
    asked = client.post(f"{BASE}/cases/{ref}/answer", json={"text": "Which gate, which days?"},
                        headers=bearer(tokens["auditor"]))
    assert asked.status_code == 200, asked.text
    seen = client.post(f"{BASE}/follow-up", json={"receipt": receipt.lower()}).json()
    assert seen["stage"] == "received" and "case_reference" not in seen
    assert [m["author"] for m in seen["messages"]] == ["reporter", "auditor"]
    wrote = client.post(f"{BASE}/follow-up/message",
                        json={"receipt": receipt, "text": "Gate 3, Mondays."})
    assert [m["text"] for m in wrote.json()["messages"]][-1] == "Gate 3, Mondays."
    assert client.get(f"{BASE}/cases", headers=bearer(tokens["auditor"])).json()[0][
        "awaiting_auditor"] is True
    # The auditor moves the case on in the integrity register; closed, the thread is read-only.
    for status in ("investigating", "unfounded"):
        moved = client.patch(f"/api/v1/integrity/cases/{ref}", json={"status": status},
                             headers=bearer(tokens["auditor"]))
        assert moved.status_code == 200, moved.text
    assert client.post(f"{BASE}/follow-up", json={"receipt": receipt}).json()["stage"] == "closed"
    refused = client.post(f"{BASE}/follow-up/message", json={"receipt": receipt, "text": "x"})
    assert (refused.status_code, refused.json()["code"]) == (409, "CW-WHISTLE-CLOSED")
    late = client.post(f"{BASE}/cases/{ref}/answer", json={"text": "x"},
                       headers=bearer(tokens["auditor"]))
    assert late.status_code == 409


def test_only_the_integrity_auditor_reads_reports(world: Any) -> None:
    client, tokens, _app = world
    client.post(f"{BASE}/report", json={"topic": "fraud", "text": TEXT})
    ref = client.get(f"{BASE}/cases", headers=bearer(tokens["auditor"])).json()[0][
        "case_reference"]
    for role in ROLES[1:]:
        for method, path in (("GET", "/cases"), ("GET", f"/cases/{ref}"),
                             ("POST", f"/cases/{ref}/answer")):
            answer = client.request(method, BASE + path, json={"text": "x"},
                                    headers=bearer(tokens[role]))
            assert (answer.status_code, answer.json()["code"]) == (403, "CW-FORBIDDEN"), role
    assert client.get(f"{BASE}/cases").status_code == 401
    # Administrators read the register: the case is there, the report's words are not.
    case = client.get(f"/api/v1/integrity/cases/{ref}",
                      headers=bearer(tokens["administrator"])).json()
    assert case["source"] == "whistleblower" and TEXT not in case["description"]
    assert case["officer_id"] is None and case["office"] is None
    assert client.get(f"{BASE}/cases/{ref}", headers=bearer(tokens["auditor"])).status_code == 200
    trail = client.get("/api/v1/audit/entries", headers=bearer(tokens["auditor"])).json()
    entries = trail["items"]
    assert any(e["action"] == "whistle_report.read" and e["actor"] == "auditor:wb-auditor"
               for e in entries)


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"topic": "gossip", "text": TEXT}, 422, "CW-WHISTLE-INVALID"),
    ({"topic": "bribery", "text": "   "}, 422, "CW-WHISTLE-INVALID"),
    ({"topic": "bribery", "text": "x" * (MAX_TEXT + 1)}, 422, None),
    ({"topic": "bribery", "text": "x" * 40_000}, 413, "CW-SYN-SIZE"),
])
def test_bad_reports_are_refused(world: Any, body: dict[str, str], status: int,
                                 code: str | None) -> None:
    client, _tokens, _app = world
    answer = client.post(f"{BASE}/report", json=body)
    assert answer.status_code == status, answer.text
    if code:
        assert answer.json()["code"] == code


def test_limits_count_over_all_senders(world: Any) -> None:
    client, _tokens, app = world
    app.state.whistle_limits = ChannelLimits(submissions=(2, 600), wrong_receipts=(2, 60))
    for _ in range(2):
        assert client.post(f"{BASE}/report", json={"topic": "other", "text": TEXT}
                           ).status_code == 201
    busy = client.post(f"{BASE}/report", json={"topic": "other", "text": TEXT})
    assert (busy.status_code, busy.json()["code"]) == (429, "CW-WHISTLE-BUSY")
    assert int(busy.headers["Retry-After"]) > 0
    for _ in range(2):
        wrong = client.post(f"{BASE}/follow-up", json={"receipt": "AAAA-BBBB"})
        assert (wrong.status_code, wrong.json()["code"]) == (404, "CW-WHISTLE-RECEIPT")
    assert client.post(f"{BASE}/follow-up", json={"receipt": "AAAA-BBBB"}).status_code == 429


def test_a_large_form_with_a_stale_cookie_is_refused_by_size_alone(world: Any,
                                                                   ctx: Context) -> None:
    """No token is read on the channel's routes: a bad cookie is not a failed sign-in
    counted against the sender's address (signin_failures stays empty)."""
    client, _tokens, _app = world
    client.cookies.set("cw_token", "cw_not-a-real-token")
    answer = client.post("/console/report", content=b"text=" + b"x" * 100_000,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    client.cookies.clear()
    assert answer.status_code == 413
    assert rows(ctx)["signin_failures"] == set()
