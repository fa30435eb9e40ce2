"""The console over plain HTTP (no browser): redirects, error pages, headers, cookies,
static files, the list's partial answers, and the submission room's messages."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.declarations.formats import MAX_DOCUMENT_BYTES
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.model import Declaration
from clearway.web.auth import static_file
from clearway.web.csrf import key_for
from clearway.web.render import SECURITY_HEADERS
from helpers import import_doc

PAGES = ["/console", "/console/declarations/1", "/console/submit",
         "/console?status=rejected&page=2"]


def paste(client: TestClient, doc: Any) -> Any:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    return client.post("/console/submit", files={"document": (None, text)})


@pytest.mark.parametrize("path", PAGES)
def test_pages_redirect_to_the_sign_in_page_without_a_cookie(client: TestClient,
                                                            path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/console/login?next=%2Fconsole")
    assert "application/json" not in answer.headers.get("content-type", "")


def test_htmx_requests_are_told_to_navigate_to_the_sign_in_page(client: TestClient) -> None:
    answer = client.get("/console?status=accepted", headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert answer.headers["hx-redirect"].startswith("/console/login?next=")


def test_an_unknown_cookie_redirects_and_is_cleared(client: TestClient) -> None:
    client.cookies.set("cw_token", "cw_forged")
    answer = client.get("/console")
    assert answer.status_code == 303
    assert 'cw_token=""' in answer.headers["set-cookie"]


def test_sign_in_sets_a_strict_http_only_cookie(client: TestClient, console: Any) -> None:
    bad = client.post("/console/login", data={"token": "cw_wrong", "next": "/console"})
    assert bad.status_code == 401 and "Sign-in failed" in bad.text
    assert "set-cookie" not in bad.headers
    good = client.post("/console/login", data={"token": console.tokens["trader"],
                                               "next": "/console/submit"})
    assert good.status_code == 303 and good.headers["location"] == "/console/submit"
    cookie = good.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    assert "secure" not in cookie
    page = client.get("/console")
    assert page.status_code == 200
    # The forms' key follows the session: the new page's key, not the sign-in page's.
    client.headers["X-CSRF-Token"] = key_for(console.ctx.settings.secret_key,
                                             console.tokens["trader"])
    assert f'value="{client.headers["X-CSRF-Token"]}"' in page.text
    out = client.post("/console/logout")
    assert out.status_code == 303 and 'cw_token=""' in out.headers["set-cookie"]


def test_the_cookie_is_secure_over_https(console: Any) -> None:
    with TestClient(create_app(console.ctx), base_url="https://testserver",
                    follow_redirects=False) as client:
        answer = client.post("/console/login", data={"token": console.tokens["officer"]})
        assert "secure" in answer.headers["set-cookie"].lower()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/api/v1/x",
                                    "/console/login"])
def test_sign_in_never_redirects_off_the_console(client: TestClient, console: Any,
                                                 target: str) -> None:
    answer = client.post("/console/login", data={"token": console.tokens["officer"],
                                                 "next": target})
    assert answer.headers["location"] == "/console"


def test_an_officer_gets_a_403_page_on_submit(signed_in: Any) -> None:
    client = signed_in("officer")
    for answer in (client.get("/console/submit"), paste(client, import_doc())):
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("text/html")
        assert "Not allowed" in answer.text and "officer-one" in answer.text
        # in words, not as a permission code
        assert "Officers cannot lodge declarations. Sign in as a trader to do this." \
            in answer.text
        assert "declarations:submit" not in answer.text and "may not" not in answer.text
        assert 'href="/console/logout" id="sign-in-again"' in answer.text


@pytest.mark.parametrize("path", ["/console/login", "/console", "/console/declarations/999",
                                  "/console/static/console.css", "/console/static/nope.css"])
def test_security_headers_on_console_answers(signed_in: Any, path: str) -> None:
    answer = signed_in("trader").get(path)
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers[name] == value
    assert "default-src 'self'" in answer.headers["content-security-policy"]


def test_security_headers_on_redirects(client: TestClient) -> None:
    assert client.get("/console").headers["x-frame-options"] == "DENY"


def test_unknown_console_addresses_are_pages(client: TestClient, signed_in: Any) -> None:
    assert client.get("/console/nowhere").status_code == 303
    answer = signed_in("trader").get("/console/nowhere")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert signed_in("trader").get("/console/submit").status_code == 200


def test_static_files_are_served(client: TestClient) -> None:
    css = client.get("/console/static/console.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    js = client.get("/console/static/htmx.min.js")
    assert js.status_code == 200 and "htmx" in js.text


@pytest.mark.parametrize("path", ["..%2F..%2Fapp.py", "%2e%2e/render.py", "..%2fviews.py",
                                  "%2Fetc%2Fpasswd", "/etc/passwd", "..%5Cviews.py",
                                  "templates%2F..%2F..%2Fviews.py", ".hidden", "", "nope.js"])
def test_static_path_traversal_is_refused(client: TestClient, path: str) -> None:
    answer = client.get(f"/console/static/{path}")
    assert answer.status_code == 404
    assert "import" not in answer.text and "root:" not in answer.text


@pytest.mark.parametrize("path", ["../../app.py", "../views.py", "/etc/passwd",
                                  "templates/../../views.py", "static/../../render.py", "."])
def test_static_lookup_stays_in_the_static_folder(path: str) -> None:
    assert static_file(path) is None
    assert static_file("console.css") is not None


def test_list_answers_a_partial_to_htmx(signed_in: Any, console: Any) -> None:
    console.lodge("trader", import_doc())
    client = signed_in("trader")
    full = client.get("/console")
    assert full.status_code == 200 and "<html" in full.text and "LRN-0001" in full.text
    part = client.get("/console", headers={"HX-Request": "true"})
    assert "<html" not in part.text and 'id="declarations"' in part.text
    assert "HX-Request" in part.headers["vary"]
    restore = client.get("/console", headers={"HX-Request": "true",
                                              "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_list_filters_and_bad_values(signed_in: Any, console: Any) -> None:
    console.lodge("trader", import_doc())
    console.lodge("trader", import_doc(lrn="LRN-0002", item_count=9))
    client = signed_in("officer")
    assert "LRN-0002" in client.get("/console?status=rejected").text
    assert "LRN-0001" not in client.get("/console?status=rejected").text
    assert "LRN-0001" in client.get("/console?commodity=8510&type=IM").text
    assert "No declarations" in client.get("/console?commodity=9999").text
    day = console.ctx.clock.now().date()
    assert "LRN-0001" in client.get(f"/console?received_from={day}&received_to={day}").text
    odd = client.get("/console?status=bogus&commodity=abc&received_from=yesterday&page=x")
    assert odd.status_code == 200
    assert "Unknown status" in odd.text and "1 to 10 digits" in odd.text


def test_paging_fifty_a_page(signed_in: Any, console: Any) -> None:
    for n in range(52):
        console.lodge("trader", import_doc(lrn=f"PAGE-{n:03}", item_count=9))
    client = signed_in("trader")
    first = client.get("/console?status=rejected")
    assert first.text.count("<tr data-status") == 50 and "Page 1 of 2" in first.text
    second = client.get("/console?status=rejected&page=2")
    assert second.text.count("<tr data-status") == 2 and "PAGE-000" in second.text


def test_detail_of_a_rejected_filing_lists_its_errors(signed_in: Any, console: Any) -> None:
    outcome = console.lodge("trader", import_doc(dispatch_country="QQ"))
    page = signed_in("trader").get(f"/console/declarations/{outcome.row.id}")
    assert page.status_code == 200
    assert "CW-CODE-COUNTRY" in page.text and "/dispatch_country" in page.text
    assert "Rejected" in page.text


@pytest.mark.parametrize("key", ["\u00b2", "12%2F3", "x" * 41, "999", "1/events"])
def test_detail_of_odd_or_unknown_keys_is_a_404_page(signed_in: Any, key: str) -> None:
    answer = signed_in("officer").get(f"/console/declarations/{key}")
    assert answer.status_code == 404 and "Not found" in answer.text


def test_detail_is_a_404_page_for_another_trader(signed_in: Any, console: Any) -> None:
    mrn = console.lodge("trader", import_doc()).row.mrn
    answer = signed_in("other").get(f"/console/declarations/{mrn}")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert mrn not in answer.text
    assert signed_in("officer").get(f"/console/declarations/{mrn}").status_code == 200


def test_submit_errors_are_placed_on_their_lines(signed_in: Any) -> None:
    answer = paste(signed_in("trader"), import_doc(item_count=5, dispatch_country="QQ"))
    assert answer.status_code == 422
    assert 'class="has-error"' in answer.text and 'href="#L' in answer.text


def test_submit_messages_never_a_500(signed_in: Any, console: Any) -> None:
    client = signed_in("trader")
    assert paste(client, import_doc()).status_code == 303
    conflict = paste(client, import_doc(invoice_amount="1499.00"))
    assert conflict.status_code == 409 and "CW-LRN-CONFLICT" in conflict.text
    foreign = paste(signed_in("other"), import_doc(lrn="X-1"))
    assert foreign.status_code == 403 and "CW-NOT-DECLARANT" in foreign.text
    garbage = paste(client, "{not json")
    assert garbage.status_code == 422 and "CW-" in garbage.text
    assert paste(client, "   ").status_code == 400
    strange = client.post("/console/submit", files={"file": ("x.bin", b"\x00\x01binary",
                                                             "application/octet-stream")})
    assert strange.status_code in (415, 422) and "CW-" in strange.text


def test_submit_refuses_documents_over_the_limit(signed_in: Any) -> None:
    big = b"{" + b" " * MAX_DOCUMENT_BYTES + b"}"
    answer = signed_in("trader").post("/console/submit",
                                      files={"file": ("big.json", big, "application/json")})
    assert answer.status_code == 413 and "too large" in answer.text


def test_submit_uploads_edifact_and_json_files(signed_in: Any) -> None:
    client = signed_in("trader")
    doc = Declaration.model_validate(import_doc(lrn="EDI-1"))
    edi = write_cusdec(doc, sender="RS100234567", recipient="RSCUSTOMS", reference="REF1",
                       prepared_at=datetime(2026, 11, 20, 9, 0))
    answer = client.post("/console/submit", files={"file": ("dec.edi", edi.encode(),
                                                            "application/octet-stream")})
    assert answer.status_code == 303, answer.text
    assert client.get(answer.headers["location"]).status_code == 200
    bad = json.dumps(import_doc(lrn="UP-1", item_count=4)).encode()
    rejected = client.post("/console/submit", files={"file": ("dec.json", bad,
                                                              "application/json")})
    assert rejected.status_code == 422 and "CW-RULE-ITEM-COUNT" in rejected.text
    assert 'class="has-error"' in rejected.text


def test_cross_site_posts_are_refused(signed_in: Any, console: Any) -> None:
    client = signed_in("trader")
    evil = {"Origin": "https://evil.example"}
    answer = client.post("/console/submit", headers=evil,
                         files={"document": (None, json.dumps(import_doc()))})
    assert answer.status_code == 403
    login = client.post("/console/login", data={"token": console.tokens["other"]}, headers=evil)
    assert login.status_code == 403 and "set-cookie" not in login.headers
    assert client.post("/console/logout", headers=evil).status_code == 403
    same = client.post("/console/logout", headers={"Origin": "http://testserver"})
    assert same.status_code == 303
