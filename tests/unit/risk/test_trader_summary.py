"""The summary's trader of a stored row is the live decision's trader (`frame.trader_of`),
so the record the decision reads is the one the acceptance adds to."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from clearway.declarations.model import AnyDeclaration
from clearway.risk.engine.frame import trader_of
from clearway.risk.trader_summary import trader_of_row
from clearway.storage.orm import DeclarationRow
from helpers import TRADER, import_doc

ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyDeclaration)
OTHER = "RS100000099"
NAMED = {"name": "Harbour Traders", "address": {"city": "Port", "country": "CN"}}


def ens(consignee: dict[str, Any] | None) -> dict[str, Any]:
    return {"declaration_type": "ENS", "lrn": "E", "declarant": {"id": TRADER},
            "consignee": consignee, "carrier": {"id": OTHER},
            "items": [{"sequence": 1, "description": "parts", "hs6": "851010"}]}


@pytest.mark.parametrize(("data", "expected"), [
    (import_doc(importer={"id": OTHER}), OTHER),
    (import_doc(importer=None), TRADER),
    (import_doc(importer={"id": ""}), TRADER),  # an empty number is no number
    (import_doc(importer=NAMED), TRADER),
    (import_doc(declaration_type="CO", importer={"id": OTHER}), OTHER),
    (import_doc(declaration_type="EX", exporter={"id": OTHER}, importer=None), OTHER),
    (import_doc(declaration_type="EX", exporter=NAMED, importer={"id": "RS1"}), TRADER),
    (ens({"id": OTHER}), OTHER),
    (ens(NAMED), TRADER),
    (ens(None), TRADER),
])
def test_the_trader_of_a_stored_row_is_the_trader_of_its_document(
        data: dict[str, Any], expected: str) -> None:
    doc = ADAPTER.validate_python(data)
    row = DeclarationRow(declaration_type=doc.declaration_type, declarant_id=doc.declarant.id,
                         document=doc.model_dump(mode="json", exclude_none=True))
    assert trader_of_row(row) == trader_of(doc) == expected
