"""The demo's seeded history: declarations decided, controlled and labelled through the real
use cases; a model trained on the label store and promoted; and that model reaching the next
live decision through the engine's knowledge cache (`clearway.risk.knowledge`)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from clearway.clearance.lodging import submit
from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context
from clearway.declarations.model import Declaration
from clearway.demo.generator import DeclarationGenerator
from clearway.demo.history import seed_history
from clearway.demo.outcomes import RISKY_IMPORTERS
from clearway.identity import Role, User
from clearway.risk import repository as risk_repo
from clearway.risk.engine.assess import EngineSettings
from clearway.risk.engine.decision import MODEL_REASON_AT
from clearway.risk.learning.labels import outcomes_between
from clearway.risk.learning.registry import ModelRegistry
from clearway.risk.learning.training import TrainingError, train_on_store
from clearway.storage.orm import DeclarationRow
from clearway.storage.orm_controls import ControlResultRow, ControlTaskRow

TRADERS = ["RS100234567", "RS101456782", "RS103890124", "RS104012345"]
RISKY = max(RISKY_IMPORTERS, key=RISKY_IMPORTERS.__getitem__)


@pytest.fixture
def models(ctx: Context, tmp_path: Path) -> Path:
    ctx.settings.model_dir = str(tmp_path / "models")  # the knowledge cache reads it too
    return tmp_path / "models"


def risky_import(gen: DeclarationGenerator, lrn: str) -> Declaration:
    """What the hidden rule finds irregular most often: the riskiest importer's cotton
    T-shirts from China, declared far below their usual value."""
    doc = gen.declaration(lrn, declarant=RISKY, items=1)
    item = doc.items[0]
    item.commodity_code, item.description, item.origin_country = \
        "610910", "T-shirts of cotton, knitted", "CN"
    item.item_price = doc.invoice_amount = (item.net_mass or Decimal(1)) * Decimal("2.00")
    item.item_price_currency = doc.invoice_currency = "EUR"
    return doc


def lodge_live(ctx: Context, n: int) -> list[dict[str, Any]]:
    """`n` risky declarations lodged now; their stored decisions."""
    gen = DeclarationGenerator(ctx.refdata.get(), random.Random(5), ctx.clock.now().date())
    user = User(id=0, name="t", role=Role.TRADER, trader_id=RISKY)
    found = []
    for i in range(n):
        doc = risky_import(gen, f"LIVE-{i}")
        out = submit(ctx, doc.model_dump_json(exclude_none=True).encode(), "application/json",
                     user)
        assert out.kind == "created", out.errors
        with ctx.uow(read_only=True) as uow:
            row = risk_repo.get_decision(uow.session, out.row.id)
            assert row is not None
            found.append({**row.decision, "model_version": row.model_version})
    return found


def test_seeded_model_reaches_live_decisions(ctx: Context, models: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # A small label store teaches a model little: here the riskiest importer is nearly
    # always found irregular, so 300 declarations are enough for a clear signal.
    monkeypatch.setitem(RISKY_IMPORTERS, RISKY, 0.9)
    start = ctx.clock.now()
    summary = seed_history(ctx, TRADERS, declarations=300, days=30, seed=11,
                           min_labels=40, spot_checks=0.5)

    assert ctx.clock.now() == start and ctx.settings.auto_release  # both given back
    assert summary.lodged + summary.rejected == 300 and summary.lodged > 280
    with ctx.uow(read_only=True) as uow:
        first = uow.session.execute(select(func.min(DeclarationRow.created_at))).scalar_one()
        labels = outcomes_between(uow.session, None, None)
    assert start - timedelta(days=31) <= first < start - timedelta(hours=6)  # in the past
    assert len(labels) == summary.controls >= 40
    assert sum(o.irregular for o in labels.values()) == summary.irregular > 0
    assert summary.references > 0  # valuation references from the regular controls
    with ctx.uow(read_only=True) as uow:  # the controls went through tasks and results
        done = uow.session.execute(select(ControlTaskRow.status, func.count())
                                   .group_by(ControlTaskRow.status)).all()
        results = uow.session.execute(select(func.count(ControlResultRow.task_id))).scalar_one()
        officers = set(uow.session.execute(select(ControlResultRow.officer_id)).scalars())
    assert dict(done).get("done") == results == summary.controls
    assert summary.waiting == 0 and "awaiting_officer" not in dict(done)
    assert len(officers) > 1  # the work is spread over the demo's officers
    record = summary.model
    assert record is not None and record.active
    assert ModelRegistry(models).active_version() == record.version
    assert record.metadata["labels"] > 0 and record.metadata["rows"] >= summary.lodged

    decisions = lodge_live(ctx, 4)
    assert {d["model_version"] for d in decisions} == {record.version}
    # Every scored decision carries the model's top contributions; the model learnt the
    # hidden rule: these score high, and its contributions become reasons.
    assert all(len(d["contributions"]) == EngineSettings().explain_top for d in decisions)
    assert {c["feature"] for d in decisions for c in d["contributions"]} <= set(record.features)
    flagged = [d for d in decisions if d["probability"] >= MODEL_REASON_AT]
    assert flagged and all(d["model_flagged"] for d in flagged)
    assert all(any(r.startswith("model: ") for r in d["reasons"]) for d in flagged)


def test_too_few_outcomes_train_no_model(ctx: Context, models: Path) -> None:
    seed_history(ctx, TRADERS, declarations=20, days=5, seed=3, train=False)
    with pytest.raises(TrainingError, match="at least 500"):
        train_on_store(ctx, models, promote=True, min_labels=500)
    assert ModelRegistry(models).active_version() is None


def test_the_command_line_trains_on_the_store(ctx: Context, db_url: str, models: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    seed_history(ctx, TRADERS, declarations=80, days=10, seed=5, train=False, spot_checks=0.6)
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    try:
        command = ["model", "train-store", "--registry", str(models), "--rounds", "20"]
        refused = CliRunner().invoke(app, [*command, "--min-labels", "5000"])
        trained = CliRunner().invoke(app, [*command, "--min-labels", "10", "--promote"])
    finally:
        get_settings.cache_clear()
    assert refused.exit_code == 2 and "CW-RISK-TRAIN" in refused.output
    assert trained.exit_code == 0, trained.output
    version = trained.stdout.strip().splitlines()[-1]
    assert ModelRegistry(models).active_version() == version
    assert "active" in trained.stdout and "outcomes among" in trained.stdout
