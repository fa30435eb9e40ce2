"""A generator of realistic declarations for the demo feed, benchmarks and tests.

Deterministic for a given random generator. Goods come from a list of commonly traded
lines with typical unit values (so values look like trade, and later valuation checks have
something to find), completed with random HS 2022 subheadings from the reference data. Some
descriptions name brands (the demo's IPR applications look for them), some foreign exporters
are named companies (a few of them on the demo's restricted-party list), and some imports are
lodged by the trader for another, new importer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from clearway.declarations.codelists import container_check_digit
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
    unit_value: float  # typical value per kg, in EUR (converted to the invoice currency)
    origins: tuple[str, ...]
    package: str
    variants: tuple[str, ...] = ()  # other descriptions (brands, specifications), now and then
    documents: tuple[str, ...] = ()  # certificates the goods usually travel with


VARIANT_SHARE = 0.03  # items described by one of their line's variants
DOCUMENT_SHARE = 0.8  # items that carry their line's usual certificates
NAMED_SHARE = 0.1  # foreign parties that are named companies rather than generic ones
NEW_IMPORTER_SHARE = 0.08  # imports lodged for an importer never seen before
IDENTIFIED_CONSIGNOR_SHARE = 0.85  # ENS consignors given with their number
OWN_CONSIGNEE_SHARE = 0.7  # ENS whose consignee is the declarant itself


LINES = (
    Line("851010", "Electric shavers", 60.0, ("CN", "DE", "NL"), "CT"),
    Line("610910", "T-shirts of cotton, knitted", 18.0, ("BD", "TR", "CN", "IN"), "CT",
         ("T-shirts of cotton, knitted, Velotrax print", "Cotton T-shirts, VTX Runner logo")),
    Line("640399", "Footwear with leather uppers", 35.0, ("IT", "VN", "CN", "TR"), "CT",
         ("Velotrax running shoes, leather uppers",)),
    Line("847130", "Portable computers", 220.0, ("CN", "TW", "VN"), "CT"),
    Line("851713", "Smartphones", 400.0, ("CN", "VN", "KR", "IN"), "CT",
         ("Smartphones Zentrix Z9, 128 GB",)),
    Line("870323", "Passenger cars, 1500-3000 cc", 12.0, ("DE", "JP", "KR", "FR"), "NE"),
    Line("220421", "Wine in containers of 2 l or less", 4.5, ("IT", "FR", "MK", "ES"), "CS"),
    Line("080390", "Bananas, fresh", 0.9, ("EC", "CO", "CR"), "BX"),
    Line("240220", "Cigarettes containing tobacco", 55.0, ("BG", "TR", "AE"), "CT"),
    Line("300490", "Medicaments in measured doses", 90.0, ("DE", "CH", "IN", "SI"), "BX",
         ("Cardiovex 10 mg tablets, in blister packs",), ("N852",)),
    Line("392690", "Articles of plastics", 6.0, ("CN", "TR", "PL"), "CT"),
    Line("732690", "Articles of iron or steel", 4.0, ("CN", "TR", "DE", "IT"), "PK"),
    Line("940360", "Wooden furniture", 5.5, ("CN", "BA", "PL", "VN"), "PK"),
    Line("420221", "Handbags with outer surface of leather", 120.0, ("IT", "FR", "CN"), "CT",
         ("Leather handbags, Lumenne monogram",)),
    Line("950300", "Toys", 9.0, ("CN", "DK", "DE"), "CT"),
    Line("271019", "Medium oils and preparations", 0.8, ("RU", "AZ", "GR"), "VQ"),
    Line("100199", "Wheat", 0.25, ("UA", "HU", "RS"), "VY"),
    Line("030389", "Frozen fish", 3.2, ("NO", "MA", "VN"), "CT"),
    Line("401110", "New pneumatic tyres for cars", 5.0, ("CN", "DE", "TR", "RS"), "PK"),
    Line("854143", "Photovoltaic cells assembled in modules", 25.0, ("CN", "MY", "VN"), "PL"),
    Line("841370", "Centrifugal pumps", 30.0, ("DE", "IT", "CN", "IN"), "PK",
         ("Centrifugal pumps, corrosion-resistant, for acids",
          "Magnetic drive pumps for chemical processing")),
)
# Named foreign companies (fictitious) by country; the demo's restricted-party list holds a
# few of them, some in another spelling or script.
NAMED_COMPANIES = {
    "CN": ("Shenzhen Huaxin Precision Technology Co., Ltd.", "Ningbo Ocean Textile Co., Ltd.",
           "Qingdao Roadmaster Tyre Co., Ltd.", "Guangzhou Pearl River Electronics Co.",
           "Yiwu Sunrise Commodities Co., Ltd.", "Xiamen Golden Leaf Trading Co."),
    # Turkish spellings on purpose (dotless i): screening folds them.
    "TR": ("Anatolya Tekstil Dış Ticaret A.Ş.", "Bursa Oto Lastik San. A.Ş.",  # noqa: RUF001
           "Ege Gıda İhracat Ltd. Şti."),  # noqa: RUF001
    "RU": ("Severny Put Export LLC", "Volga Petrochem Trading LLC"),
    "AE": ("Gulf Star General Trading FZE", "Jebel Ali Tobacco Distributors LLC"),
    "IN": ("Mumbai Generic Pharma Pvt. Ltd.", "Tiruppur Knit Exports Pvt. Ltd."),
    "DE": ("Rheinland Maschinenbau GmbH", "Hansa Pumpen GmbH"),
}
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
        named = NAMED_COMPANIES.get(country)
        if named and self.rng.random() < NAMED_SHARE:
            name = self.rng.choice(named)
        else:
            name = f"{country} {self.rng.choice(names)} Co. {self.rng.randint(1, 999)}"
        return Party(name=name,
                     address=Address(street=f"{self.rng.randint(1, 200)} Harbour Road",
                                     city="Port", country=country))

    def item(self, sequence: int, currency: str) -> GoodsItem:
        line = self._line()
        net = Decimal(str(round(self.rng.lognormvariate(4.5, 1.2), 1))) + 1
        gross = (net * Decimal(str(round(self.rng.uniform(1.02, 1.25), 3)))).quantize(
            Decimal("0.1"))
        # Most traders declare near the typical value; a few declare far below it.
        factor = self.rng.lognormvariate(0, 0.25) * (0.2 if self.rng.random() < 0.05 else 1)
        rate = float(self.ref.rate(currency, self.today) or 1)  # EUR per unit of currency
        price = (net * Decimal(str(line.unit_value * factor / rate))).quantize(Decimal("0.01"))
        count = max(1, int(float(net) / self.rng.uniform(5, 40)))
        description = line.description
        if line.variants and self.rng.random() < VARIANT_SHARE:
            description = self.rng.choice(line.variants)
        documents = [Document(code="N935", reference=f"INV-{self.rng.randint(1, 99999)}")]
        if line.documents and self.rng.random() < DOCUMENT_SHARE:
            documents += [Document(code=code, reference=f"{code}-{self.rng.randint(1, 99999)}")
                          for code in line.documents]
        return GoodsItem(
            sequence=sequence, commodity_code=line.hs6, description=description,
            origin_country=self.rng.choice(line.origins),
            procedure=Procedure(requested="40", previous="00"),
            net_mass=net, gross_mass=gross, item_price=max(price, Decimal("1.00")),
            item_price_currency=currency,
            packages=[Package(kind=line.package, count=count,
                              marks=f"M{self.rng.randint(1000, 9999)}")],
            documents=documents,
        )

    def declaration(self, lrn: str, *, declarant: str | None = None,
                    items: int | None = None) -> Declaration:
        n = items or self.rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
        currency = self.rng.choice(CURRENCIES)
        goods = [self.item(i + 1, currency) for i in range(n)]
        who = self._party(declarant)
        importer = who
        if self.rng.random() < NEW_IMPORTER_SHARE:  # lodged for a first-time importer
            # another registered trader (an importer needs an EORI in the register, as the
            # declarant does); one draw of the generator, as before, so streams stay alike
            others = [t for t in self.traders if t != who.id] or [str(who.id)]
            importer = Party(id=others[self.rng.randint(110_000_000, 199_999_999) % len(others)])
        dispatch = goods[0].origin_country or "CN"
        return Declaration(
            declaration_type="IM", additional_type="A", lrn=lrn, declaration_date=self.today,
            declarant=who, importer=importer, exporter=self._foreign(dispatch),
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
        serial = f"MSCU{self.rng.randint(100000, 999999)}"
        container = ContainerUnit(number=serial + container_check_digit(serial),
                                  seals=[f"S{self.rng.randint(10000, 99999)}"])
        consignor = self._foreign(loading[:2])
        if self.rng.random() < IDENTIFIED_CONSIGNOR_SHARE:  # its EORI-style number abroad
            consignor.id = f"{loading[:2]}{self.rng.randint(10**9, 10**10 - 1)}"
        # Carriers mostly bring goods for their own customers, now and then for anyone.
        consignee = who if self.rng.random() < OWN_CONSIGNEE_SHARE else self._party()
        return EntrySummaryDeclaration(
            lrn=lrn, declaration_date=self.today, declarant=who, carrier=who,
            consignor=consignor, consignee=consignee,
            route_countries=[loading[:2], "GR"], place_of_loading=loading,
            place_of_unloading="GRPIR", expected_arrival=arrival,
            conveyance_reference=f"V{self.rng.randint(100, 999)}E", transport_mode="1",
            # the office of first entry: where its control task is worked (none: it waits)
            offices=Offices(first_entry=self.rng.choice(self.offices) if self.offices else None),
            containers=[container],
            items=[ConsignmentItem(sequence=i + 1, description=line.description,
                                   hs6=line.hs6, gross_mass=Decimal(self.rng.randint(50, 9000)),
                                   packages=[Package(kind=line.package,
                                                     count=self.rng.randint(1, 200))],
                                   container_ids=[container.number])
                   for i, line in enumerate(lines)],
        )
