"""`make demo`'s region, without the servers: two administrations prepared and connected as
the operator commands connect them, and the export that left 30 hours ago announced to the
neighbour with its exit record overdue, ready for both sides' sweeps."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from clearway.demo.region import connect, past_export, pseudonym_keys
from clearway.demo.run import prepare_side
from clearway.exchange import service as exchange
from clearway.prearrival import exits
from clearway.storage.orm_exchange import OutboxRow
from clearway.storage.orm_prearrival import ExitRecordRow


def test_two_demo_administrations_connect_and_the_past_export_is_overdue(
        tmp_path: Path) -> None:
    keys = pseudonym_keys(tmp_path)
    home = prepare_side(tmp_path / "demo.db", 0, "RS", pseudonym_keys_file=str(keys))
    partner = prepare_side(tmp_path / "demo-mk.db", 0, "MK", pseudonym_keys_file=str(keys),
                           secret_key=f"{home.ctx.settings.secret_key}:MK")
    home.url, partner.url = "http://127.0.0.1:8000", "http://127.0.0.1:8001"

    connect(home, partner)
    mrn = past_export(home, partner)

    assert [p.code for p in exchange.list_partners(home.ctx)] == ["MK"]
    assert [p.code for p in exchange.list_partners(partner.ctx)] == ["RS"]
    assert {"liaison-mk", "dpo", "officer"} <= set(home.users)
    assert mrn is not None
    with home.ctx.uow(read_only=True) as uow:
        (sent,) = uow.session.scalars(select(OutboxRow))
        (record,) = uow.session.scalars(select(ExitRecordRow))
    assert (sent.to_party, sent.action, record.mrn) == ("MK", "anticipated-arrival", mrn)
    assert exits.sweep_unconfirmed(home.ctx) == 1  # left 30 hours ago: past its 24 hours
