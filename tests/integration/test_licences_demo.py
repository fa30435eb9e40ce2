"""`make demo`'s licence register: the agencies' licences for the demo's traders, and the
AGRIM licence drawn down by the first trader's wheat import, accepted like any filing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from clearway.cli.support import CLI_USER
from clearway.demo.run import prepare_side
from clearway.licences import service


def test_demo_registers_licences_and_draws_one_down(tmp_path: Path) -> None:
    side = prepare_side(tmp_path / "demo.db", 0, "RS")
    found = {(lic.type, lic.agency): lic for lic in service.listing(side.ctx, CLI_USER)}
    assert set(found) == {("X002", "DUL"), ("C640", "VET"), ("L001", "AGR")}
    assert found["X002", "DUL"].holder == side.traders[2]
    agrim = found["L001", "AGR"]
    assert (agrim.holder, agrim.lines[0].remaining_quantity) == (side.traders[0],
                                                                 Decimal("480000"))
    _lic, write_offs = service.get(side.ctx, agrim.id or 0, CLI_USER)
    assert [(w.item, w.quantity, w.reversed_at) for w in write_offs] == [
        (1, Decimal("20000"), None)]
    side.ctx.engine.dispose()
