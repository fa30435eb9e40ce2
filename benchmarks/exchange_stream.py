"""A seeded stream of cross-border pairs for `benchmarks/exchange.py` (matching, alarms):
exports from RS through the Presevo crossing announced to MK with the sending side's own
code (`prearrival.announce`), and the imports lodged at MK on arrival, each pair with at most
one planted discrepancy. Imported by the benchmark only."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from clearway.declarations.model import Party
from clearway.declarations.mrn import make_mrn
from clearway.demo.crossborder import Crossing, arrival, export, person
from clearway.demo.generator import DeclarationGenerator
from clearway.prearrival.announce import anticipated_arrival
from clearway.prearrival.model import AlarmKind
from clearway.prearrival.payload import AnticipatedArrival
from clearway.privacy.pseudonyms import Keyring
from clearway.refdata.model import RefDataSnapshot

AGREEMENT = "RS-MK-2026"
CROSSING = Crossing("RS004002", "MK002001", "MK")
# What each plant must raise at the entry side (None: nothing).
EXPECTED: dict[str, AlarmKind | None] = {
    "none": None, "gross-mass": AlarmKind.GROSS_MASS, "packages": AlarmKind.PACKAGES,
    "value": AlarmKind.VALUE, "hs6": AlarmKind.HS6, "consignee": AlarmKind.CONSIGNEE,
    "transit-short": AlarmKind.TRANSIT_TOO_SHORT, "transit-long": AlarmKind.TRANSIT_TOO_LONG,
    "never": AlarmKind.NO_ARRIVAL, "unannounced": AlarmKind.NO_EXIT_RECORD,
    "seals": AlarmKind.SEALS}
CLEAN_SHARE = 0.5
BOOTH_SHARE = 0.2  # clean pairs seen at the booth (vehicle, containers, seals) instead


@dataclass(frozen=True)
class Pair:
    n: int
    planted: str
    mrn: str
    announced: AnticipatedArrival
    arriving: object  # the import Declaration
    arrives_at: datetime
    booth_seals: tuple[str, ...] | None = None  # seen at the booth with these seals instead


def stream(ref: RefDataSnapshot, ring: Keyring, start: datetime, pairs: int, seed: int,
           minutes: tuple[int, int]) -> list[Pair]:
    rng = random.Random(seed)
    gen = DeclarationGenerator(ref, rng, start.date(), "RS")
    mk_traders = [r["id"] for r in ref.rows("traders") if r["country"] == "MK"]
    rs_traders = [r["id"] for r in ref.rows("traders") if r["country"] == "RS"]
    plants = [p for p in EXPECTED if p != "none"]
    out = []
    for n in range(1, pairs + 1):
        planted = "none" if rng.random() < CLEAN_SHARE else rng.choice(plants)
        consignee = person(rng, "MK") if rng.random() < 0.3 else Party(id=rng.choice(mk_traders))
        doc = export(gen, rng, CROSSING, f"BENCH-{n}", exporter=rng.choice(rs_traders),
                     consignee=consignee, country="RS")
        mrn = make_mrn(year=start.year, country="RS", serial=n, kind="EX")
        exit_at = start + timedelta(minutes=3 * n)
        announced = anticipated_arrival(doc, mrn=mrn, exit_at=exit_at,
                                        office_of_entry=CROSSING.entry_office, ring=ring,
                                        agreement_id=AGREEMENT)
        low, high = minutes
        transit = {"transit-short": max(low - 2, 0) + 0.5,
                   "transit-long": high + 30}.get(planted, rng.uniform(low + 1, high - 1))
        arrives_at = exit_at + timedelta(minutes=transit)
        importer = consignee.id or rng.choice(mk_traders)
        on_paper = planted if planted in ("gross-mass", "packages", "value", "hs6",
                                          "consignee") else "none"
        arriving = arrival(doc, mrn, f"BENCH-IM-{n}", importer=str(importer),
                           office=CROSSING.entry_office, day=arrives_at.date(),
                           planted=on_paper)
        seals = announced.transport.seals if announced.transport else ()
        booth = (tuple(f"{s}X" for s in seals) if planted == "seals"
                 else seals if planted == "none" and rng.random() < BOOTH_SHARE else None)
        out.append(Pair(n, planted, mrn, announced, arriving, arrives_at, booth))
    return out
