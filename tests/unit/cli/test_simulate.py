"""`clearway simulate balance`: the JSON contract scripts depend on, the HTML report, the
errors an operator meets."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearway.cli.main import app
from unit.balance.synthetic import START, stream

MAPPING = """
name = "synthetic"
[columns]
declaration_id = "ID"
date = "Day"
importer_id = "Importer"
commodity_code = "HS"
origin_country = "Origin"
net_mass = "Kg"
value = "Value"
label_irregular = { column = "Outcome", op = ">", value = 0 }
"""
RENAME = {"declaration_id": "ID", "date": "Day", "importer_id": "Importer",
          "commodity_code": "HS", "origin_country": "Origin", "net_mass": "Kg",
          "value": "Value", "label_irregular": "Outcome", "label_critical": "Grade"}
runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("balance")
    frame = stream(1500, weeks=6, seed=8).select(list(RENAME)).rename(RENAME)
    frame = frame.with_columns(frame["Outcome"] + frame["Grade"])  # 2 = critical
    cut = START + timedelta(days=21)
    first, second = folder / "first.csv", folder / "second.csv"
    frame.filter(frame["Day"] < cut).write_csv(first)
    frame.filter(frame["Day"] >= cut).write_csv(second)
    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING)
    return first, second, mapping


def args(files: tuple[Path, Path, Path], *more: str) -> list[str]:
    first, second, mapping = files
    return ["simulate", "balance", "--data", str(first), "--data", str(second),
            "--mapping", str(mapping), "--start", (START + timedelta(days=14)).isoformat(),
            "--rate", "10", "--random-share", "0.2", "--seed", "3", "--rounds", "20", *more]


def test_json_contract(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    page = tmp_path / "balance.html"
    done = runner.invoke(app, args(files, "--json", "--critical", "Outcome==2",
                                   "--html", str(page)))
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)  # stdout is exactly one JSON object
    assert result["weeks"] == 4 and result["retrain_every_weeks"] == 4
    assert set(result["strategies"]) == {"clearway", "random", "rules", "oracle"}
    for figures in result["strategies"].values():
        assert {"caught", "precision", "recall", "critical_caught"} <= set(figures)
    assert {"rate", "low", "high"} <= set(result["estimate"])
    assert 0 < result["truth"]["rate"] < 1 and result["truth"]["critical"] > 0
    text = page.read_text()
    assert text.count("<svg") == 3 and "Balance simulation" in text
    assert 'id="chart-estimate"' in text and "covers" in text


def test_table_without_json(files: tuple[Path, Path, Path]) -> None:
    done = runner.invoke(app, args(files, "--random-share", "10"))  # 10 = 10 %
    assert done.exit_code == 0, done.output
    assert "clearway" in done.stdout and "estimated irregularity" in done.stdout


@pytest.mark.parametrize(("more", "message"), [
    (["--start", "2031-01-01"], "CW-BALANCE"),
    (["--start", "01/02/2024"], "is not a date"),
    (["--random-share", "150"], "fraction"),
    (["--critical", "Outcome"], "COLUMN OP VALUE"),
    (["--critical", "Missing==2"], "CW-RISK-MAPPING"),
])
def test_errors(files: tuple[Path, Path, Path], more: list[str], message: str) -> None:
    done = runner.invoke(app, args(files, *more))
    assert done.exit_code == 2
    assert message in done.output


def test_a_rule_file_with_errors(files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("- {code: NO-WHEN, name: no condition, area: fiscal, weight: 1}\n")
    done = runner.invoke(app, args(files, "--rules", str(rules)))
    assert done.exit_code == 2
    assert "CW-PROFILE-YAML" in done.output and "rules.yaml" in done.output
