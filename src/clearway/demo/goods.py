"""The demo's reference table of goods (`data/goods.yaml`): what one unit of each HS
subheading weighs and is worth, how many units a goods item carries, where the goods come
from and in which currency their traders invoice.

The generator draws masses, quantities and values from it, the hidden rule of
`demo.outcomes` calls an item undervalued when its value per kg lies far below its heading's
range, and the tests check the table itself (every range sane, every currency with a rate).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

UNITS = ("kg", "item", "litre")
PRICE_SPREAD = 0.1  # how far a lot's price position may stray from its size position


@dataclass(frozen=True)
class Goods:
    hs6: str
    description: str
    unit: str  # kg | item | litre
    unit_mass: tuple[float, float]  # net kg per unit
    unit_value: tuple[float, float]  # EUR per unit
    quantity: tuple[int, int]  # units per goods item
    per_package: int  # units per package; 0: in bulk (one "package")
    package: str
    origins: tuple[str, ...]
    variants: tuple[str, ...] = ()  # other descriptions (brands, specifications)
    documents: tuple[str, ...] = ()  # certificates the goods usually travel with

    @property
    def kg_value(self) -> tuple[float, float]:
        """The range of EUR per kg net of regular lots. `draw` ties a lot's price position to
        its size position (a bigger car costs more) within PRICE_SPREAD; EUR per kg is then
        log-linear in both, so its ends lie at the corners of the positions' polygon."""
        corners = ((0, 0), (0, PRICE_SPREAD), (1 - PRICE_SPREAD, 1), (1, 1),
                   (1, 1 - PRICE_SPREAD), (PRICE_SPREAD, 0))
        ratios = [_between(self.unit_value, price) / _between(self.unit_mass, size)
                  for size, price in corners]
        return min(ratios), max(ratios)

    def draw(self, rng: random.Random) -> tuple[int, float, float]:
        """Units, net mass (kg) and value (EUR) of one regular goods item."""
        size = rng.random()  # where in the ranges this lot lies (small and cheap, or not)
        price = min(1.0, max(0.0, size + rng.uniform(-PRICE_SPREAD, PRICE_SPREAD)))
        units = max(1, round(_between(self.quantity, rng.random())))
        return units, units * _between(self.unit_mass, size), \
            units * _between(self.unit_value, price)


def _between(bounds: tuple[float, float], at: float) -> float:
    """A point between two positive bounds, evenly on a log scale (prices spread that way)."""
    low, high = bounds
    return math.exp(math.log(low) + at * (math.log(high) - math.log(low)))


@dataclass(frozen=True)
class GoodsTable:
    goods: tuple[Goods, ...]
    currencies: dict[str, dict[str, float]]  # origin (or "default") -> currency -> weight

    def by_hs6(self) -> dict[str, Goods]:
        return {g.hs6: g for g in self.goods}

    def currency(self, origin: str | None, rng: random.Random) -> str:
        """An invoice currency usual for goods from `origin`."""
        weights = self.currencies_of(origin)
        return rng.choices(list(weights), list(weights.values()))[0]

    def currencies_of(self, origin: str | None) -> dict[str, float]:
        return self.currencies.get(origin or "", self.currencies["default"])


def _goods(entry: dict[str, Any]) -> Goods:
    def pair(name: str) -> tuple[float, float]:
        low, high = entry[name]
        return float(low), float(high)

    low, high = entry["quantity"]
    return Goods(hs6=str(entry["hs6"]), description=entry["description"], unit=entry["unit"],
                 unit_mass=pair("unit_mass"), unit_value=pair("unit_value"),
                 quantity=(int(low), int(high)), per_package=int(entry["per_package"]),
                 package=entry["package"], origins=tuple(entry["origins"]),
                 variants=tuple(entry.get("variants", ())),
                 documents=tuple(entry.get("documents", ())))


def parse(text: str) -> GoodsTable:
    data = yaml.safe_load(text)
    return GoodsTable(goods=tuple(_goods(e) for e in data["goods"]),
                      currencies={str(k): {str(c): float(w) for c, w in v.items()}
                                  for k, v in data["currencies"].items()})


@cache
def goods_table() -> GoodsTable:
    """The packaged table (read once)."""
    text = resources.files("clearway.demo").joinpath("data").joinpath("goods.yaml").read_text(
        encoding="utf-8")
    return parse(text)
