"""What the demo's controls find: a hidden rule that the risk model can learn.

The engine never reads this module: it only sees the outcomes that officers record when they
end a control. Irregularity is more likely for some importers, for some goods from some
origins, for goods declared far below their heading's value range (`demo.goods`), and for
imports lodged for another, new importer; each factor is independent evidence,
`1 - prod(1 - p)`. Every factor is something the risk model sees (the importer's and the
goods' past outcomes, the origin, the value per kg against the heading's past median, the
importer's and the declarant-importer pair's past filings), so a model trained on the demo's
control outcomes can learn the rule; the chances are strong enough for it to show in a few
hundred outcomes.
"""

from __future__ import annotations

import random
from decimal import Decimal

from clearway.declarations.model import Declaration, EntrySummaryDeclaration
from clearway.demo.goods import goods_table
from clearway.refdata.model import RefDataSnapshot

BASE = 0.005
RISKY_IMPORTERS = {"RS103890124": 0.7, "RS101456782": 0.2}
RISKY_GOODS = {("610910", "CN"): 0.75, ("640399", "CN"): 0.7, ("401110", "CN"): 0.75,
               ("240220", "AE"): 0.85, ("420221", "CN"): 0.7, ("620342", "PK"): 0.7}
UNDERVALUED_BELOW = 0.6  # value per kg under this share of the heading's lowest regular one
UNDERVALUED = 0.85
NEW_IMPORTER = 0.5
ENS_IRREGULAR = 0.03
DUTY_AND_VAT = Decimal("0.35")  # share of an undervaluation that comes back as revenue


def _combine(chances: list[float]) -> float:
    rest = 1.0
    for p in chances:
        rest *= 1.0 - p
    return 1.0 - rest


def _eur(amount: Decimal | None, currency: str | None, ref: RefDataSnapshot,
         doc: Declaration) -> Decimal:
    if amount is None or doc.declaration_date is None:
        return Decimal(0)
    rate = ref.rate(currency or "EUR", doc.declaration_date) or Decimal(1)
    return amount * rate


def _shortfall(doc: Declaration, ref: RefDataSnapshot) -> tuple[bool, Decimal]:
    """Whether an item is declared far below its heading's value range, and by how much
    (EUR, against the lowest regular value per kg)."""
    under, missing = False, Decimal(0)
    table = goods_table().by_hs6()
    for item in doc.items:
        goods = table.get(item.commodity_code or "")
        if goods is None or not item.net_mass:
            continue
        declared = _eur(item.item_price, item.item_price_currency, ref, doc)
        expected = item.net_mass * Decimal(str(goods.kg_value[0]))
        if declared < expected * Decimal(str(UNDERVALUED_BELOW)):
            under, missing = True, missing + expected - declared
    return under, missing


def irregular_chance(doc: Declaration | EntrySummaryDeclaration, ref: RefDataSnapshot) -> float:
    """The probability that a control of this declaration finds it irregular."""
    if isinstance(doc, EntrySummaryDeclaration):
        return ENS_IRREGULAR
    chances = [BASE]
    importer = doc.importer.id if doc.importer else None
    chances.append(RISKY_IMPORTERS.get(importer or "", 0.0))
    if importer and importer != doc.declarant.id:
        chances.append(NEW_IMPORTER)
    chances += [RISKY_GOODS.get((i.commodity_code or "", i.origin_country or ""), 0.0)
                for i in doc.items]
    if _shortfall(doc, ref)[0]:
        chances.append(UNDERVALUED)
    return _combine(chances)


def control_outcome(doc: Declaration | EntrySummaryDeclaration, ref: RefDataSnapshot,
                    rng: random.Random) -> tuple[str, Decimal]:
    """What a control finds: ("regular", 0) or ("irregular", the revenue assessed in EUR)."""
    if rng.random() >= irregular_chance(doc, ref):
        return "regular", Decimal("0.00")
    if isinstance(doc, EntrySummaryDeclaration):
        return "irregular", Decimal("0.00")
    under, missing = _shortfall(doc, ref)
    if under:
        revenue = missing * DUTY_AND_VAT
    else:  # misclassification or false origin: a share of the declared value
        declared = sum((_eur(i.item_price, i.item_price_currency, ref, doc) for i in doc.items),
                       Decimal(0))
        revenue = declared * Decimal(str(round(rng.uniform(0.02, 0.1), 3)))
    return "irregular", max(revenue, Decimal(50)).quantize(Decimal("0.01"))
