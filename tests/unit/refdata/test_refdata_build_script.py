"""scripts/build_refdata.py: the HS quirk handling, and that it reproduces the shipped files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from clearway.refdata.csvfiles import package_dir, read_list

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_refdata.py"


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_refdata", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_refdata", module)
    spec.loader.exec_module(module)
    return module


def hs(code: str, level: str, parent: str, description: str = "x") -> dict[str, str]:
    return {"section": "I", "hscode": code, "description": description, "parent": parent,
            "level": level}


def test_clean_hs_handles_upstream_quirks(build: ModuleType) -> None:
    records = [
        hs("TOTAL", "5", "TOTAL"),
        hs("01", "2", "TOTAL", "Animals;  live"),
        hs("0101", "4", "01"),
        hs("010121", "6", "0101"),
        hs("01012900", "6", "0101"),   # 8-digit level 6, HS6 not listed: cut to 010129
        hs("01012110", "6", "0101"),   # 8-digit level 6 whose HS6 is listed: skipped
        hs("0102", "6", "01"),         # level says 6, code has 4 digits: skipped
        hs("0103", "4", "02"),         # wrong parent: fixed from the code
        hs("030111", "6", "0301"),     # parent not listed: skipped
        hs("0101", "4", "01"),         # duplicate: skipped
        hs("01A1", "4", "01"),         # not digits: skipped
    ]
    rows, notes = build.clean_hs(records)
    assert [(r["code"], r["parent"]) for r in rows] == [
        ("01", ""), ("0101", "01"), ("010121", "0101"), ("010129", "0101"), ("0103", "01")]
    assert rows[0]["description"] == "Animals; live"
    assert all(r["valid_from"] == "2022-01-01" and r["valid_to"] == "" for r in rows)
    assert len(notes) == 8
    assert any("fixed '01012900'" in n for n in notes)
    assert any("skipped '01012110'" in n for n in notes)
    assert any("fixed parent of '0103'" in n for n in notes)
    header = "code,level,parent,description,valid_from,valid_to\n"
    body = "".join(f"{r['code']},{r['level']},{r['parent']},x,2022-01-01,\n" for r in rows)
    assert len(read_list("hs_codes", header + body)) == 5  # what the loader accepts


def test_currency_and_rate_rows(build: ModuleType) -> None:
    currencies = {r["code"]: r for r in build.currency_rows()}
    assert currencies["HRK"]["valid_to"] == "2022-12-31"
    assert currencies["JPY"]["minor_units"] == "0"
    rates = build.exchange_rate_rows()
    assert rates == build.exchange_rate_rows()  # deterministic
    usd = [r for r in rates if r["currency"] == "USD"]
    assert len(usd) == 96 and usd[0]["valid_from"] == "2020-01-01"
    assert usd[-1]["valid_to"] == "2027-12-31"
    assert [r["valid_to"] for r in usd if r["valid_from"] == "2024-02-01"] == ["2024-02-29"]
    assert all("e" not in r["rate_to_eur"].lower() for r in rates)
    assert len([r for r in rates if r["currency"] == "HRK"]) == 36


@pytest.mark.skipif(not Path("/work/shared/data/hs2022/harmonized-system.csv").is_file(),
                    reason="HS 2022 source file not available")
def test_script_reproduces_the_shipped_files(build: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_bytes((package_dir() / "manifest.csv").read_bytes())
    assert build.main(["--out", str(tmp_path)]) == 0
    for name in ("countries.csv", "currencies.csv", "hs_codes.csv", "exchange_rates.csv",
                 "manifest.csv"):
        assert (tmp_path / name).read_text("utf-8") == (package_dir() / name).read_text(
            "utf-8"), name
