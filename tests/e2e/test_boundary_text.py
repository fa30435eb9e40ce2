"""Text no column can store is refused once, at the boundary (clearway.api.limits and
text_guard): NUL in a path, a query parameter, a JSON string or a form field, lone
surrogates in JSON, other control characters in the address, bytes that are not UTF-8.
Every route answers 422 CW-SYN-TEXT naming where, on SQLite and PostgreSQL alike (before,
PostgreSQL answered 500 on a NUL and both did on a surrogate); and ordinary text still
passes, escaped or not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.context import Context
from clearway.controls import service as controls
from clearway.risk.engine.decision import Channel
from clearway.storage.orm import UserRow
from clearway.storage.orm_controls import EvidenceFileRow
from clearway.users.model import hash_token, new_token
from clearway.web.csrf import key_for
from controls_world import force, lodge, office
from helpers import TRADER, make_token

ROLES = ("trader", "officer", "supervisor", "risk_analyst", "auditor", "administrator")
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
NUL, LONE = "\\u0000", "\\ud800"
EDI = (b"UNA:+.? 'UNB+UNOC:3+A+B+261120:0900+1'UNH+1+CUSDEC:D:96B:UN'BGM+929+L\x00X+9'"
       b"UNT+3+1'UNZ+1+1'")

# (id, role, method, address, content type, body, where the answer must point)
CASES: list[tuple[str, str, str, str, str | None, bytes | str | None, str]] = [
    ("declarations lrn filter", "trader", "GET", "/api/v1/declarations?lrn=%00", None, None,
     "query:lrn"),
    ("declaration key", "trader", "GET", "/api/v1/declarations/A%00B", None, None, "path"),
    ("audit actor filter", "auditor", "GET", "/api/v1/audit/entries?actor=x%00", None, None,
     "query:actor"),
    ("audit action CR/LF", "auditor", "GET", "/api/v1/audit/entries?action=a%0D%0Ab", None,
     None, "query:action"),
    ("task status", "officer", "GET", "/api/v1/controls/tasks?status=%00", None, None,
     "query:status"),
    ("integrity cases status", "supervisor", "GET", "/api/v1/integrity/cases?status=%00",
     None, None, "query:status"),
    ("overrides declaration", "supervisor", "GET", "/api/v1/overrides?declaration=%00",
     None, None, "query:declaration"),
    ("trader record / refdata code", "risk_analyst", "GET", "/api/v1/refdata/traders?code=%00",
     None, None, "query:code"),
    ("query not UTF-8", "trader", "GET", "/api/v1/declarations?party=%FF", None, None,
     "query:party"),
    ("cancel reason", "trader", "POST", "/api/v1/declarations/26RS1/cancel", JSON,
     f'{{"reason": "late{NUL}"}}', "/reason"),
    ("officer action reason", "officer", "POST", "/api/v1/declarations/26RS1/actions/release",
     JSON, f'{{"reason": "{LONE}"}}', "/reason"),
    ("IPR application", "risk_analyst", "POST", "/api/v1/ipr-applications", JSON,
     f'{{"right_holder": "ACME", "brands": ["ok", "b{NUL}"]}}', "/brands/1"),
    ("course record", "supervisor", "POST", "/api/v1/training/records", JSON,
     f'{{"officer_id": 1, "course_code": "C{NUL}", "completed_on": "2026-01-01"}}',
     "/course_code"),
    ("integrity case", "supervisor", "POST", "/api/v1/integrity/cases", JSON,
     f'{{"allegation": "other", "source": "other", "description": "{LONE}x"}}',
     "/description"),
    ("override reason", "supervisor", "POST", "/api/v1/declarations/26RS1/overrides", JSON,
     f'{{"kind": "waive", "reason": "{NUL}"}}', "/reason"),
    ("user name", "administrator", "POST", "/api/v1/users", JSON,
     f'{{"name": "x{NUL}", "role": "officer"}}', "/name"),
    ("screening check key", "officer", "POST", "/api/v1/screening/check", JSON,
     f'{{"na{NUL}me": "x"}}', "/ (a key)"),
    ("webhook", "trader", "PUT", "/api/v1/notifications/webhook", JSON,
     f'{{"url": "http://x{NUL}"}}', "/url"),
    ("JSON not UTF-8", "trader", "POST", "/api/v1/notifications/ack", JSON,
     b'{"ids": ["\xff"]}', "/"),
    ("raw NUL in JSON", "trader", "POST", "/api/v1/notifications/ack", JSON,
     b'{"ids": [1]}\x00', "/"),
    ("console page path", "officer", "GET", "/console/declarations/%00", None, None, "path"),
    ("console sign-in form", "", "POST", "/console/login", FORM, "username=a%00b&token=x",
     "form:username"),
    ("console integrity form", "supervisor", "POST", "/console/integrity/cases", FORM,
     "allegation=other&description=x%00", "form:description"),
]
# Declarations check their own text (with pointers into the document): CW-DOC-INVALID.
DOCUMENTS = [
    ("JSON declaration", JSON, f'{{"declaration_type": "IM", "lrn": "L{NUL}"}}', "/lrn"),
    ("JSON surrogate", JSON, f'{{"declaration_type": "IM", "lrn": "{LONE}"}}', "/lrn"),
    ("EDIFACT raw NUL", "application/edifact", EDI, "segment 3"),  # BGM
]


@pytest.fixture
def api(ctx: Context) -> Iterator[tuple[TestClient, dict[str, str]]]:
    prepare(ctx)
    tokens = {role: make_token(ctx, f"u-{role}", role, TRADER if role == "trader" else None)
              for role in ROLES}
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, tokens


def _send(client: TestClient, tokens: dict[str, str], role: str, method: str, address: str,
          media: str | None, body: Any) -> Any:
    headers = {"Content-Type": media} if media else {}
    if role and address.startswith("/console"):
        client.cookies.set("cw_token", tokens[role])
    elif role:
        headers["Authorization"] = f"Bearer {tokens[role]}"
    return client.request(method, address, content=body, headers=headers)


@pytest.mark.parametrize(("role", "method", "address", "media", "body", "where"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_text_gets_one_coded_answer(api: Any, role: str, method: str, address: str,
                                            media: str | None, body: Any, where: str) -> None:
    client, tokens = api
    answer = _send(client, tokens, role, method, address, media, body)
    assert answer.status_code == 422, answer.text[:300]
    if address.startswith("/console"):
        assert "CW-SYN-TEXT" in answer.text and answer.headers["content-type"].startswith(
            "text/html")
        return
    found = answer.json()
    assert found["code"] == "CW-SYN-TEXT", found
    assert found["errors"][0]["pointer"] == where, found


@pytest.mark.parametrize(("media", "body", "where"), [d[1:] for d in DOCUMENTS],
                         ids=[d[0] for d in DOCUMENTS])
def test_documents_refuse_text_with_a_pointer(api: Any, media: str, body: Any,
                                              where: str) -> None:
    client, tokens = api
    answer = _send(client, tokens, "trader", "POST", "/api/v1/declarations", media, body)
    assert answer.status_code == 422, answer.text[:300]
    issue = answer.json()["errors"][0]
    assert (issue["code"], issue["pointer"]) == ("CW-SYN-TEXT", where), issue


CLEAN = [
    ("accents and an escaped emoji", f'{{"ids": [], "x": "Čačak \\ud83d\\ude00 {chr(233)}"}}'),
    ("an escaped backslash before u0000", '{"ids": [], "x": "\\\\u0000"}'),
    ("tab and newline in free text", '{"ids": [], "x": "a\\tb\\nc"}'),
]


@pytest.mark.parametrize("body", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_ordinary_text_passes(api: Any, body: str) -> None:
    client, tokens = api
    answer = _send(client, tokens, "trader", "POST", "/api/v1/notifications/ack", JSON,
                   body.encode())
    assert answer.json().get("code") != "CW-SYN-TEXT", answer.text[:300]
    assert answer.status_code < 500


# Header text that is stored: a console upload's file name and part type, the API upload's
# Content-Type. Before, PostgreSQL answered 500 (the guard read only the text fields).
def _multipart(filename: bytes, kind: bytes) -> tuple[bytes, str]:
    body = (b"--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
            + b"\"\r\nContent-Type: " + kind + b"\r\n\r\n\x89PNG\x00 evidence\r\n--XB--\r\n")
    return body, "multipart/form-data; boundary=XB"


UPLOADS = [  # (id, console part's file name, its type / the API's Content-Type, where)
    ("NUL in a file name", b"ev\x00.jpg", b"image/jpeg", "form:file (file name)"),
    ("control character in a file name", b"ev\x01.jpg", b"image/jpeg",
     "form:file (file name)"),
    ("NUL in a part's type", b"ev.jpg", b"image/jp\x00eg", "form:file (content type)"),
    ("API: NUL in the Content-Type", None, b"image/jp\x00eg", "header:content-type"),
]


@pytest.fixture
def task(ctx: Context, api: Any) -> tuple[TestClient, str, int]:
    force(ctx, Channel.RED)
    made = office(ctx)
    lodge(ctx, made, "EV-1")
    (row,) = controls.list_tasks(ctx, made.qualified, office=None, status=None)
    token = new_token()
    with ctx.uow() as uow:  # the task's officer signs in with this token
        uow.session.get_one(UserRow, made.qualified.id).token_hash = hash_token(token)
        uow.commit()
    return api[0], token, row.id


@pytest.mark.parametrize(("filename", "kind", "where"), [u[1:] for u in UPLOADS],
                         ids=[u[0] for u in UPLOADS])
def test_stored_header_text_is_refused(ctx: Context, task: Any, filename: bytes | None,
                                       kind: bytes, where: str) -> None:
    client, token, number = task
    if filename is None:
        answer = client.post(f"/api/v1/controls/tasks/{number}/evidence", content=b"x",
                             headers=[(b"authorization", f"Bearer {token}".encode()),
                                      (b"content-type", kind)])
        assert (answer.status_code, answer.json()["errors"][0]["pointer"]) == (422, where)
    else:
        body, media = _multipart(filename, kind)
        client.cookies.set("cw_token", token)
        answer = client.post(f"/console/tasks/{number}/evidence", content=body, headers={
            "Content-Type": media, "X-CSRF-Token": key_for(ctx.settings.secret_key, token)})
        assert answer.status_code == 422 and where in answer.text, answer.text[:300]
    assert "CW-SYN-TEXT" in answer.text
    with ctx.uow(read_only=True) as uow:
        assert uow.session.query(EvidenceFileRow).count() == 0


COURSE = b'{"code": "NUL-1", "title": "a\\u0000b", "qualification": "valuation"}'
TWICE = [  # (id, headers beside the token): framing and type headers come once
    ("two Content-Types", [(b"content-type", b"application/json"),
                           (b"content-type", b"text/plain")]),
    ("two Content-Lengths", [(b"content-type", b"application/json"),
                             (b"content-length", str(len(COURSE)).encode()),
                             (b"content-length", b"5")]),
    ("a length beside chunked framing", [(b"content-type", b"application/json"),
                                         (b"transfer-encoding", b"chunked")]),
]


@pytest.mark.parametrize("headers", [t[1] for t in TWICE], ids=[t[0] for t in TWICE])
def test_framing_headers_come_once(api: Any, headers: list[tuple[bytes, bytes]]) -> None:
    client, tokens = api
    auth = (b"authorization", f"Bearer {tokens['supervisor']}".encode())
    answer = client.post("/api/v1/training/courses", content=COURSE,
                         headers=[auth, *headers])
    assert answer.status_code == 400, answer.text[:300]
    assert answer.json()["code"] == "CW-REQUEST-INVALID"


# FastAPI reads a body of no type or a JSON type as JSON and hands any other to the route
# as bytes (a list in CSV, or text for a str body): every body is checked, whatever its type.
UNTYPED = [
    ("JSON sent as text/plain", "supervisor", "POST", "/api/v1/training/courses",
     "text/plain", COURSE, "/title"),
    ("JSON sent as a list of types", "supervisor", "POST", "/api/v1/training/courses",
     "application/json, text/plain", COURSE, "/title"),
    ("raw NUL in a CSV list", "administrator", "PUT", "/api/v1/screening/lists/local",
     "text/csv", b"name,country\nACME\x00 Ltd,RS\n", "/"),
]


@pytest.mark.parametrize(("role", "method", "address", "media", "body", "where"),
                         [u[1:] for u in UNTYPED], ids=[u[0] for u in UNTYPED])
def test_body_text_is_checked_whatever_its_type(api: Any, role: str, method: str,
                                                address: str, media: str, body: bytes,
                                                where: str) -> None:
    client, tokens = api
    answer = _send(client, tokens, role, method, address, media, body)
    assert answer.status_code == 422, answer.text[:300]
    found = answer.json()
    assert (found["code"], found["errors"][0]["pointer"]) == ("CW-SYN-TEXT", where), found


def test_a_404_does_not_echo_a_long_key(api: Any) -> None:
    client, tokens = api
    answer = _send(client, tokens, "trader", "GET", "/api/v1/declarations/" + "9" * 5000,
                   None, None)
    assert answer.status_code == 404 and answer.json()["code"] == "CW-NOT-FOUND"
    assert len(answer.json()["message"]) < 100, answer.json()["message"][:120]
