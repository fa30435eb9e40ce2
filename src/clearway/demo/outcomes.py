"""What the demo's controls find: a hidden rule that the risk model can learn.

The engine never reads this module: it only sees the outcomes that officers record when they
end a control. Irregularity is more likely for some importers, for some goods from some
origins, for goods declared far below their usual value, and for importers never seen before;
each factor is independent evidence, `1 - prod(1 - p)`.
"""

from __future__ import annotations

import random
from decimal import Decimal

from clearway.declarations.model import Declaration, EntrySummaryDeclaration
from clearway.demo.generator import LINES
from clearway.refdata.model import RefDataSnapshot

BASE = 0.01
RISKY_IMPORTERS = {"RS103890124": 0.35, "RS101456782": 0.08}
RISKY_GOODS = {("610910", "CN"): 0.3, ("640399", "CN"): 0.25, ("401110", "CN"): 0.35,
               ("240220", "AE"): 0.4, ("420221", "CN"): 0.3}
UNDERVALUED_BELOW = 0.45  # declared unit value under this share of the line's usual one
UNDERVALUED = 0.6
NEW_IMPORTER = 0.1
ENS_IRREGULAR = 0.03
DUTY_AND_VAT = Decimal("0.35")  # share of an undervaluation that comes back as revenue
USUAL_UNIT_VALUE = {line.hs6: line.unit_value for line in LINES}


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
    """Whether an item is declared far below its usual value, and by how much (EUR)."""
    under, missing = False, Decimal(0)
    for item in doc.items:
        usual = USUAL_UNIT_VALUE.get(item.commodity_code or "")
        if usual is None or not item.net_mass:
            continue
        declared = _eur(item.item_price, item.item_price_currency, ref, doc)
        expected = item.net_mass * Decimal(str(usual))
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
