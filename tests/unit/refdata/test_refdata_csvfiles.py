"""CSV list parsing: headers, values, dates and the row numbers in RefDataError."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearway.refdata.csvfiles import (
    LISTS,
    package_dir,
    parse_date,
    read_directory,
    read_list,
    read_list_numbered,
    read_manifest,
    read_versions,
)
from clearway.refdata.errors import RefDataError

COUNTRIES = "code,name,valid_from,valid_to\nRS,Serbia,,\nXK,Kosovo,2008-02-17,\n"


def error(name: str, text: str) -> RefDataError:
    with pytest.raises(RefDataError) as info:
        read_list(name, text)
    return info.value


def test_reads_rows_as_stripped_strings() -> None:
    rows = read_list("countries", " code , name ,valid_from,valid_to\nRS , Serbia ,,\n")
    assert rows == [{"code": "RS", "name": "Serbia", "valid_from": "", "valid_to": ""}]


def test_numbered_rows_carry_file_lines_and_skip_blank_lines() -> None:
    text = "code,name,valid_from,valid_to\n\nRS,Serbia,,\n,,,\nXK,Kosovo,,\n"
    assert [line for line, _ in read_list_numbered("countries", text)] == [3, 5]


def test_bom_and_crlf_are_accepted() -> None:
    text = "\ufeffcode,name,valid_from,valid_to\r\nRS,Serbia,,\r\n"
    assert read_list("countries", text)[0]["code"] == "RS"


def test_extra_columns_are_kept() -> None:
    rows = read_list("countries", "code,name,note,valid_from,valid_to\nRS,Serbia,x,,\n")
    assert rows[0]["note"] == "x"


@pytest.mark.parametrize(("text", "row", "fragment"), [
    ("code,valid_from,valid_to\nRS,,\n", 1, "missing column(s) ['name']"),
    ("code,name,valid_from\nRS,Serbia,\n", 1, "missing column(s) ['valid_to']"),
    ("code,name,name,valid_from,valid_to\n", 1, "duplicate column"),
    ("", 0, "empty"),
    ("\n\n", 0, "empty"),
    (COUNTRIES + "ME,Montenegro,2006-6-3,\n", 4, "not an ISO date"),
    (COUNTRIES + "ME,Montenegro,2006-02-30,\n", 4, "day is out of range"),
    (COUNTRIES + "ME,Montenegro,20060603,\n", 4, "not an ISO date"),
    (COUNTRIES + "ME,Montenegro,2006-06-03,2006-06-02\n", 4, "before valid_from"),
    (COUNTRIES + "ME,Montenegro,,,extra\n", 4, "5 fields, the header has 4"),
    (COUNTRIES + "ME,,,\n", 4, "name is empty"),
    (COUNTRIES + "MNE,Montenegro,,\n", 4, "does not match"),
    (COUNTRIES + 'ME,"Montenegro\n', 4, "unreadable CSV"),
])
def test_bad_files_raise_with_row_number(text: str, row: int, fragment: str) -> None:
    err = error("countries", text)
    assert (err.list_name, err.row) == ("countries", row)
    assert fragment in err.message
    assert f"countries, row {row}:" in str(err)


@pytest.mark.parametrize(("name", "text", "fragment"), [
    ("hs_codes", "code,level,parent,description,valid_from,valid_to\n01012100,6,0101,x,,\n",
     "does not match"),
    ("hs_codes", "code,level,parent,description,valid_from,valid_to\n010121,4,0101,x,,\n",
     "has 6 digits but level 4"),
    ("hs_codes", "code,level,parent,description,valid_from,valid_to\n010121,6,0102,x,,\n",
     "parent of '010121' must be '0101'"),
    ("hs_codes", "code,level,parent,description,valid_from,valid_to\n01,2,TOTAL,x,,\n",
     "does not match"),
    ("hs_national", "code,parent6,description,valid_from,valid_to\n85109000,851010,x,,\n",
     "does not start with its parent6"),
    ("offices", "code,name,country,roles,valid_from,valid_to\nRS001001,B,RS,exit|import,,\n",
     "unknown office role"),
    ("offices", "code,name,country,roles,valid_from,valid_to\nRS001001,B,RS,exit|,,\n",
     "unknown office role"),
    ("procedures", "code,kind,description,valid_from,valid_to\n4000,requested,x,,\n",
     "kind must be one of"),
    ("procedures", "code,kind,description,valid_from,valid_to\n400,requested_previous,x,,\n",
     "has 4 characters"),
    ("document_codes", "code,category,description,valid_from,valid_to\nN935,invoice,x,,\n",
     "category must be one of"),
    ("exchange_rates", "currency,rate_to_eur,valid_from,valid_to\nUSD,0,,\n",
     "greater than 0"),
    ("exchange_rates", "currency,rate_to_eur,valid_from,valid_to\nUSD,1e-3,,\n",
     "does not match"),
    ("aeo_authorisations", "trader_id,type,reference,valid_from,valid_to\nRS1,AEOX,r,,\n",
     "does not match"),
])
def test_list_specific_checks(name: str, text: str, fragment: str) -> None:
    err = error(name, text)
    assert err.row == 2 and fragment in err.message


def test_empty_optional_values_are_allowed() -> None:
    rows = read_list("currencies", "code,name,minor_units,valid_from,valid_to\nXAU,Gold,,,\n")
    assert rows[0]["minor_units"] == ""


def test_unknown_list_is_an_error() -> None:
    assert error("planets", COUNTRIES).row == 0


def test_parse_date() -> None:
    assert parse_date("") is None
    assert str(parse_date("2024-02-29")) == "2024-02-29"
    with pytest.raises(ValueError):
        parse_date("2023-02-29")


def test_every_list_has_a_file_with_validity_columns() -> None:
    assert len({d.filename for d in LISTS.values()}) == len(LISTS)
    for definition in LISTS.values():
        assert "valid_from" not in definition.columns


def test_read_directory_reads_only_present_lists(tmp_path: Path) -> None:
    (tmp_path / "countries.csv").write_text(COUNTRIES, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    assert read_directory(tmp_path) == {"countries": COUNTRIES}
    assert read_versions(tmp_path) == {}


def test_manifest() -> None:
    versions = read_versions(package_dir())
    assert set(versions) == set(LISTS)
    rows = read_manifest((package_dir() / "manifest.csv").read_text(encoding="utf-8"))
    assert {r["file"] for r in rows} == {d.filename for d in LISTS.values()}
    with pytest.raises(RefDataError):
        read_manifest("list,file,version,source\nplanets,p.csv,1,x\n")
    with pytest.raises(RefDataError):
        read_manifest("list,file\ncountries,countries.csv\n")


def test_package_files_have_no_comment_lines_and_end_with_newline() -> None:
    for file in sorted(package_dir().glob("*.csv")):
        text = file.read_text(encoding="utf-8")
        assert not text.startswith(("#", "\ufeff")), file.name
        assert text.endswith("\n"), file.name
