"""Cross-border trade between the demo's two administrations, over their HTTP APIs as
traders lodge it: an export leaves through the crossing; once it is released (the
anticipated arrival goes out with the release), the neighbour's importer lodges the import
naming the export's MRN a few seconds later. The first pairs plant one discrepancy each, so
every alarm of the entry side shows early; later pairs are mostly clean. One export never
arrives. Both sides sweep their deadlines now and then.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from clearway.declarations.model import Declaration, Party
from clearway.demo import region_story
from clearway.demo.crossborder import Crossing, arrival, export, person
from clearway.demo.generator import DeclarationGenerator
from clearway.demo.region import CROSSINGS, Side
from clearway.prearrival import exits
from clearway.prearrival import service as prearrival

FIRST_PLANTS = ("gross-mass", "never", "packages", "value", "hs6", "consignee")
LATER_DISCREPANCY_SHARE = 0.15
PERSON_SHARE = 0.3          # exports to a private person: a pseudonym crosses, never a name
EXPORT_EVERY = (4.0, 9.0)   # seconds between two exports
TRANSIT = (3.0, 12.0)       # seconds from release to the importer's lodging
SWEEP_EVERY = 20.0
POLL_EVERY = 3.0           # seconds between two looks at an export not released yet


@dataclass
class Pending:
    exporter: Side
    importer: Side
    doc: Declaration
    mrn: str
    planted: str
    trader: str  # who lodged the export (polls its status)
    due: float = 0.0  # when the importer lodges (0: the export is not released yet)
    polled: float = 0.0


def plants(rng: random.Random) -> Iterator[str]:
    yield from FIRST_PLANTS
    while True:
        late = rng.random() < LATER_DISCREPANCY_SHARE
        yield rng.choice(("gross-mass", "packages", "value", "hs6", "consignee")) if late \
            else "none"


class RegionFeed:
    def __init__(self, sides: dict[str, Side], rng: random.Random, stop: threading.Event
                 ) -> None:
        self.sides, self.rng, self.stop = sides, rng, stop
        self.plan = plants(rng)
        self.pending: list[Pending] = []
        self.serial = 0
        self.asked = False  # the mutual-assistance story is played once
        self.gens = {code: DeclarationGenerator(side.ctx.refdata.get(), rng,
                                                side.ctx.clock.now().date(), code)
                     for code, side in sides.items()}

    def run(self) -> None:
        next_export, next_sweep = 0.0, time.monotonic() + 5
        with httpx.Client(timeout=30) as client:
            while not self.stop.wait(0.5):
                try:
                    if time.monotonic() >= next_export:
                        self.export(client)
                        next_export = time.monotonic() + self.rng.uniform(*EXPORT_EVERY)
                    self.arrive(client)
                    if time.monotonic() >= next_sweep:
                        self.sweep(client)
                        next_sweep = time.monotonic() + SWEEP_EVERY
                except (httpx.HTTPError, ValueError, KeyError):
                    time.sleep(1)

    def export(self, client: httpx.Client) -> None:
        code = "RS" if self.rng.random() < 0.7 else "MK"
        exporter, importer = self.sides[code], self.sides["MK" if code == "RS" else "RS"]
        exit_office, entry_office = CROSSINGS[code]
        trader = self.rng.choice(exporter.traders)
        if self.rng.random() < PERSON_SHARE:
            consignee = person(self.rng, importer.code)
        else:
            consignee = Party(id=self.rng.choice(importer.traders))
        self.serial += 1
        doc = export(self.gens[code], self.rng, Crossing(exit_office, entry_office,
                                                         importer.code),
                     f"X-{code}-{self.serial:05d}", exporter=trader, consignee=consignee,
                     country=code)
        answer = client.post(f"{exporter.url}/api/v1/declarations",
                             content=doc.model_dump_json(exclude_none=True),
                             headers={**exporter.auth(exporter.trader_user(trader)),
                                      "Content-Type": "application/json"})
        if answer.status_code == 201:
            self.pending.append(Pending(exporter, importer, doc, answer.json()["mrn"],
                                        next(self.plan), trader))

    def arrive(self, client: httpx.Client) -> None:
        now = time.monotonic()
        for item in list(self.pending):
            if item.due == 0.0:
                if now < item.polled + POLL_EVERY:
                    continue
                item.polled = now
                status = client.get(f"{item.exporter.url}/api/v1/declarations/{item.mrn}",
                                    headers=item.exporter.auth(
                                        item.exporter.trader_user(item.trader)))
                if status.status_code == 200 and status.json().get("status") == "released":
                    item.due = now + self.rng.uniform(*TRANSIT)
                continue
            if now < item.due:
                continue
            self.pending.remove(item)
            if item.planted != "never":
                self.lodge_import(client, item)
                if item.planted != "none" and not self.asked:
                    self.asked = True
                    threading.Thread(target=self.assistance, args=(item,), daemon=True,
                                     name="demo-assistance").start()

    def lodge_import(self, client: httpx.Client, item: Pending) -> None:
        side = item.importer
        consignee = item.doc.consignee
        trader = consignee.id if consignee is not None and consignee.id in side.traders \
            else self.rng.choice(side.traders)
        self.serial += 1
        entry_office = CROSSINGS[item.exporter.code][1]
        doc = arrival(item.doc, item.mrn, f"A-{side.code}-{self.serial:05d}",
                      importer=str(trader), office=entry_office,
                      day=side.ctx.clock.now().date(), planted=item.planted)
        client.post(f"{side.url}/api/v1/declarations",
                    content=doc.model_dump_json(exclude_none=True),
                    headers={**side.auth(side.trader_user(str(trader))),
                             "Content-Type": "application/json"})

    def assistance(self, item: Pending) -> None:
        """The importing side asks the exporting side about the export that arrived with a
        discrepancy (region_story)."""
        with httpx.Client(timeout=30) as client:
            if region_story.ask(client, item.importer, item.exporter, item.mrn) is not None:
                region_story.answer(client, item.exporter, self.stop)

    def sweep(self, client: httpx.Client) -> None:
        """Both sides' deadlines; then each side's officer opens the newest open alarm and a
        supervisor lists what partners sent (reads the data protection officer finds in the
        access log)."""
        for side in self.sides.values():
            prearrival.sweep_overdue(side.ctx)
            exits.sweep_unconfirmed(side.ctx)
            alarms = client.get(f"{side.url}/api/v1/arrivals/alarms",
                                params={"status": "open", "limit": 1},
                                headers=side.auth("officer"))
            for alarm in alarms.json() if alarms.status_code == 200 else []:
                client.get(f"{side.url}/api/v1/arrivals/alarms/{alarm['id']}",
                           headers=side.auth("officer"))
            client.get(f"{side.url}/api/v1/exchange/received",
                       params={"purpose": "risk-analysis", "limit": 20},
                       headers=side.auth("supervisor"))

