"""Long commands report their phases on stderr, in a terminal or not; stdout keeps only the
result."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from clearway.cli.main import app
from clearway.cli.progress import Phases
from clearway.risk.learning.evaluation import synthetic_declarations

MAPPING = """name = "synthetic"
[columns]
declaration_id = "declaration_id"
date = "date"
importer_id = "importer_id"
declarant_id = "declarant_id"
commodity_code = "commodity_code"
origin_country = "origin_country"
office_id = "office_id"
net_mass = "net_mass"
value = "value"
tax_rate = "tax_rate"
label_irregular = { column = "label_irregular", op = ">", value = 0 }
"""


def test_evaluate_reports_each_phase_on_stderr_and_keeps_stdout_json(tmp_path: Path) -> None:
    data, mapping = tmp_path / "data.csv", tmp_path / "mapping.toml"
    synthetic_declarations(600, seed=3, days=40).write_csv(data)
    mapping.write_text(MAPPING)
    result = CliRunner().invoke(app, [
        "model", "evaluate", "--data", str(data), "--mapping", str(mapping),
        "--train-until", "2024-01-30", "--json", "--rounds", "20"])
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.stdout)) == ["model", "random", "baseline"]
    lines = result.stderr.splitlines()
    expected = ["reading data.csv", "histories of", "histories of", "training the model",
                "training the baseline", "scoring the test rows", "done in"]
    assert len(lines) == len(expected), lines
    for line, words in zip(lines, expected, strict=True):
        assert line.startswith("model evaluate: ") and words in line, line


def test_a_terminal_shows_each_finished_phase_with_its_duration() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    with Phases("job", console) as progress:
        progress("first")
        progress("second")
    text = buffer.getvalue()
    assert re.search(r"first \(\d+\.\d s\)\n", text) and "job: done in" in text
    assert re.search(r"second \(\d+\.\d s\)\n", text)


def test_a_failed_run_prints_no_done_line() -> None:
    buffer = io.StringIO()
    try:
        with Phases("job", Console(file=buffer, width=100)) as progress:
            progress("first")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert buffer.getvalue().splitlines() == ["job: first ..."]
