"""Traders' memberships of memoranda of understanding (MoU) with trade, as the engine reads
them: which MoUs a trader is a member of on a date. Handed to the engine with its knowledge
(`assess.Knowledge.memberships`), built by the composition root from the partnerships
register; the engine never looks a membership up itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Membership:
    """`trader_id` is a member of MoU `mou` from `valid_from` to `valid_to` (both days
    included; None: open-ended), within the MoU's own validity."""

    trader_id: str
    mou: str
    valid_from: date
    valid_to: date | None = None

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class Memberships:
    """Every membership, by trader."""

    def __init__(self, memberships: Iterable[Membership] = ()) -> None:
        self._by_trader: dict[str, list[Membership]] = {}
        for m in memberships:
            self._by_trader.setdefault(m.trader_id.strip(), []).append(m)

    def codes(self, trader_id: str | None, on: date) -> list[str]:
        """The codes of the MoUs `trader_id` is a member of on `on`, sorted."""
        if not trader_id:
            return []
        return sorted({m.mou for m in self._by_trader.get(trader_id.strip(), ())
                       if m.valid_on(on)})

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_trader.values())


NONE = Memberships()
