"""`clearway model retrain`: a candidate trained on the label store, never promoted, and a
drift report against the promoted model."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearway.cli.main import app
from clearway.config import get_settings
from clearway.context import Context
from clearway.demo.history import seed_history
from clearway.risk.learning.registry import ModelRegistry

TRADERS = ["RS100234567", "RS101456782", "RS103890124", "RS104012345"]


def test_retrain_reports_drift_and_leaves_the_promoted_model(
        ctx: Context, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models"
    ctx.settings.model_dir = str(models)
    seed_history(ctx, TRADERS, declarations=120, days=20, seed=5, train=False, spot_checks=0.6)
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", db_url)
    monkeypatch.setenv("CLEARWAY_ENVIRONMENT", "test")
    get_settings.cache_clear()
    common = ["--registry", str(models), "--rounds", "10", "--min-labels", "10"]
    try:
        first = CliRunner().invoke(app, ["model", "train-store", *common, "--promote"])
        # the command runs on the system clock; the history ends at the fixture's clock
        recent = ["--recent-days", str((date.today() - ctx.clock.now().date()).days + 8)]
        report = CliRunner().invoke(app, ["model", "retrain", *common, *recent, "--json"])
        text = CliRunner().invoke(app, ["model", "retrain", *common, *recent])
        refused = CliRunner().invoke(app, ["model", "retrain", "--registry", str(models),
                                           "--min-labels", "100000"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    promoted = first.stdout.strip().splitlines()[-1]
    assert report.exit_code == 0, report.output
    found = json.loads(report.stdout)
    registry = ModelRegistry(models)
    assert registry.active_version() == promoted  # retrain never promotes
    assert found["promoted"] == promoted and found["candidate"] in registry.versions()
    assert found["candidate"] != promoted
    window = registry.record(promoted).metadata["training_window"]
    assert found["reference_window"] == window
    assert {f["feature"] for f in found["psi"]} <= set(registry.record(promoted).features)
    assert all(f["psi"] is None or f["psi"] >= 0 for f in found["psi"])
    assert found["label_rate"]["recent"]["labels"] == found["holdout"]["rows"]
    assert found["label_rate"]["recent"]["labels"] > 0
    assert any(f["psi"] is not None for f in found["psi"])
    for model in ("old", "new"):
        assert 0 <= found["holdout"][model]["roc_auc"] <= 1
    assert text.exit_code == 0 and "not promoted" in text.stdout and "PSI" in text.stdout
    assert refused.exit_code == 2 and "CW-RISK-TRAIN" in refused.output
