"""A generator of realistic declarations for the demo feed, benchmarks and tests.

Deterministic for a given random generator. Goods come from the demo's reference table
(`demo.goods`, `data/goods.yaml`): per HS subheading, the mass and value of one unit, the
quantities a goods item carries, the usual origins, and the currencies their traders invoice
in, so masses, quantities and values look like trade and valuation checks have something to
find (a few items are declared far below their heading's value range). Some descriptions
name brands (the demo's IPR applications look for them), some foreign exporters are named
companies (a few of them on the demo's restricted-party list), and some imports are lodged
by the trader for another, new importer.
"""

from __future__ import annotations

import math
import random
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
from clearway.demo.goods import Goods, goods_table
from clearway.refdata.model import RefDataSnapshot

VARIANT_SHARE = 0.03  # items described by one of their goods' variants
DOCUMENT_SHARE = 0.8  # items that carry their goods' usual certificates
NAMED_SHARE = 0.1  # foreign parties that are named companies rather than generic ones
NEW_IMPORTER_SHARE = 0.08  # imports lodged for an importer never seen before
IDENTIFIED_CONSIGNOR_SHARE = 0.85  # ENS consignors given with their number
OWN_CONSIGNEE_SHARE = 0.7  # ENS whose consignee is the declarant itself
SAME_ORIGIN_SHARE = 0.7  # further items of a declaration from the first one's country
# Goods items per declaration, mostly one: the model learns per item from a declaration's
# outcome, and every further item of an irregular filing is a regular item labelled irregular.
ITEM_COUNTS = (1, 1, 1, 1, 1, 2, 2, 3, 4)
UNDERVALUED_SHARE = 0.06  # items declared far below their heading's value range ...
UNDERVALUED_AT = (0.12, 0.45)  # ... at this share of its lowest value per kg

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
INCOTERMS = ("CIF", "FOB", "EXW", "DAP", "CFR", "FCA")
MODES = ("1", "1", "3", "3", "3", "4", "2")
BULK_MODES = ("1", "2")


class DeclarationGenerator:
    def __init__(self, ref: RefDataSnapshot, rng: random.Random, today: date,
                 country: str = "RS") -> None:
        self.ref, self.rng, self.today = ref, rng, today
        self.table = goods_table()
        self.traders = [r["id"] for r in ref.rows("traders")
                        if ref.trader(r["id"], today) is not None]
        self.offices = [r["code"] for r in ref.rows("offices")
                        if r["country"] == country and ref.office(r["code"], today) is not None]

    def _goods(self, origin: str | None = None) -> Goods:
        """Any goods of the table; mostly goods that come from `origin`, when given."""
        usual = [g for g in self.table.goods if origin in g.origins]
        if usual and self.rng.random() < SAME_ORIGIN_SHARE:
            return self.rng.choice(usual)
        return self.rng.choice(self.table.goods)

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

    def item(self, sequence: int, currency: str, goods: Goods | None = None,
             origin: str | None = None) -> GoodsItem:
        goods = goods or self._goods()
        units, net, value = goods.draw(self.rng)
        # Most traders declare what the goods are worth; a few declare far below it.
        if self.rng.random() < UNDERVALUED_SHARE:
            value = net * goods.kg_value[0] * self.rng.uniform(*UNDERVALUED_AT)
        rate = float(self.ref.rate(currency, self.today) or 1)  # EUR per unit of currency
        price = Decimal(str(round(value / rate, 2)))
        net_mass = max(Decimal("0.1"), Decimal(str(round(net, 1))))
        loose = (1.0, 1.01) if goods.per_package == 0 else (1.03, 1.2)  # bulk: no packing
        gross = max(net_mass, (net_mass * Decimal(str(round(self.rng.uniform(*loose), 3))))
                    .quantize(Decimal("0.1")))
        count = 1 if goods.per_package == 0 else math.ceil(units / goods.per_package)
        description = goods.description
        if goods.variants and self.rng.random() < VARIANT_SHARE:
            description = self.rng.choice(goods.variants)
        documents = [Document(code="N935", reference=f"INV-{self.rng.randint(1, 99999)}")]
        if goods.documents and self.rng.random() < DOCUMENT_SHARE:
            documents += [Document(code=code, reference=f"{code}-{self.rng.randint(1, 99999)}")
                          for code in goods.documents]
        return GoodsItem(
            sequence=sequence, commodity_code=goods.hs6, description=description,
            origin_country=origin or self.rng.choice(goods.origins),
            procedure=Procedure(requested="40", previous="00"),
            net_mass=net_mass, gross_mass=gross, item_price=max(price, Decimal("1.00")),
            item_price_currency=currency,
            supplementary_units=None if goods.unit == "kg" else Decimal(units),
            packages=[Package(kind=goods.package, count=count,
                              marks=f"M{self.rng.randint(1000, 9999)}")],
            documents=documents,
        )

    def declaration(self, lrn: str, *, declarant: str | None = None,
                    items: int | None = None) -> Declaration:
        n = items or self.rng.choice(ITEM_COUNTS)
        first = self._goods()
        origin = self.rng.choice(first.origins)  # the exporter's country
        currency = self.table.currency(origin, self.rng)
        lines = [first, *(self._goods(origin) for _ in range(n - 1))]
        goods = [self.item(i + 1, currency, line, origin if origin in line.origins else None)
                 for i, line in enumerate(lines)]
        who = self._party(declarant)
        importer = who
        if self.rng.random() < NEW_IMPORTER_SHARE:  # lodged for a first-time importer
            # another registered trader (an importer needs an EORI in the register, as the
            # declarant does); one draw of the generator, as before, so streams stay alike
            others = [t for t in self.traders if t != who.id] or [str(who.id)]
            importer = Party(id=others[self.rng.randint(110_000_000, 199_999_999) % len(others)])
        dispatch = goods[0].origin_country or "CN"
        bulk = first.per_package == 0  # wheat, oil: by ship or rail, not in containers
        return Declaration(
            declaration_type="IM", additional_type="A", lrn=lrn, declaration_date=self.today,
            declarant=who, importer=importer, exporter=self._foreign(dispatch),
            offices=Offices(lodgement=self.rng.choice(self.offices) if self.offices else None),
            transport=Transport(mode_at_border=self.rng.choice(BULK_MODES if bulk else MODES),
                                border_nationality=dispatch, container=not bulk),
            delivery_terms=DeliveryTerms(incoterm=self.rng.choice(INCOTERMS)),
            invoice_currency=currency,
            invoice_amount=sum((g.item_price or Decimal(0) for g in goods), Decimal(0)),
            nature_of_transaction="11", dispatch_country=dispatch,
            total_packages=sum(p.count or 0 for g in goods for p in g.packages),
            item_count=n, items=goods,
        )

    def entry_summary(self, lrn: str, *, declarant: str | None = None) -> EntrySummaryDeclaration:
        who = self._party(declarant)
        lines = [self._goods() for _ in range(self.rng.randint(1, 4))]
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
                                   hs6=line.hs6, gross_mass=Decimal(
                                       max(1, round(line.draw(self.rng)[1] * 1.1))),
                                   packages=[Package(kind=line.package,
                                                     count=self.rng.randint(1, 200))],
                                   container_ids=[container.number])
                   for i, line in enumerate(lines)],
        )
