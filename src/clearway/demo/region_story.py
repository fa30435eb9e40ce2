"""The demo's mutual-assistance story, played once over both administrations' APIs: an
analyst at home asks the neighbour to verify the declared value of goods that arrived from
it with an alarm, a supervisor approves (four eyes) and the request leaves; at the
neighbour, a supervisor assigns it and an officer answers; the answer comes back."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx

from clearway.demo.region import AGREEMENT, Side

BASE = "/api/v1/assistance/requests"


def ask(client: httpx.Client, home: Side, partner: Side, mrn: str) -> int | None:
    """The home side's request, drafted and approved; its id there (None: refused)."""
    deadline = home.ctx.clock.now() + timedelta(days=10)
    drafted = client.post(f"{home.url}{BASE}", headers=home.auth("analyst"), json={
        "partner": partner.code, "agreement_id": AGREEMENT, "request_type": "verification",
        "subject_kind": "declared-value", "mrn": mrn,
        "subject": f"Declared value of export {mrn}",
        "question": "The goods arrived with a discrepancy against your anticipated arrival. "
                    "Please verify the value declared on export and the invoice behind it.",
        "deadline": deadline.isoformat(), "priority": "normal"})
    if drafted.status_code != 201:
        return None
    key = int(drafted.json()["request"]["id"])
    approved = client.post(f"{home.url}{BASE}/{key}/approve", headers=home.auth("supervisor"))
    return key if approved.status_code == 200 else None


def answer(client: httpx.Client, partner: Side, stop: threading.Event) -> bool:
    """At the neighbour: wait for the request, assign it, answer it."""
    for _ in range(60):
        found = client.get(f"{partner.url}{BASE}", params={"direction": "in"},
                           headers=partner.auth("supervisor"))
        waiting = [r for r in found.json() if r["status"] == "received"] \
            if found.status_code == 200 else []
        if waiting:
            key = waiting[0]["id"]
            client.post(f"{partner.url}{BASE}/{key}/assign", headers=partner.auth("supervisor"),
                        json={"officer": "officer"})
            replied = client.post(f"{partner.url}{BASE}/{key}/reply",
                                  headers=partner.auth("officer"), json={
                                      "outcome": "answered", "finding": "confirmed",
                                      "answer": "The exporter's invoice and payment records "
                                                "match the declared value."})
            return replied.status_code == 200
        if stop.wait(2.0):
            return False
    return False
