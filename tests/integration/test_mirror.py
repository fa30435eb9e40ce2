"""Mirror analysis between two installations over real HTTP: RS sends its November exports to
MK by HS6 (no trader data), MK stores them, compares them with its imports from RS and ranks
the planted gap first with both sides' figures; an analyst promotes the gap's unit value to a
valuation reference that the risk engine then applies. Junk payloads are refused with nothing
stored; a later message for the same month replaces the rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clearance.lodging import submit
from clearway.cli.main import app as cli_app
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.exchange import signing
from clearway.exchange.delivery import deliver_once
from clearway.identity import User
from clearway.mirror.service import gap_list, promote_gap, send_aggregates
from clearway.storage.orm import AuditRow
from clearway.storage.orm_exchange import InboxRow
from clearway.storage.orm_mirror import MirrorPartnerExportRow, MirrorPartnerPeriodRow
from clearway.storage.orm_risk import RiskDecisionRow
from clearway.users.service import create_user
from clearway.valuation import repository as valuation_repo
from conftest import NOW
from exchange_world import INBOX, Pair, envelope, open_pair
from helpers import TRADER, import_doc, make_token

PERIOD = "2026-11"  # NOW is 2026-11-20


@pytest.fixture
def pair(db_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Pair]:
    # No random selection: every declaration here is released at once (green).
    for world in open_pair(db_url, tmp_path, sqlite_template, NOW, random_share=0.0):
        prepare(world.rs.ctx)
        prepare(world.mk.ctx)
        yield world


def user(ctx: Context, name: str, role: str, trader: str | None = None) -> User:
    with ctx.uow() as uow:
        found, _token = create_user(uow.session, name=name, role=role, trader_id=trader,
                                    now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return found


def goods(hs: str, kg: int, eur: int, origin: str = "RS") -> dict[str, Any]:
    return {"commodity_code": hs, "description": f"goods {hs}", "origin_country": origin,
            "procedure": {"requested": "10", "previous": "00"}, "net_mass": str(kg),
            "gross_mass": str(kg + 5), "item_price": f"{eur}.00",
            "packages": [{"kind": "CT", "count": 1}]}


def lodge(ctx: Context, trader: User, lrn: str, kind: str, partner: str,
          *lines: dict[str, Any]) -> int:
    """A declaration in EUR, lodged and (green) released; returns its id."""
    items = [{"sequence": n, **line} for n, line in enumerate(lines, 1)]
    total = sum(float(i["item_price"]) for i in items)
    country = ({"destination_country": partner, "exporter": {"id": TRADER}, "importer": None}
               if kind == "EX" else {"dispatch_country": partner})
    doc = import_doc(lrn=lrn, declaration_type=kind, invoice_currency="EUR",
                     invoice_amount=f"{total:.2f}", item_count=len(items), items=items,
                     total_packages=len(items), **country)
    outcome = submit(ctx, json.dumps(doc).encode(), "application/json", trader)
    assert outcome.kind == "created", outcome.errors
    assert outcome.row.status == "released", (lrn, outcome.row.status)
    return int(outcome.row.id)


@pytest.fixture
def exchanged(pair: Pair) -> Pair:
    """RS exported to MK in November: shavers 10,000 EUR / 100 kg over two filings,
    T-shirts 2,000 EUR / 200 kg; one export went to DE. RS sends; MK receives."""
    rs_trader = user(pair.rs.ctx, "t-rs", "trader", TRADER)
    lodge(pair.rs.ctx, rs_trader, "RS-EX-1", "EX", "MK", goods("851010", 60, 6000),
          goods("610910", 200, 2000))
    lodge(pair.rs.ctx, rs_trader, "RS-EX-2", "EX", "MK", goods("851010", 40, 4000))
    lodge(pair.rs.ctx, rs_trader, "RS-EX-3", "EX", "DE", goods("851010", 999, 99_999))
    sent = send_aggregates(pair.rs.ctx, "MK", PERIOD, actor="administrator:test")
    assert (sent.rows, sent.value_eur) == (2, 12_000.0)
    assert deliver_once(pair.rs.ctx).delivered == 1
    return pair


def test_the_partner_receives_hs6_aggregates_and_no_trader_data(exchanged: Pair) -> None:
    with exchanged.mk.ctx.uow(read_only=True) as uow:
        (message,) = uow.session.execute(select(InboxRow)).scalars()
        stored = {r.hs6: (r.value_eur, r.mass_kg, r.count) for r in
                  uow.session.execute(select(MirrorPartnerExportRow)).scalars()}
    assert message.action == "mirror-aggregates" and message.purpose == "statistics"
    assert message.payload == {"period": PERIOD, "rows": [
        {"hs6": "610910", "value_eur": 2000.0, "mass_kg": 200.0, "count": 1},
        {"hs6": "851010", "value_eur": 10000.0, "mass_kg": 100.0, "count": 2}]}
    signed = json.dumps(signing.peek(message.token)[1])
    for trader_data in (TRADER, "goods 851010", "exporter", "importer", "name", "eori"):
        assert trader_data not in signed and trader_data not in json.dumps(message.payload)
    assert stored == {"610910": (2000.0, 200.0, 1), "851010": (10000.0, 100.0, 2)}
    assert exchanged.rs.count(AuditRow, action="mirror.sent") == 1
    assert exchanged.mk.count(AuditRow, action="mirror.received") == 1


def test_the_planted_gap_ranks_first_with_both_sides_and_becomes_a_reference(
        exchanged: Pair) -> None:
    mk = exchanged.mk.ctx
    mk_trader = user(mk, "t-mk", "trader", TRADER)
    # Shavers declared at 25 EUR/kg against the 100 EUR/kg they left RS at; T-shirts close.
    planted = lodge(mk, mk_trader, "MK-IM-1", "IM", "RS", goods("851010", 100, 2500),
                    goods("610910", 200, 1900))
    lodge(mk, mk_trader, "MK-IM-2", "IM", "CN", goods("851010", 50, 100))  # not from RS
    found = gap_list(mk, "RS", PERIOD, order="value", top=20)
    first = found.gaps.row(0, named=True)
    assert found.received is not None and found.received["rows"] == 2
    assert (first["hs6"], first["their_value_eur"], first["our_value_eur"],
            first["value_gap_eur"], first["their_unit_value"], first["our_unit_value"],
            first["unit_value_ratio"], first["their_count"], first["our_count"]) == (
        "851010", 10000.0, 2500.0, 7500.0, 100.0, 25.0, 4.0, 2, 1)
    assert gap_list(mk, "RS", PERIOD, order="unit_value").gaps["hs6"][0] == "851010"

    analyst = user(mk, "a-mk", "risk_analyst")
    before = _signature(mk)
    assert mk.risk.get().references is None  # no valuation reference yet
    promote_gap(mk, analyst, "RS", PERIOD, "851010", "RS exports at 4x our declared value")
    assert _signature(mk) != before
    with mk.uow(read_only=True) as uow:
        refs = valuation_repo.all_references(uow.session)
        (entry,) = uow.session.execute(select(AuditRow).where(
            AuditRow.action == "mirror.promoted")).scalars()
    (ref,) = refs.iter_rows(named=True)
    assert (ref["hs6"], ref["origin_country"], ref["centre"], ref["source"]) == (
        "851010", "RS", 100.0, "mirror:RS:2026-11")
    assert entry.actor == "risk_analyst:a-mk"
    assert entry.detail["figures"]["our_unit_value"] == 25.0
    references = mk.risk.get().references
    assert references is not None and references["hs6"].to_list() == ["851010"]

    # The engine's valuation rule set now flags shavers from RS declared far below it.
    cheap = lodge_low(mk, mk_trader)
    with mk.uow(read_only=True) as uow:
        decision = uow.session.get(RiskDecisionRow, cheap).decision
        earlier = uow.session.get(RiskDecisionRow, planted).decision
    assert "VAL-LOW-UNIT-VALUE" in json.dumps(decision)
    assert "VAL-LOW-UNIT-VALUE" not in json.dumps(earlier)  # decided before the reference


def lodge_low(ctx: Context, trader: User) -> int:
    """Shavers from RS at 5 EUR/kg (a twentieth of the reference): selected, so lodged
    without the release check of `lodge`."""
    doc = import_doc(lrn="MK-IM-LOW", invoice_currency="EUR", invoice_amount="500.00",
                     dispatch_country="RS", item_count=1, total_packages=1,
                     items=[{"sequence": 1, **goods("851010", 100, 500)}])
    outcome = submit(ctx, json.dumps(doc).encode(), "application/json", trader)
    assert outcome.kind == "created", outcome.errors
    return int(outcome.row.id)


def _signature(ctx: Context) -> Any:
    with ctx.uow(read_only=True) as uow:
        return valuation_repo.signature(uow.session)


def test_analysts_read_the_gaps_over_http_and_traders_may_not(exchanged: Pair) -> None:
    mk = exchanged.mk.ctx
    client = TestClient(create_app(mk), raise_server_exceptions=False)
    analyst, trader = make_token(mk, "a-http", "risk_analyst"), make_token(
        mk, "t-http", "trader", TRADER)
    url = f"/api/v1/mirror/gaps?partner=RS&period={PERIOD}&order=value&top=1"
    answer = client.get(url, headers={"Authorization": f"Bearer {analyst}"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [g["hs6"] for g in body["gaps"]] == ["851010"]
    assert body["gaps"][0]["missing"] == "our_imports"  # MK recorded no import from RS yet
    assert body["received"]["rows"] == 2
    refused = client.get(url, headers={"Authorization": f"Bearer {trader}"})
    assert (refused.status_code, refused.json()["code"]) == (403, "CW-FORBIDDEN")
    bad = client.get(url.replace(PERIOD, "2026-13"),
                     headers={"Authorization": f"Bearer {analyst}"})
    assert (bad.status_code, bad.json()["code"]) == (422, "CW-MIRROR-INPUT")
    client.cookies.set("cw_token", analyst)
    page = client.get(f"/console/mirror?partner=RS&period={PERIOD}")
    assert page.status_code == 200, page.text
    assert 'data-hs6="851010"' in page.text and "10000.00" in page.text
    assert 'href="/console/mirror"' in page.text  # the analyst's nav link
    client.cookies.set("cw_token", trader)
    assert client.get("/console/mirror").status_code == 403


def test_a_later_message_for_the_month_replaces_the_rows(exchanged: Pair) -> None:
    rs_trader = user(exchanged.rs.ctx, "t-rs2", "trader", TRADER)
    lodge(exchanged.rs.ctx, rs_trader, "RS-EX-4", "EX", "MK", goods("940360", 10, 300))
    exchanged.clock.advance(minutes=1)
    send_aggregates(exchanged.rs.ctx, "MK", PERIOD)
    assert deliver_once(exchanged.rs.ctx).delivered == 1
    with exchanged.mk.ctx.uow(read_only=True) as uow:
        hs6 = sorted(uow.session.execute(select(MirrorPartnerExportRow.hs6)).scalars())
        headers = uow.session.execute(select(func.count()).select_from(
            MirrorPartnerPeriodRow)).scalar_one()
    assert hs6 == ["610910", "851010", "940360"] and headers == 1


@pytest.mark.parametrize("payload", [
    {"period": PERIOD, "rows": [{"hs6": "851010", "value_eur": 1.0, "mass_kg": 1.0,
                                 "count": "many"}]},
    {"period": "November", "rows": []},
    {"rows": []},
])
def test_junk_aggregates_are_refused_and_nothing_is_stored(exchanged: Pair,
                                                           payload: dict[str, Any]) -> None:
    before = exchanged.mk.stored()
    token = signing.sign(envelope(NOW, action="mirror-aggregates", payload_type="mirror-aggregates",
                                  purpose="statistics"), payload, exchanged.rs.key, sent_at=NOW)
    answer = httpx.post(exchanged.mk.url + INBOX, content=token,
                        headers={"Content-Type": "application/jose"})
    assert (answer.status_code, answer.json()["code"]) == (422, "CW-EXCH-PAYLOAD")
    assert exchanged.mk.stored() == before
    assert exchanged.mk.count(MirrorPartnerExportRow) == 2


def test_nothing_is_sent_without_an_agreement_or_for_a_bad_month(pair: Pair) -> None:
    with pytest.raises(ClearwayError) as refused:
        send_aggregates(pair.rs.ctx, "AL", PERIOD)
    assert refused.value.code == "CW-EXCH-AGREEMENT-MISSING"
    with pytest.raises(ClearwayError) as refused:
        send_aggregates(pair.rs.ctx, "MK", "2026-13")
    assert refused.value.code == "CW-MIRROR-INPUT"
    assert pair.rs.outbox() == 0


def test_the_cli_sends_last_month_by_default_and_lists_the_gaps(
        pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("clearway.bootstrap.context", lambda: pair.rs.ctx)
    runner = CliRunner()
    sent = runner.invoke(cli_app, ["mirror", "send", "MK"])
    assert sent.exit_code == 0, sent.output
    assert "2026-10 to MK: 0 HS6 rows" in sent.output  # NOW is in November
    listed = runner.invoke(cli_app, ["mirror", "gaps", "MK", "--month", PERIOD])
    assert listed.exit_code == 0, listed.output
    assert "MK sent no aggregates for 2026-11" in listed.output
    assert pair.rs.outbox(to_party="MK", action="mirror-aggregates") == 1


def test_a_rebuild_keeps_promoted_references_it_does_not_cover(ctx: Context) -> None:
    day, now = NOW.date(), NOW
    with ctx.uow() as uow:
        for hs6 in ("851010", "610910"):
            valuation_repo.put_reference(
                uow.session, hs6=hs6, origin_country="RS", period_from=day, period_to=day,
                centre=100.0, spread=0.05, observations=2, computed_at=now,
                source="mirror:RS:2026-11")
        computed = pl.DataFrame({
            "hs6": ["851010", "851010"], "origin_country": ["RS", None],
            "period_from": [day, day], "period_to": [day, day], "centre": [40.0, 50.0],
            "spread": [0.1, 0.1], "observations": [5, 9]})
        assert valuation_repo.replace_all(uow.session, computed, now) == 2
        uow.commit()
    with ctx.uow(read_only=True) as uow:
        found = valuation_repo.all_references(uow.session)
    got = {(r["hs6"], r["origin_country"]): (r["centre"], r["source"])
           for r in found.iter_rows(named=True)}
    assert got == {("610910", "RS"): (100.0, "mirror:RS:2026-11"),
                   ("851010", None): (50.0, "controls"), ("851010", "RS"): (40.0, "controls")}
