"""A generator of realistic declarations for the demo feed, benchmarks and tests.

Deterministic for a given random generator. Goods come from a list of commonly traded
lines with typical unit values (so values look like trade, and later valuation checks have
something to find), completed with random HS 2022 subheadings from the reference data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from clearway.declarations.model import (
    Address,
    ConsignmentItem,
    ContainerUnit,
    Declaration,
    DeliveryTerms,
    Document,
    EntrySummaryDeclaration,
    GoodsItem,
    Offices,
    Package,
    Party,
    Procedure,
    Transport,
)
from clearway.refdata.model import RefDataSnapshot


@dataclass(frozen=True)
class Line:
    hs6: str
    description: str
    unit_value: float  # typical value per kg, in the invoice currency
    origins: tuple[str, ...]
    package: str


LINES = (
    Line("851010", "Electric shavers", 60.0, ("CN", "DE", "NL"), "CT"),
    Line("610910", "T-shirts of cotton, knitted", 18.0, ("BD", "TR", "CN", "IN"), "CT"),
    Line("640399", "Footwear with leather uppers", 35.0, ("IT", "VN", "CN", "TR"), "CT"),
    Line("847130", "Portable computers", 220.0, ("CN", "TW", "VN"), "CT"),
    Line("851713", "Smartphones", 400.0, ("CN", "VN", "KR", "IN"), "CT"),
    Line("870323", "Passenger cars, 1500-3000 cc", 12.0, ("DE", "JP", "KR", "FR"), "NE"),
    Line("220421", "Wine in containers of 2 l or less", 4.5, ("IT", "FR", "MK", "ES"), "CS"),
    Line("080390", "Bananas, fresh", 0.9, ("EC", "CO", "CR"), "BX"),
    Line("240220", "Cigarettes containing tobacco", 55.0, ("BG", "TR", "AE"), "CT"),
    Line("300490", "Medicaments in measured doses", 90.0, ("DE", "CH", "IN", "SI"), "BX"),
    Line("392690", "Articles of plastics", 6.0, ("CN", "TR", "PL"), "CT"),
    Line("732690", "Articles of iron or steel", 4.0, ("CN", "TR", "DE", "IT"), "PK"),
    Line("940360", "Wooden furniture", 5.5, ("CN", "BA", "PL", "VN"), "PK"),
    Line("420221", "Handbags with outer surface of leather", 120.0, ("IT", "FR", "CN"), "CT"),
    Line("950300", "Toys", 9.0, ("CN", "DK", "DE"), "CT"),
    Line("271019", "Medium oils and preparations", 0.8, ("RU", "AZ", "GR"), "VQ"),
    Line("100199", "Wheat", 0.25, ("UA", "HU", "RS"), "VY"),
    Line("030389", "Frozen fish", 3.2, ("NO", "MA", "VN"), "CT"),
    Line("401110", "New pneumatic tyres for cars", 5.0, ("CN", "DE", "TR", "RS"), "PK"),
    Line("854143", "Photovoltaic cells assembled in modules", 25.0, ("CN", "MY", "VN"), "PL"),
)
CURRENCIES = ("EUR", "EUR", "EUR", "USD", "USD", "GBP", "CHF", "TRY")
INCOTERMS = ("CIF", "FOB", "EXW", "DAP", "CFR", "FCA")
MODES = ("1", "1", "3", "3", "3", "4", "2")


class DeclarationGenerator:
    def __init__(self, ref: RefDataSnapshot, rng: random.Random, today: date,
                 country: str = "RS") -> None:
        self.ref, self.rng, self.today = ref, rng, today
        self.traders = [r["id"] for r in ref.rows("traders")
                        if ref.trader(r["id"], today) is not None]
        self.hs6 = [(r["code"], r["description"]) for r in ref.rows("hs_codes")
                    if len(r["code"]) == 6]
        self.offices = [r["code"] for r in ref.rows("offices")
                        if r["country"] == country and ref.office(r["code"], today) is not None]

    def _line(self) -> Line:
        if self.rng.random() < 0.75 or not self.hs6:
            return self.rng.choice(LINES)
        code, text = self.rng.choice(self.hs6)
        origin = self.rng.choice(("CN", "TR", "DE", "IT", "US", "IN", "GR", "BG"))
        return Line(code, text[:200], self.rng.uniform(1, 80), (origin,), "PK")

    def _party(self, trader: str | None = None) -> Party:
        return Party(id=trader or self.rng.choice(self.traders))

    def _foreign(self, country: str) -> Party:
        names = ("Trading", "Export", "Industries", "Manufacturing", "Logistics")
        return Party(name=f"{country} {self.rng.choice(names)} Co. {self.rng.randint(1, 999)}",
                     address=Address(street=f"{self.rng.randint(1, 200)} Harbour Road",
                                     city="Port", country=country))

    def item(self, sequence: int, currency: str) -> GoodsItem:
        line = self._line()
        net = Decimal(str(round(self.rng.lognormvariate(4.5, 1.2), 1))) + 1
        gross = (net * Decimal(str(round(self.rng.uniform(1.02, 1.25), 3)))).quantize(
            Decimal("0.1"))
        # Most traders declare near the typical value; a few declare far below it.
        factor = self.rng.lognormvariate(0, 0.25) * (0.2 if self.rng.random() < 0.05 else 1)
        price = (net * Decimal(str(line.unit_value * factor))).quantize(Decimal("0.01"))
        count = max(1, int(float(net) / self.rng.uniform(5, 40)))
        return GoodsItem(
            sequence=sequence, commodity_code=line.hs6, description=line.description,
            origin_country=self.rng.choice(line.origins),
            procedure=Procedure(requested="40", previous="00"),
            net_mass=net, gross_mass=gross, item_price=max(price, Decimal("1.00")),
            item_price_currency=currency,
            packages=[Package(kind=line.package, count=count,
                              marks=f"M{self.rng.randint(1000, 9999)}")],
            documents=[Document(code="N935", reference=f"INV-{self.rng.randint(1, 99999)}")],
        )

    def declaration(self, lrn: str, *, declarant: str | None = None,
                    items: int | None = None) -> Declaration:
        n = items or self.rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
        currency = self.rng.choice(CURRENCIES)
        goods = [self.item(i + 1, currency) for i in range(n)]
        who = self._party(declarant)
        dispatch = goods[0].origin_country or "CN"
        return Declaration(
            declaration_type="IM", additional_type="A", lrn=lrn, declaration_date=self.today,
            declarant=who, importer=who, exporter=self._foreign(dispatch),
            offices=Offices(lodgement=self.rng.choice(self.offices) if self.offices else None),
            transport=Transport(mode_at_border=self.rng.choice(MODES),
                                border_nationality=dispatch, container=True),
            delivery_terms=DeliveryTerms(incoterm=self.rng.choice(INCOTERMS)),
            invoice_currency=currency,
            invoice_amount=sum((g.item_price or Decimal(0) for g in goods), Decimal(0)),
            nature_of_transaction="11", dispatch_country=dispatch,
            total_packages=sum(p.count or 0 for g in goods for p in g.packages),
            item_count=n, items=goods,
        )

    def entry_summary(self, lrn: str, *, declarant: str | None = None) -> EntrySummaryDeclaration:
        who = self._party(declarant)
        lines = [self._line() for _ in range(self.rng.randint(1, 4))]
        loading = self.rng.choice(("CNSHA", "TRIST", "EGPSD", "SGSIN", "USNYC"))
        arrival = datetime.combine(self.today + timedelta(days=self.rng.randint(1, 20)),
                                   time(6, 0))
        container = ContainerUnit(number=f"MSCU{self.rng.randint(100000, 999999)}0",
                                  seals=[f"S{self.rng.randint(10000, 99999)}"])
        return EntrySummaryDeclaration(
            lrn=lrn, declaration_date=self.today, declarant=who, carrier=who,
            consignor=self._foreign(loading[:2]), consignee=self._party(),
            route_countries=[loading[:2], "GR"], place_of_loading=loading,
            place_of_unloading="GRPIR", expected_arrival=arrival,
            conveyance_reference=f"V{self.rng.randint(100, 999)}E", transport_mode="1",
            containers=[container],
            items=[ConsignmentItem(sequence=i + 1, description=line.description,
                                   hs6=line.hs6, gross_mass=Decimal(self.rng.randint(50, 9000)),
                                   packages=[Package(kind=line.package,
                                                     count=self.rng.randint(1, 200))],
                                   container_ids=[container.number])
                   for i, line in enumerate(lines)],
        )
