"""The demo's live feed at one administration: traders lodge over HTTP, officers work the
control tasks the engine gives them, supervisors now and then waive a control (four eyes)."""

from __future__ import annotations

import heapq
import random
import threading
import time
from decimal import Decimal
from typing import Any

import httpx

from clearway.context import Context
from clearway.demo.generator import DeclarationGenerator
from clearway.demo.history import result_of
from clearway.demo.outcomes import control_outcome
from clearway.demo.staff import OFFICERS
from clearway.identity import User

CONTROL_SECONDS = (5.0, 45.0)  # how long a live control takes before its outcome is recorded
OVERRIDE_SHARE = 0.05  # selected declarations a supervisor asks to waive (another approves)
Users = dict[str, tuple[str, str | None, User]]


def feed(base: str, ctx: Context, tokens: Users, rate: float, stop: threading.Event,
         seed: int = 2026) -> None:
    """Lodge declarations over HTTP like traders would: mostly JSON, some EDIFACT, a few
    with mistakes (so rejections show too). Green and blue declarations are released by the
    engine; the demo officers work the control tasks assigned to them (start, then the
    result the hidden rule says), and now and then a supervisor asks to waive a control and
    the other supervisor approves (four eyes)."""
    from clearway.declarations.formats.edifact_writer import write_cusdec

    rng = random.Random(seed)
    ref = ctx.refdata.get()
    gen = DeclarationGenerator(ref, rng, ctx.clock.now().date(), ctx.settings.country_code)
    traders = [(tok, tid) for tok, tid, _user in tokens.values() if tid]
    auth = {name: {"Authorization": f"Bearer {tok}"} for name, (tok, _t, _u) in tokens.items()}
    officers = {name: auth[name] for name in OFFICERS if name in auth}
    selected: dict[str, Any] = {}  # mrn -> the document, for the hidden rule
    controls: list[tuple[float, int, str, dict[str, Any]]] = []  # (due, task, officer, result)
    with httpx.Client(base_url=base, timeout=30) as client:
        n = 0
        while not stop.wait(rng.expovariate(rate)):
            n += 1
            token, trader = rng.choice(traders)
            headers = {"Authorization": f"Bearer {token}"}
            lrn = f"DEMO-{trader}-{n:06d}"
            doc: Any
            if rng.random() < 0.1:
                doc = gen.entry_summary(lrn, declarant=trader)
                body, media = doc.model_dump_json(exclude_none=True), "application/json"
            else:
                doc = gen.declaration(lrn, declarant=trader)
                if rng.random() < 0.06:  # a typing mistake: net mass above gross
                    doc.items[0].net_mass = (doc.items[0].gross_mass or Decimal(1)) * 2
                if rng.random() < 0.2:
                    body = write_cusdec(doc, sender=trader, recipient="CLEARWAY",
                                        reference=f"{n:08d}", prepared_at=ctx.clock.now())
                    media = "application/edifact"
                else:
                    body, media = doc.model_dump_json(exclude_none=True), "application/json"
            try:
                answer = client.post("/api/v1/declarations", content=body,
                                     headers={**headers, "Content-Type": media})
                lodged = answer.json() if answer.status_code == 201 else {}
                if lodged.get("status") == "risk_assessed":  # red or yellow: not released
                    selected[lodged["mrn"]] = doc
                    if rng.random() < OVERRIDE_SHARE:
                        _four_eyes_waiver(client, auth, lodged["mrn"])
                _work_tasks(client, officers, selected, controls, ref, rng)
                _finish_controls(client, officers, controls)
            except (httpx.HTTPError, ValueError, KeyError):
                time.sleep(1)


def _four_eyes_waiver(client: httpx.Client, auth: dict[str, dict[str, str]], mrn: str) -> None:
    asked = client.post(f"/api/v1/declarations/{mrn}/overrides", headers=auth["supervisor"],
                        json={"kind": "waiver", "reason": "Same goods and seals as the "
                              "consignment controlled this morning"})
    if asked.status_code == 201:
        client.post(f"/api/v1/overrides/{asked.json()['id']}/approve",
                    headers=auth["supervisor2"], json={"note": "agreed"})


def _work_tasks(client: httpx.Client, officers: dict[str, dict[str, str]],
                selected: dict[str, Any], controls: list[tuple[float, int, str, dict[str, Any]]],
                ref: Any, rng: random.Random) -> None:
    """Each officer starts the tasks assigned to them; the result comes when time is up."""
    for name, headers in officers.items():
        waiting = client.get("/api/v1/controls/tasks", params={"status": "assigned"},
                             headers=headers)
        for task in waiting.json() if waiting.status_code == 200 else []:
            if client.post(f"/api/v1/controls/tasks/{task['id']}/start",
                           headers=headers).status_code != 200:
                continue
            doc = selected.pop(task["declaration"], None)
            outcome, revenue = (control_outcome(doc, ref, rng) if doc is not None
                                else ("regular", Decimal(0)))
            result = result_of(outcome, revenue, audit=task["kind"] == "audit")
            body = {"outcome": result.outcome, "action": result.action,
                    "irregularities": list(result.irregularities),
                    "revenue": None if result.revenue is None else str(result.revenue)}
            due = time.monotonic() + rng.uniform(*CONTROL_SECONDS)
            heapq.heappush(controls, (due, task["id"], name, body))


def _finish_controls(client: httpx.Client, officers: dict[str, dict[str, str]],
                     controls: list[tuple[float, int, str, dict[str, Any]]]) -> None:
    """Controls whose time is up end with their result (and the revenue found)."""
    while controls and controls[0][0] <= time.monotonic():
        _due, task, name, body = heapq.heappop(controls)
        client.post(f"/api/v1/controls/tasks/{task}/result", headers=officers[name],
                    json=body)
