"""Valuation references from the system's own controls: only declarations controlled and
found regular count; the table is replaced whole; every rebuild is audited. Also the import
of a history file, the CLI and the read API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from clearway.app import create_app
from clearway.bootstrap import prepare
from clearway.clearance.lodging import submit
from clearway.clearance.officer_actions import officer_action
from clearway.cli.main import app as cli_app
from clearway.config import get_settings
from clearway.context import Context
from clearway.errors import ClearwayError
from clearway.identity import User
from clearway.risk.learning.mapping import parse_mapping
from clearway.storage.orm import AuditRow
from clearway.users.service import create_user
from clearway.valuation import repository
from clearway.valuation.service import import_observations, rebuild
from helpers import TRADER, import_doc, make_token


def user(ctx: Context, name: str, role: str, trader: str | None = None) -> User:
    with ctx.uow() as uow:
        found, _token = create_user(uow.session, name=name, role=role, trader_id=trader,
                                    now=ctx.clock.now(), ttl_days=30)
        uow.commit()
    return found


def lodge(ctx: Context, trader: User, n: int, shaver_price: float) -> str:
    """An import in EUR: 100 kg of shavers from CN at shaver_price, 50 kg of T-shirts from
    BD at 500 EUR (10 EUR/kg)."""
    doc = import_doc(lrn=f"LRN-VAL-{n}", invoice_currency="EUR",
                     invoice_amount=f"{shaver_price + 500:.2f}")
    doc["items"][0]["item_price"] = f"{shaver_price:.2f}"
    outcome = submit(ctx, json.dumps(doc).encode(), "application/json", trader)
    assert outcome.kind == "created", outcome.errors
    mrn = outcome.row.mrn
    assert mrn is not None
    return mrn


def control(ctx: Context, officer: User, mrn: str, outcome: str) -> None:
    """Start a control, then end it with its outcome (the officer's `release` with
    `outcome`: the event clearway.risk.learning.labels reads)."""
    officer_action(ctx, mrn, "start-control", None, officer)
    officer_action(ctx, mrn, "release", None, officer, outcome=outcome)


@pytest.fixture
def controlled(ctx: Context) -> Context:
    """Five regular controls (shavers at 10, 10, 11, 9, 12 EUR/kg), one irregular far below,
    one declaration never controlled."""
    prepare(ctx)
    ctx.settings.auto_release = False  # green declarations wait, so they can be controlled
    trader, officer = user(ctx, "t-val", "trader", TRADER), user(ctx, "o-val", "officer")
    for n, price in enumerate([1000.0, 1000.0, 1100.0, 900.0, 1200.0]):
        control(ctx, officer, lodge(ctx, trader, n, price), "regular")
    control(ctx, officer, lodge(ctx, trader, 10, 50.0), "irregular")
    lodge(ctx, trader, 11, 10.0)
    return ctx


def window(ctx: Context) -> dict[str, Any]:
    today = ctx.clock.now().date()
    return {"start": today - timedelta(days=365), "end": today}


def stored(ctx: Context) -> dict[tuple[str, str | None], dict[str, Any]]:
    with ctx.uow(read_only=True) as uow:
        refs = repository.all_references(uow.session)
    return {(r["hs6"], r["origin_country"]): r for r in refs.iter_rows(named=True)}


def test_rebuild_counts_only_regular_controls(controlled: Context) -> None:
    summary = rebuild(controlled, **window(controlled), actor="risk_analyst:r1")
    assert (summary.declarations, summary.observations) == (5, 10)
    assert (summary.references, summary.hs6) == (4, 2)
    refs = stored(controlled)
    assert set(refs) == {("851010", "CN"), ("851010", None), ("610910", "BD"),
                         ("610910", None)}
    shavers = refs[("851010", "CN")]
    assert shavers["centre"] == pytest.approx(10.0)  # the irregular 0.5 EUR/kg is not in it
    assert shavers["observations"] == 5
    assert refs[("610910", "BD")]["spread"] == pytest.approx(0.05)  # identical: the floor
    with controlled.uow(read_only=True) as uow:
        audit = uow.session.execute(select(AuditRow).where(
            AuditRow.action == "valuation.rebuild")).scalars().all()
        lookup = repository.load_references(uow.session)
    assert [(a.actor, a.detail["references"]) for a in audit] == [("risk_analyst:r1", 4)]
    assert lookup.filter(pl.col("origin_country").is_null()).height == 2
    assert set(lookup.columns) >= {"hs6", "origin_country", "reference_unit_value",
                                   "reference_spread"}


def test_a_rebuild_replaces_the_whole_table(controlled: Context) -> None:
    rebuild(controlled, **window(controlled))
    with controlled.uow(read_only=True) as uow:
        before = repository.signature(uow.session)
    summary = rebuild(controlled, **window(controlled), min_observations=6)
    assert summary.references == 0 and stored(controlled) == {}
    with controlled.uow(read_only=True) as uow:
        assert repository.signature(uow.session) == (0, None) != before


def test_controls_outside_the_period_do_not_count(controlled: Context) -> None:
    today = controlled.clock.now().date()
    summary = rebuild(controlled, start=today - timedelta(days=30),
                      end=today - timedelta(days=1))
    assert (summary.declarations, summary.references) == (0, 0)


@pytest.mark.parametrize(("swap", "minimum", "message"), [
    (False, 0, "at least 1"), (True, 5, "after it ends")])
def test_bad_rebuild_input_is_a_coded_error(ctx: Context, swap: bool, minimum: int,
                                            message: str) -> None:
    period = window(ctx)
    if swap:
        period = {"start": period["end"], "end": period["start"]}
    with pytest.raises(ClearwayError, match=message) as caught:
        rebuild(ctx, **period, min_observations=minimum)
    assert caught.value.code == "CW-VALUATION-INPUT" and caught.value.status == 422


MAPPING = parse_mapping({"columns": {
    "date": "Date", "commodity_code": "HS", "origin_country": "Origin", "net_mass": "Mass",
    "value": "Price", "label_irregular": {"column": "Fraud", "op": ">", "value": 0}}})


def test_import_seeds_references_from_regular_history_rows(ctx: Context) -> None:
    prepare(ctx)
    rows = [("2020-03-01", "6109100010", "CN", "10", "200", "0")] * 5
    rows += [("2020-03-02", "6109100010", "CN", "10", "1", "1")] * 5  # irregular: left out
    rows += [("2020-03-03", "6109100010", "CN", "0", "5", "0")]       # no mass: no value
    frame = MAPPING.apply(pl.DataFrame(rows, orient="row", schema=[
        "Date", "HS", "Origin", "Mass", "Price", "Fraud"]))
    summary = import_observations(ctx, frame, actor="cli", value_factor=0.5)
    assert (summary.declarations, summary.observations, summary.references) == (6, 5, 2)
    assert str(summary.period_from) == "2020-03-01"
    assert stored(ctx)[("610910", "CN")]["centre"] == pytest.approx(10.0)  # 200 x 0.5 / 10
    with pytest.raises(ClearwayError, match="regular"):
        import_observations(ctx, frame.filter(pl.col("label_irregular") == 1))


@pytest.fixture
def cli_env(ctx: Context, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    prepare(ctx)
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_cli_import_show_and_rebuild(cli_env: None, tmp_path: Path) -> None:
    data, mapping = tmp_path / "history.csv", tmp_path / "m.toml"
    data.write_text("Date,HS,Origin,Mass,Price,Fraud\n"
                    + "2021-01-04,851010,CN,2,30,0\n" * 5 + "2021-01-05,851010,VN,2,8,0\n")
    mapping.write_text('[columns]\ndate = "Date"\ncommodity_code = "HS"\n'
                       'origin_country = "Origin"\nnet_mass = "Mass"\nvalue = "Price"\n'
                       'label_irregular = { column = "Fraud", op = ">", value = 0 }\n')
    runner = CliRunner()
    done = runner.invoke(cli_app, ["valuation", "import", "--data", str(data),
                                   "--mapping", str(mapping)])
    assert done.exit_code == 0, done.output
    shown = runner.invoke(cli_app, ["valuation", "show", "851010", "--origin", "cn"])
    assert shown.exit_code == 0 and "15.0000" in shown.stdout and "all" in shown.stdout
    assert runner.invoke(cli_app, ["valuation", "show", "0101"]).exit_code == 1
    assert runner.invoke(cli_app, ["valuation", "show", "x1"]).exit_code == 2
    assert runner.invoke(cli_app, ["valuation", "rebuild", "--days", "30"]).exit_code == 0


def test_api_lists_references_to_staff(controlled: Context) -> None:
    rebuild(controlled, **window(controlled))
    token = make_token(controlled, "r-val", "risk_analyst")
    with TestClient(create_app(controlled), raise_server_exceptions=False) as client:
        got = client.get("/api/v1/valuation/references", params={"hs6": "8510", "origin": "cn"},
                         headers={"Authorization": f"Bearer {token}"})
        bad = client.get("/api/v1/valuation/references", params={"hs6": "85x"},
                         headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["total"] == 2
    assert [(r["hs6"], r["origin_country"]) for r in body["references"]] == [
        ("851010", None), ("851010", "CN")]
    assert bad.status_code == 422 and bad.json()["code"] == "CW-REQUEST-INVALID"
