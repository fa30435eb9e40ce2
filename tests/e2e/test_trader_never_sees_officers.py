"""A trader never learns which officer controls its goods (issue 14 item 4, issue 17 R4).

The world is the table `customs_actors_world.CASES`: filings in JSON, DEC-DMS XML and EDIFACT
that named officers and supervisors work (a task started, evidence, results releasing and
detaining, a seizure, a release of detained goods, a control begun and ended through the
declaration's actions, an invalidation, a waiver and a channel change by four eyes), with
notes, reasons and approvals naming every customs person by name and id. Then everything a
trader can be shown is fetched: every GET route of the application (API and console, walked
from the route table, so a new route is covered without a new line here) once per object of
the world, for the filer and for another company named on a filing; the console's htmx
partials; the notifications with their DMS XML and CUSRES bodies; the webhook bodies as
POSTed; and the answers, in the filing's own format, to the trader's own lodging, amending
and cancelling. None may carry a customs person's user name or id (searched in the raw
text); customs appear as the administration and its office. Staff still see the names."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.identity import PERMISSIONS, Role
from clearway.notifications.service import MESSAGES
from clearway.risk.engine.decision import Channel
from controls_world import force, module_context
from customs_actors_world import ADMINISTRATION, CASES, PARTY, PERSONS, World, build
from helpers import TRADER, all_routes, declared_permissions
from licences_world import register

# Sample values for path parameters that name no object of this world.
SAMPLE = {"list_name": "countries", "rest": "nowhere", "path": "console.css"}
# Trader routes that answer no object by design (the console's not-found page).
# The summary view answers an ENS or EXS only, none of which is in this world: its trader
# side (a security clearance's officer and reason withheld) is tests/e2e/test_summaries_api.py
# and test_summaries_console.py.
NO_OBJECT = {"/console/{rest:path}", "/api/v1/summaries/{key}", "/console/summaries/{key}"}
NOTES = "/api/v1/notifications?include_acknowledged=true&limit=500"
LICENCE_ID = "1"  # the first licence of the world's fresh register


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    ctx = module_context(tmp_path_factory.mktemp("never"), sqlite_template)
    force(ctx, Channel.RED)
    with TestClient(create_app(ctx), raise_server_exceptions=False,
                    follow_redirects=False) as client:
        built = build(client, ctx)
        assert str(register(ctx).id) == LICENCE_ID  # a licence the trader holds, asked about too
        yield built
    ctx.engine.dispose()


def trader_may(route: object) -> bool:
    return all(Role.TRADER in PERMISSIONS[p] for p in declared_permissions(route))


def paths_of(world: World, who: str, *, everything: bool) -> dict[str, list[str]]:
    """route -> the paths that ask it about each object of the world. `everything`: every
    GET route, also those a trader's role may not call (their refusals must not leak either)."""
    notes = world.get(who, NOTES).json()["items"] if who == "trader" else []
    values = {"key": [*world.mrns.values(), LICENCE_ID],
              "note_id": [str(n["id"]) for n in notes],
              "trader_id": [TRADER if who == "trader" else PARTY],
              "name": [n for n, _ in PERSONS.values()],
              "user_id": [str(i) for _, i in PERSONS.values()]}
    found: dict[str, list[str]] = {}
    for route in all_routes():
        if "GET" not in route.methods or route.path.endswith("/logout") or not (
                everything or trader_may(route)):
            continue
        names = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        template = re.sub(r"{(\w+):\w+}", r"{\1}", route.path)
        combos: list[dict[str, str]] = [{}]
        for name in names:
            combos = [{**c, name: v} for c in combos
                      for v in values.get(name, [SAMPLE.get(name, "1")])]
        found[route.path] = [template.format(**c) for c in combos]
    return found


def leaks(text: str) -> list[str]:
    found = [name for name, _ in PERSONS.values() if name.lower() in text.lower()]
    found += [str(i) for _, i in PERSONS.values() if str(i) in text]
    return found + [who for who in ("officer:", "supervisor:") if who in text]


@pytest.mark.parametrize("who", ["trader", "party"])
def test_no_answer_to_a_trader_names_a_customs_person(world: World, who: str) -> None:
    paths = [p for ps in paths_of(world, who, everything=True).values() for p in ps]
    if who == "trader":
        notes = world.get(who, NOTES).json()["items"]
        paths += [f"/api/v1/notifications/{n['id']}?raw=true" for n in notes]
        paths += [NOTES, "/api/v1/declarations?limit=500"]
    leaked = {p: found for p in paths if (found := leaks(world.get(who, p).text))}
    assert not leaked
    # The console's htmx partials (the list's results, the pages' fragments) as well.
    console = [p for p in paths if p.startswith("/console")]
    assert any(p.startswith("/console/declarations/") for p in console)
    leaked = {p: found for p in console
              if (found := leaks(world.get(who, p, **{"HX-Request": "true"}).text))}
    assert not leaked


def test_every_trader_route_was_asked_about_something_it_shows(world: World) -> None:
    """The walk is no walk past closed doors: each route a trader may call answered 2xx at
    least once with the world's objects, or sent it on (the sign-in page, to the signed-in);
    a new route needs its sample value above."""
    unanswered = [route for route, paths in paths_of(world, "trader", everything=False).items()
                  if route not in NO_OBJECT
                  and not any(world.get("trader", p).status_code < 400 for p in paths)]
    assert not unanswered
    seen = set(paths_of(world, "trader", everything=False))
    assert {"/api/v1/declarations/{key}/events", "/console/declarations/{key}",
            "/api/v1/notifications/{note_id}"} <= seen


def test_notifications_and_webhook_bodies_in_every_format_are_clean(world: World) -> None:
    page = world.get("trader", NOTES).json()
    assert {n["format"] for n in page["items"] if n["body"]} == {"wco-xml", "edifact"}
    kinds = {n["kind"] for n in page["items"]}
    assert {"under_control", "released", "detained", "seized", "invalidated"} <= kinds, kinds
    assert not leaks(json.dumps(page))
    # An officer's seizure (typed reason naming everyone) reaches the trader as fixed wording.
    assert {n["payload"]["message"] for n in page["items"]
            if n["kind"] == "seized"} == {MESSAGES["seized"]}
    # What the trader's receiver got: each notification once, payload and body, no names.
    pushed = [json.loads(body) for body in world.deliveries]
    assert sorted(p["id"] for p in pushed) == sorted(n["id"] for n in page["items"])
    assert {p["kind"] for p in pushed} == kinds
    assert any("<" in (p["body"] or "") for p in pushed)  # DMS XML
    assert any("UNH+" in (p["body"] or "") for p in pushed)  # CUSRES
    assert not [p for p in pushed if leaks(json.dumps(p))]


def test_answers_to_the_traders_own_requests_are_clean(world: World) -> None:
    assert {a.split()[0] for a in world.answers} == {"lodge", "cancel", "amend"}
    assert len(world.answers) == 3 * len(CASES)
    assert not {k: found for k, a in world.answers.items() if (found := leaks(a))}


def test_trader_sees_customs_as_the_administration_and_office(world: World) -> None:
    for case, mrn in world.mrns.items():
        events = world.get("trader", f"/api/v1/declarations/{mrn}/events").json()
        actors = {e["actor"] for e in events}
        assert actors <= {ADMINISTRATION, "trader:never-trader"}, (case, actors)
        assert ADMINISTRATION in actors
    page = world.get("trader", f"/console/declarations/{world.mrns['json-task']}").text
    assert f"by {ADMINISTRATION}" in page and "120.00" in page


def test_another_company_named_on_a_filing_sees_the_administration_too(world: World) -> None:
    mrn = world.mrns["party-task"]
    events = world.get("party", f"/api/v1/declarations/{mrn}/events").json()
    assert {e["actor"] for e in events} == {ADMINISTRATION, f"trader:{TRADER}"}
    assert [e["to_status"] for e in events][-1] == "released"


@pytest.mark.parametrize("case", list(CASES))
def test_staff_still_see_the_persons(world: World, case: str) -> None:
    mrn = world.mrns[case]
    events = world.get("supervisor", f"/api/v1/declarations/{mrn}/events").json()
    actors = {e["actor"] for e in events}
    officer, supervisor = (f"officer:{PERSONS['officer'][0]}",
                           f"supervisor:{PERSONS['approver'][0]}")
    assert officer in actors or supervisor in actors, actors
    page = world.get("supervisor", f"/console/declarations/{mrn}").text
    assert PERSONS["officer"][0] in page or PERSONS["approver"][0] in page
