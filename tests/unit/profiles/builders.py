"""Builders for the profile tests: item frames with the full risk-field schema."""

from __future__ import annotations

from typing import Any

import polars as pl

from clearway.risk.engine.fields import ROW_KEYS, SCHEMA


def item_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows of risk fields (anything left out is null); `_decl` defaults to the row number."""
    full = [{"_decl": i, "_key": f"D{i}", **row} for i, row in enumerate(rows)]
    return pl.DataFrame(full, schema={**ROW_KEYS, **SCHEMA}, orient="row") if full \
        else pl.DataFrame(schema={**ROW_KEYS, **SCHEMA})


def profile_data(when: dict[str, Any], **attributes: Any) -> dict[str, Any]:
    """A valid profile definition around a condition."""
    return {"code": "TEST-1", "name": "FieldTest profile", "area": "valuation", "weight": 0.5,
            "owner": "analyst", "when": when, **attributes}
