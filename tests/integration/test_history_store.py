"""The model's history and the traders' records, read from stored declarations and outcomes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
import pytest
from alembic import command
from pydantic import TypeAdapter
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context
from clearway.declarations import repository as repo
from clearway.declarations.canonical import canonical_dict
from clearway.declarations.model import AnyDeclaration
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.frame import TraderRecord, flatten, trader_of
from clearway.risk.learning.history_store import history_frame, trader_records
from clearway.risk.learning.scoring import canonical_rows
from clearway.risk.trader_summary import rebuild
from clearway.storage.migrate import alembic_config, upgrade
from clearway.storage.orm_risk import TraderRecordRow
from helpers import import_doc

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UNTIL = T0 + timedelta(days=10)
IMPORTER, BROKER, EXPORTER, CONSIGNEE = "RS100000001", "RS100000002", "RS100000003", \
    "RS100000004"
ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyDeclaration)


def goods(*values: str) -> list[dict[str, Any]]:
    return [{"sequence": i + 1, "commodity_code": f"85101{i}", "description": "shavers",
             "origin_country": "CN", "net_mass": "10", "statistical_value": v,
             "duties": [{"tax_type": "A00", "rate": "4.5"}]} for i, v in enumerate(values)]


def ens(lrn: str, consignee: str | None) -> dict[str, Any]:
    return {"declaration_type": "ENS", "lrn": lrn, "declarant": {"id": BROKER},
            "consignee": {"id": consignee} if consignee else None,
            "items": [{"sequence": 1, "description": "parts", "hs6": "851010"}]}


# (lrn, document, days after T0, status, control outcome: (irregular, revenue, days) or None)
FILINGS: list[tuple[str, dict[str, Any], int, str, tuple[bool, str | None, int] | None]] = [
    ("A", import_doc(lrn="A", declarant={"id": BROKER}, importer={"id": IMPORTER},
                     items=goods("100.00", "300.00")), 0, "released", (True, "80.00", 1)),
    ("B", import_doc(lrn="B", declarant={"id": BROKER}, importer={"id": IMPORTER},
                     items=goods("50.00")), 2, "released", (False, None, 3)),
    ("C", import_doc(lrn="C", declarant={"id": BROKER}, importer={"id": IMPORTER},
                     items=goods("70.00")), 4, "released", (True, "5.00", 12)),
    ("D", import_doc(lrn="D", declarant={"id": BROKER}, importer={"id": IMPORTER},
                     items=goods("10.00")), 5, "rejected", None),
    ("E", import_doc(lrn="E", declarant={"id": BROKER}, importer={"id": IMPORTER},
                     items=goods("10.00")), 11, "accepted", None),
    ("F", import_doc(lrn="F", declaration_type="EX", declarant={"id": BROKER},
                     exporter={"id": EXPORTER}, importer=None, items=goods("20.00")), 3,
     "released", None),
    ("G", import_doc(lrn="G", declarant={"id": BROKER}, importer=None,
                     items=goods("30.00")), 6, "accepted", None),
    ("H", ens("H", CONSIGNEE), 1, "released", (True, None, 2)),
    ("I", ens("I", None), 7, "accepted", None),
]


def store(session: Session) -> dict[str, tuple[int, str | None]]:
    """The filings above, as the service stores them; lrn -> (row id, MRN)."""
    stored = {}
    for n, (lrn, data, days, status, outcome) in enumerate(FILINGS):
        doc = ADAPTER.validate_python(data)
        at = T0 + timedelta(days=days)
        row = repo.add(session, dict(
            mrn=None, lrn=lrn, declarant_id=doc.declarant.id, submitted_by=doc.declarant.id,
            declaration_type=doc.declaration_type, additional_type=None, status=status,
            version=1, format="json", content_hash=f"hash-{lrn}", office=None,
            item_count=len(doc.items), document=canonical_dict(doc), envelope={}, errors=[],
            created_at=at, updated_at=at), doc)
        assert row is not None
        if status != "rejected":
            row.mrn = f"26RS{n:014d}"
            repo.write_state(session, row)
        if outcome is not None:
            irregular, revenue, after = outcome
            repo.add_events(session, [repo.event(
                row, at=T0 + timedelta(days=after), kind="released", from_status="under_control",
                to_status="released", actor="officer",
                detail={"outcome": "irregular" if irregular else "regular", "revenue": revenue})])
        stored[lrn] = (row.id, row.mrn)
    return stored


@pytest.fixture
def filed(ctx: Context) -> dict[str, tuple[int, str | None]]:
    with ctx.uow() as uow:
        stored = store(uow.session)
        uow.commit()
    return stored


def test_history_rows_are_the_live_rows_of_accepted_goods_declarations(
        ctx: Context, filed: dict[str, tuple[int, str | None]]) -> None:
    with ctx.uow() as uow:
        rows = history_frame(uow.session, until=UNTIL)
    # before UNTIL, goods declarations, in the order they were accepted
    kept = sorted([f for f in FILINGS if f[0] in "ABCFG"], key=lambda f: f[2])
    docs = [ADAPTER.validate_python(f[1]) for f in kept]
    live = canonical_rows(flatten(docs, [(T0 + timedelta(days=f[2])).date() for f in kept],
                                  RefDataSnapshot({}), keys=[filed[f[0]][1] for f in kept]))
    assert rows.drop("label_irregular", "label_revenue").equals(live)
    by_id = {mrn: lrn for lrn, (_, mrn) in filed.items()}
    labels = [(by_id[d], irregular, revenue) for d, irregular, revenue in
              rows.select("declaration_id", "label_irregular", "label_revenue").iter_rows()]
    assert labels == [("A", 1, 40.0), ("A", 1, 40.0), ("B", 0, None), ("F", None, None),
                      ("C", None, None), ("G", None, None)]  # C's outcome comes after UNTIL


@pytest.mark.parametrize(("until_days", "types", "expected"), [
    (10, ("ENS",), ["H", "I"]), (3, ("IM", "EX"), ["A", "B"]), (0, ("IM",), []),
])
def test_history_keeps_the_types_and_dates_asked_for(
        ctx: Context, filed: dict[str, tuple[int, str | None]], until_days: int,
        types: tuple[str, ...], expected: list[str]) -> None:
    with ctx.uow() as uow:
        rows = history_frame(uow.session, until=T0 + timedelta(days=until_days),
                             declaration_types=types)
    by_id = {mrn: lrn for lrn, (_, mrn) in filed.items()}
    assert [by_id[d] for d in rows["declaration_id"].unique(maintain_order=True)] == expected
    assert rows.columns[-2:] == ["label_irregular", "label_revenue"]
    assert rows.schema["date"] == pl.Date


def python_records(until: datetime) -> dict[str, TraderRecord]:
    """The same records counted in Python over the filings (the specification)."""
    records: dict[str, TraderRecord] = {}
    for _, data, days, status, outcome in FILINGS:
        at = T0 + timedelta(days=days)
        trader = trader_of(ADAPTER.validate_python(data))
        if status == "rejected" or at >= until or trader is None:
            continue
        r = records.get(trader, TraderRecord())
        controlled = outcome is not None and T0 + timedelta(days=outcome[2]) < until
        records[trader] = TraderRecord(
            r.declarations + 1, r.controls + controlled,
            r.irregular + (controlled and outcome is not None and outcome[0]),
            min(r.first_seen or at.date(), at.date()))
    return records


@pytest.mark.parametrize("until_days", [1, 3, 10, 20])
def test_trader_records_count_filings_controls_and_findings(
        ctx: Context, filed: dict[str, tuple[int, str | None]], until_days: int) -> None:
    until = T0 + timedelta(days=until_days)
    wanted = [IMPORTER, BROKER, EXPORTER, CONSIGNEE, "RS999999999", None]
    with ctx.uow() as uow:
        got = trader_records(uow.session, wanted, until=until)
    expected = {t: r for t, r in python_records(until).items() if t in wanted}
    assert got == expected
    if until_days == 20:
        assert got[IMPORTER] == TraderRecord(4, 3, 2, T0.date())  # A, B, C, E; D rejected
        assert got[BROKER].declarations == 2  # G (no importer) and I (ENS, no consignee)


def test_trader_records_of_nobody_is_empty(ctx: Context) -> None:
    with ctx.uow() as uow:
        assert trader_records(uow.session, [None, ""], until=UNTIL) == {}
        assert trader_records(uow.session, [IMPORTER], until=UNTIL) == {}
        assert history_frame(uow.session, until=UNTIL).height == 0


ALL = [IMPORTER, BROKER, EXPORTER, CONSIGNEE]


def summary(session: Session) -> dict[str, TraderRecord]:
    rows = session.execute(select(TraderRecordRow)).scalars()
    return {r.trader_id: TraderRecord(r.declarations, r.controls, r.irregular, r.first_seen)
            for r in rows}


def test_rebuild_counts_what_the_query_counts(
        ctx: Context, filed: dict[str, tuple[int, str | None]]) -> None:
    # Stored directly, as a bulk import would: nothing was counted on the way in.
    with ctx.uow() as uow:
        assert summary(uow.session) == {}
        assert rebuild(uow.session) == 4
        uow.commit()
    with ctx.uow(read_only=True) as uow:
        assert summary(uow.session) == trader_records(uow.session, ALL, until=None) \
            == python_records(T0 + timedelta(days=100))


def test_the_command_line_rebuilds(ctx: Context, db_url: str,
                                   filed: dict[str, tuple[int, str | None]],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["risk", "rebuild-trader-records"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0 and "4 traders" in result.stdout
    with ctx.uow(read_only=True) as uow:
        assert summary(uow.session) == trader_records(uow.session, ALL, until=None)


def test_the_migration_fills_the_summary_of_an_existing_database(db_url: str) -> None:
    command.downgrade(alembic_config(db_url), "0004")  # a database from before the table
    engine = create_engine(db_url)
    try:
        with Session(engine) as session:
            store(session)
            session.commit()
        upgrade(db_url)
        with Session(engine) as session:
            assert summary(session) == trader_records(session, ALL, until=None)
            assert summary(session)[IMPORTER] == TraderRecord(4, 3, 2, T0.date())
    finally:
        engine.dispose()
        upgrade(db_url)  # the next test's database is at head whatever happened
