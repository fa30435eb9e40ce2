"""Mutual assistance between two installations over real HTTP on loopback: RS drafts, the
drafter cannot approve, a second supervisor approves and the request leaves; MK receives,
assigns and answers (or refuses); RS records the reply, and a verification that finds an
irregularity becomes a label for the declaration. Overdue requests show first on both
sides, attachments travel with their SHA-256, and a partner's liaison sees only what was
exchanged with its own administration."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from clearway.audit.service import verify_report
from clearway.clearance import lodging
from clearway.cli.main import app as cli
from clearway.config import get_settings
from clearway.context import Context
from clearway.declarations import repository as decl_repo
from clearway.exchange.delivery import deliver_once
from clearway.identity import Role, User
from clearway.risk.learning.labels import outcomes
from clearway.users.service import register
from conftest import NOW
from exchange_world import Installation, Pair, open_pair
from helpers import TRADER, import_doc

PDF = b"%PDF-1.4 certificate of origin EUR.1 no. 123456"


@dataclass
class Side:
    inst: Installation
    tokens: dict[str, str]

    def call(self, method: str, path: str, who: str, **kw: Any) -> httpx.Response:
        return httpx.request(method, f"{self.inst.url}/api/v1/assistance{path}",
                             headers={"Authorization": f"Bearer {self.tokens[who]}"},
                             timeout=10, **kw)

    def ok(self, method: str, path: str, who: str, **kw: Any) -> Any:
        answer = self.call(method, path, who, **kw)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()


@dataclass
class World:
    pair: Pair
    rs: Side
    mk: Side
    mrn: str


def _token(ctx: Context, name: str, role: str, code: str | None = None) -> str:
    """A user created as an administrator would (audited: `audit verify --deep` checks)."""
    return register(ctx, name=name, role=role, trader_id=code, actor="administrator:test")[1]


def _staff(inst: Installation) -> dict[str, str]:
    ctx, code = inst.ctx, inst.code.lower()
    return {"officer": _token(ctx, f"{code}-officer", "officer"),
            "officer2": _token(ctx, f"{code}-officer2", "officer"),
            "sup": _token(ctx, f"{code}-sup", "supervisor"),
            "sup2": _token(ctx, f"{code}-sup2", "supervisor"),
            "liaison": _token(ctx, f"{code}-liaison", "partner", "MK"),
            "other-liaison": _token(ctx, f"{code}-al-liaison", "partner", "AL")}


def _lodge(inst: Installation) -> str:
    ctx = inst.ctx
    trader, _ = register(ctx, name="rs-trader", role="trader", trader_id=TRADER,
                         actor="administrator:test")
    doc = import_doc(lrn="MA-1", offices={"lodgement": "RS001002"})
    out = lodging.submit(ctx, json.dumps(doc).encode(), "application/json",
                         User(trader.id, trader.name, Role.TRADER, TRADER))
    assert out.kind == "created", out.errors
    assert out.row.mrn
    return out.row.mrn


@pytest.fixture
def world(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[World]:
    for pair in open_pair(db_url, tmp_path, sqlite_template, NOW):
        mrn = _lodge(pair.rs)
        yield World(pair, Side(pair.rs, _staff(pair.rs)), Side(pair.mk, _staff(pair.mk)), mrn)


def _draft(world: World, **changes: Any) -> dict[str, Any]:
    body = {"partner": "MK", "agreement_id": "RS-MK-2026", "request_type": "information",
            "question": "Was this consignment exported by the declared exporter?",
            "deadline": (NOW + timedelta(days=10)).isoformat(), **changes}
    return world.rs.ok("POST", "/requests", "officer", json=body)["request"]  # type: ignore


def _sent_and_received(world: World, **changes: Any) -> tuple[int, int]:
    """A request drafted, approved and delivered: (its number at RS, at MK)."""
    out = _draft(world, **changes)
    world.rs.ok("POST", f"/requests/{out['id']}/approve", "sup")
    assert deliver_once(world.rs.inst.ctx).delivered == 1
    (got,) = [r for r in world.mk.ok("GET", "/requests?direction=in", "sup")
              if r["message_id"] == world.rs.ok("GET", f"/requests/{out['id']}", "sup")
              ["request"]["message_id"]]
    return out["id"], got["id"]


def _label(world: World) -> bool | None:
    ctx = world.rs.inst.ctx
    with ctx.uow(read_only=True) as uow:
        row = decl_repo.get(uow.session, world.mrn)
        assert row is not None
        found = outcomes(uow.session, [row.id]).get(row.id)
    return None if found is None else found.irregular


def test_verification_found_irregular_becomes_a_label(world: World) -> None:
    rs, mk = world.rs, world.mk
    attachment = {"filename": "eur1.pdf", "content_type": "application/pdf",
                  "data_base64": base64.b64encode(PDF).decode(),
                  "sha256": hashlib.sha256(PDF).hexdigest()}
    draft = rs.ok("POST", "/requests", "sup2", json={
        "partner": "MK", "agreement_id": "RS-MK-2026", "request_type": "verification",
        "subject_kind": "origin-proof", "subject": "EUR.1 no. 123456",
        "question": "Is this proof of origin authentic?", "mrn": world.mrn,
        "deadline": (NOW + timedelta(days=20)).isoformat(), "priority": "urgent",
        "attachments": [attachment]})
    key = draft["request"]["id"]
    assert draft["request"]["legal_basis"].endswith("Art. 5")  # the agreement's article
    refused = rs.call("POST", f"/requests/{key}/approve", "sup2")
    assert (refused.status_code, refused.json()["code"]) == (403, "CW-ASSIST-SELF-APPROVAL")
    assert world.pair.rs.outbox() == 0  # nothing left
    sent = rs.ok("POST", f"/requests/{key}/approve", "sup")["request"]
    assert sent["status"] == "sent" and sent["approved_by"] == "supervisor:rs-sup"
    assert deliver_once(rs.inst.ctx).delivered == 1

    (got,) = mk.ok("GET", "/requests?direction=in", "officer")
    assert (got["status"], got["subject_kind"], got["mrn"]) == ("received", "origin-proof",
                                                                world.mrn)
    detail = mk.ok("GET", f"/requests/{got['id']}", "officer")
    (file,) = detail["attachments"]
    assert file["sha256"] == attachment["sha256"]
    download = mk.call("GET", f"/requests/{got['id']}/attachments/{file['id']}", "officer")
    assert download.content == PDF
    assert download.headers["X-Content-SHA256"] == hashlib.sha256(download.content).hexdigest()

    early = mk.call("POST", f"/requests/{got['id']}/reply", "officer",
                    json={"outcome": "answered", "answer": "x"})
    assert early.json()["code"] == "CW-ASSIST-STATE"  # not assigned yet
    mk.ok("POST", f"/requests/{got['id']}/assign", "sup", json={"officer": "mk-officer"})
    other = mk.call("POST", f"/requests/{got['id']}/reply", "officer2",
                    json={"outcome": "answered", "answer": "x"})
    assert other.json()["code"] == "CW-ASSIST-NOT-ASSIGNED"
    nosy = mk.call("POST", f"/requests/{got['id']}/reply", "officer", json={
        "outcome": "answered", "answer": "x", "disclosed": "Petar Petrovic"})
    assert (nosy.status_code, nosy.json()["code"]) == (422, "CW-ASSIST-DISCLOSURE")
    assert _label(world) is None
    mk.ok("POST", f"/requests/{got['id']}/reply", "officer", json={
        "outcome": "answered", "finding": "irregular",
        "answer": "The EUR.1 was never issued by our office."})
    assert deliver_once(mk.inst.ctx).delivered == 1

    back = rs.ok("GET", f"/requests/{key}", "officer")
    assert (back["request"]["status"], back["request"]["finding"]) == ("answered", "irregular")
    (reply,) = back["replies"]
    assert reply["replied_by"] == "partner:MK" and reply["disclosed"] is None
    assert _label(world) is True  # the label store now knows the declaration irregular
    deep = verify_report(rs.inst.ctx, deep=True)  # the result agrees with its audit entry
    assert deep.broken is None and deep.records > 0
    closed = rs.ok("POST", f"/requests/{key}/close", "officer")["request"]
    assert closed["status"] == "closed"
    again = rs.call("POST", f"/requests/{key}/close", "officer")
    assert again.json()["code"] == "CW-ASSIST-STATE"


def test_a_refusal_needs_and_carries_its_reason(world: World) -> None:
    ours, theirs = _sent_and_received(world, request_type="surveillance",
                                      subject_kind="means-of-transport",
                                      subject="truck BG-123-AB")
    world.mk.ok("POST", f"/requests/{theirs}/assign", "sup", json={"officer": "mk-officer"})
    bare = world.mk.call("POST", f"/requests/{theirs}/reply", "officer",
                         json={"outcome": "refused"})
    assert (bare.status_code, bare.json()["code"]) == (422, "CW-ASSIST-INVALID")
    world.mk.ok("POST", f"/requests/{theirs}/reply", "officer", json={
        "outcome": "refused", "reason": "Surveillance outside the agreement's scope."})
    deliver_once(world.mk.inst.ctx)
    back = world.rs.ok("GET", f"/requests/{ours}", "officer")
    assert back["request"]["status"] == "refused"
    assert back["replies"][0]["reason"] == "Surveillance outside the agreement's scope."
    assert _label(world) is None


def test_the_command_line_lists_and_shows_requests(world: World,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs = _sent_and_received(world)
    world.mk.ok("POST", f"/requests/{theirs}/assign", "sup", json={"officer": "mk-officer"})
    world.mk.ok("POST", f"/requests/{theirs}/reply", "officer", json={
        "outcome": "refused", "reason": "No such consignment is known here."})
    deliver_once(world.mk.inst.ctx)
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", world.rs.inst.ctx.settings.database_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        listed = CliRunner().invoke(cli, ["assistance", "list", "--direction", "out", "--json"])
        shown = CliRunner().invoke(cli, ["assistance", "show", str(ours)])
        missing = CliRunner().invoke(cli, ["assistance", "show", "999"])
    finally:
        get_settings.cache_clear()
    assert listed.exit_code == 0, listed.output
    assert [(r["id"], r["status"]) for r in json.loads(listed.stdout)] == [(ours, "refused")]
    assert shown.exit_code == 0
    assert "No such consignment is known here." in " ".join(shown.stdout.split())
    assert missing.exit_code == 2 and "CW-ASSIST-NOT-FOUND" in missing.output


def test_overdue_requests_come_first_on_both_sides(world: World) -> None:
    later, _ = _sent_and_received(world)
    soon, theirs = _sent_and_received(world, deadline=(NOW + timedelta(hours=1)).isoformat())
    world.pair.clock.advance(hours=2)
    for side, direction, first in ((world.rs, "out", soon), (world.mk, "in", theirs)):
        listed = side.ok("GET", f"/requests?direction={direction}", "officer")
        assert [r["overdue"] for r in listed] == [True, False]
        assert listed[0]["id"] == first
        only = side.ok("GET", f"/requests?overdue=true&direction={direction}", "officer")
        assert [r["id"] for r in only] == [first]
    assert later != soon


@pytest.mark.parametrize(("changes", "status", "code"), [
    ({"deadline": (NOW - timedelta(hours=1)).isoformat()}, 422, "CW-ASSIST-DEADLINE"),
    ({"attachments": [{"filename": "a.txt", "data_base64": base64.b64encode(b"abc").decode(),
                       "sha256": "0" * 64}]}, 422, "CW-ASSIST-ATTACHMENT-HASH"),
    ({"attachments": [{"filename": "big.bin",
                       "data_base64": base64.b64encode(b"x" * (600 * 1024)).decode()}]},
     413, "CW-ASSIST-ATTACHMENT-SIZE"),
    ({"request_type": "verification"}, 422, "CW-ASSIST-INVALID"),  # no topic
])
def test_bad_drafts_are_refused_by_code(world: World, changes: dict[str, Any], status: int,
                                        code: str) -> None:
    body = {"partner": "MK", "agreement_id": "RS-MK-2026", "request_type": "information",
            "question": "q", "deadline": (NOW + timedelta(days=1)).isoformat(), **changes}
    answer = world.rs.call("POST", "/requests", "officer", json=body)
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    assert world.rs.call("GET", "/requests/999", "officer").json()["code"] == \
        "CW-ASSIST-NOT-FOUND"


def test_a_partner_sees_only_what_was_exchanged_with_its_administration(world: World) -> None:
    ours, _ = _sent_and_received(world)
    assert [r["id"] for r in world.rs.ok("GET", "/requests", "liaison")] == [ours]
    assert world.rs.ok("GET", f"/requests/{ours}", "liaison")["request"]["partner"] == "MK"
    assert world.rs.ok("GET", "/requests", "other-liaison") == []
    hidden = world.rs.call("GET", f"/requests/{ours}", "other-liaison")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "CW-ASSIST-NOT-FOUND")
    drafting = world.rs.call("POST", "/requests", "liaison", json={})
    assert drafting.status_code == 403
    declarations = httpx.get(f"{world.rs.inst.url}/api/v1/declarations/{world.mrn}",
                             headers={"Authorization":
                                      f"Bearer {world.rs.tokens['liaison']}"})
    assert declarations.status_code == 403  # nothing of ours but the requests
