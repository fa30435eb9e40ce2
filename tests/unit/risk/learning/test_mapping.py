"""Mapping files: parsing, label rules, errors, and the shipped KCS mapping."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from clearway.risk.learning.mapping import MappingError, load_mapping, parse_mapping

REPO = Path(__file__).resolve().parents[4]
KCS = REPO.parent / "shared" / "data" / "kcs-customs-declarations"
SOURCE = pl.DataFrame({
    "ID": ["1", "2", "3"], "Day": ["2024-01-02", "2024-01-03", "2024-01-03"],
    "Trader": ["T1", "", "T2"], "HS": ["071080", "610910", "610910"],
    "Kg": ["10", "x", "2.5"], "Outcome": ["0", "2", "1"], "Duty": ["0", "15.5", ""],
    "Kind": ["A", "B", "A"],
})
SPEC = {
    "name": "test",
    "columns": {"declaration_id": "ID", "date": "Day", "importer_id": "Trader",
                "commodity_code": "HS", "net_mass": "Kg",
                "label_irregular": {"column": "Outcome", "op": ">", "value": 0},
                "label_revenue": "Duty"},
    "categorical": {"kind": "Kind"},
}


def test_apply_maps_types_and_derives_labels() -> None:
    mapping = parse_mapping(SPEC)
    frame = mapping.apply(SOURCE)
    assert frame.columns == ["declaration_id", "date", "importer_id", "commodity_code", "kind",
                             "net_mass", "label_irregular", "label_revenue"]
    assert frame["date"].to_list() == [date(2024, 1, 2), date(2024, 1, 3), date(2024, 1, 3)]
    assert frame["importer_id"].to_list() == ["T1", None, "T2"]
    assert frame["commodity_code"].to_list() == ["071080", "610910", "610910"]
    assert frame["net_mass"].to_list() == [10.0, None, 2.5]
    assert frame["label_irregular"].to_list() == [0, 1, 1]
    assert frame["label_revenue"].to_list() == [0.0, 15.5, None]
    assert mapping.has_revenue
    assert mapping.categorical_names() == ["importer_id", "commodity_code", "kind"]


@pytest.mark.parametrize(("change", "message"), [
    ({"columns": {"date": "Day", "colour": "Kind"}}, "not a canonical name"),
    ({"columns": {"declaration_id": "ID"}}, "must map 'date'"),
    ({"columns": {"date": "Day", "label_irregular": {"column": "Outcome", "op": "~"}}}, "op"),
    ({"columns": {"date": "Day"}, "categorical": {"importer_id": "Trader"}}, "canonical"),
    ({"columns": {"date": "Day"}, "categorical": {"k": "Kind"}, "numeric": {"k": "Kg"}},
     "both"),
])
def test_bad_mappings_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(MappingError, match=message):
        parse_mapping({**SPEC, **change})


def test_missing_source_columns_and_dates_are_reported() -> None:
    with pytest.raises(MappingError, match="not in the data"):
        parse_mapping(SPEC).apply(SOURCE.drop("Kind"))
    with pytest.raises(MappingError, match="no date"):
        parse_mapping(SPEC).apply(SOURCE.with_columns(pl.lit("03/01/2024").alias("Day")))


def test_shipped_kcs_mapping() -> None:
    mapping = load_mapping(REPO / "mappings" / "kcs.toml")
    assert mapping.name == "kcs" and not mapping.has_revenue
    assert mapping.labels["label_irregular"].column == "Fraud"
    assert "Critical Fraud" not in mapping.source_columns()  # an outcome, never a feature
    sample = KCS / "df_syn_valid_eng.csv"
    if not sample.is_file():
        pytest.skip("KCS data not present")
    header = pl.read_csv(sample, n_rows=50, infer_schema_length=0)
    frame = mapping.apply(header)
    assert frame["commodity_code"].str.len_chars().min() == 6
    assert set(frame["label_irregular"].unique().to_list()) <= {0, 1}
