"""`clearway model evaluate|train|promote` on a small synthetic data set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearway.cli.model import model_app
from clearway.risk.learning.evaluation import synthetic_declarations

MAPPING = """
name = "synthetic"
[columns]
declaration_id = "id"
date = "day"
importer_id = "importer"
declarant_id = "declarant"
commodity_code = "hs"
origin_country = "origin"
office_id = "office"
net_mass = "kg"
value = "value"
tax_rate = "tax"
label_irregular = { column = "outcome", op = ">", value = 0 }
{revenue}
"""
RENAME = {"declaration_id": "id", "date": "day", "importer_id": "importer",
          "declarant_id": "declarant", "commodity_code": "hs", "origin_country": "origin",
          "office_id": "office", "net_mass": "kg", "tax_rate": "tax",
          "label_irregular": "outcome", "label_revenue": "duty"}


def write(tmp_path: Path, revenue: bool) -> tuple[Path, Path, bool]:
    frame = synthetic_declarations(900, seed=11, days=60, revenue=revenue).rename(
        RENAME, strict=False)
    data = tmp_path / "data.csv"
    frame.write_csv(data)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING.replace("{revenue}", 'label_revenue = "duty"' if revenue else ""))
    return data, mapping, revenue


@pytest.fixture(params=[False, True], ids=["no-revenue", "revenue"])
def files(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path, bool]:
    return write(tmp_path, request.param)


def test_evaluate_prints_one_json_object(files: tuple[Path, Path, bool]) -> None:
    data, mapping, revenue = files
    result = CliRunner().invoke(model_app, [
        "evaluate", "--data", str(data), "--mapping", str(mapping),
        "--train-until", "2024-02-09", "--rates", "1,5,10", "--json", "--rounds", "40"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == ["model", "random", "baseline"]
    keys = ["precision@1", "recall@1", "precision@5", "recall@5", "precision@10",
            "recall@10", "roc_auc", "average_precision"]
    if revenue:
        keys = [k for rate in ("1", "5", "10") for k in
                (f"precision@{rate}", f"recall@{rate}", f"revenue@{rate}")] + keys[-2:]
    for name in report:
        assert list(report[name]) == keys
    assert report["random"]["roc_auc"] == 0.5 and report["random"]["recall@5"] == 0.05
    assert report["model"]["roc_auc"] > 0.6  # planted risk is found


def test_train_promote_and_table(tmp_path: Path) -> None:
    data, mapping, _ = write(tmp_path, revenue=False)
    runner, registry = CliRunner(), str(tmp_path / "models")
    trained = runner.invoke(model_app, ["train", "--data", str(data), "--mapping", str(mapping),
                                        "--registry", registry, "--rounds", "30"])
    assert trained.exit_code == 0, trained.output
    assert trained.stdout.strip().splitlines()[-1] == "v0001"
    promoted = runner.invoke(model_app, ["promote", "v0001", "--registry", registry])
    assert promoted.exit_code == 0, promoted.output
    assert (tmp_path / "models" / "ACTIVE").read_text() == "v0001\n"
    missing = runner.invoke(model_app, ["promote", "v0007", "--registry", registry])
    assert missing.exit_code == 2 and "no model 'v0007'" in missing.output
    table = runner.invoke(model_app, ["evaluate", "--data", str(data), "--mapping",
                                      str(mapping), "--train-until", "2024-02-09", "--online",
                                      "--rounds", "30"])
    assert table.exit_code == 0 and "precision@5" in table.stdout
