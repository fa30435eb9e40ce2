"""Issue 14 item 10, the rules of the canonical document that need no particular format
(edits of JSON declarations: exports, entry summaries), and the goods-item limit, refused
before one item is read in each of the three formats."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clearway.declarations.formats.detect import read_document
from clearway.errors import DocumentInvalid
from format_documents import (
    EDI,
    JSON,
    SHIP,
    TRADER,
    XML,
    XML_BASE,
    base_doc,
    bases,
    outcome,
    segment,
    xml_item,
)


def export_doc() -> dict[str, Any]:
    doc = base_doc()
    doc.update(declaration_type="EX", exporter={"id": TRADER}, importer=None,
               destination_country="DE")
    for item in doc["items"]:
        item["procedure"] = {"requested": "10", "previous": "00"}
    return doc


def ens_doc() -> dict[str, Any]:
    return {"declaration_type": "ENS", "lrn": "ENS-1", "declarant": {"id": TRADER},
            "carrier": {"id": TRADER}, "consignor": {"name": "Shanghai Clippers Co."},
            "consignee": {"id": TRADER}, "place_of_loading": "CNSHA",
            "place_of_unloading": "GRPIR", "containers": [{"number": "MSCU1234566"}],
            "items": [{"sequence": 1, "description": "Shavers", "hs6": "851010",
                       "gross_mass": "120", "container_ids": ["MSCU1234566"]},
                      {"sequence": 2, "description": "Shirts", "hs6": "610910",
                       "gross_mass": "55"}]}


def _set(path: str, value: Any) -> Any:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = doc
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    return change


DOC_CASES = [
    ("exporter of an export not in the register", export_doc,
     _set("/exporter/id", "RS999999999"), "CW-CODE-TRADER", "/exporter/id"),
    ("item exporter of an export not in the register", export_doc,
     _set("/items/0/exporter", {"id": "RS999999999"}), "CW-CODE-TRADER", "/items/0/exporter/id"),
    ("representative not in the register", base_doc,
     _set("/representative", {"id": "RS999999999"}), "CW-CODE-TRADER", "/representative/id"),
    ("supplementary units 0", base_doc, _set("/items/0/supplementary_units", "0"),
     "CW-RULE-ZERO", "/items/0/supplementary_units"),
    ("item price 0 without customs value (40)", base_doc, _set("/items/1/item_price", "0"),
     "CW-RULE-ZERO", "/items/1/item_price"),
    ("item container check digit", base_doc, _set("/items/1/container_ids", ["CSQU3054384"]),
     "CW-CODE-CONTAINER", "/items/1/container_ids/0"),
    ("document reference with a bidi isolate", base_doc,
     _set("/items/0/documents", [{"code": "N935", "reference": "INV\u20681"}]),
     "CW-SYN-REFERENCE", "/items/0/documents/0/reference"),
    ("blank previous document reference", base_doc,
     _set("/previous_documents", [{"type": "355", "reference": " "}]),
     "CW-SYN-REFERENCE", "/previous_documents/0/reference"),
    ("ENS container check digit", ens_doc, _set("/containers/0/number", "MSCU1234560"),
     "CW-CODE-CONTAINER", "/containers/0/number"),
    ("ENS item container check digit", ens_doc, _set("/items/0/container_ids/0", "MSCU1"),
     "CW-CODE-CONTAINER", "/items/0/container_ids/0"),
    ("ENS goods item number twice", ens_doc, _set("/items/1/sequence", 1),
     "CW-RULE-ITEM-DUPLICATE", "/items/1/sequence"),
    ("ENS gross mass 0", ens_doc, _set("/items/1/gross_mass", "0"), "CW-RULE-ZERO",
     "/items/1/gross_mass"),
    ("ENS carrier not in the register", ens_doc, _set("/carrier/id", "RS999999999"),
     "CW-CODE-TRADER", "/carrier/id"),
]


@pytest.mark.parametrize("make", [export_doc, ens_doc])
def test_the_other_base_documents_are_valid(make: Any) -> None:
    assert outcome(JSON, json.dumps(make())) == set()


@pytest.mark.parametrize(("make", "change", "code", "pointer"), [c[1:] for c in DOC_CASES],
                         ids=[c[0] for c in DOC_CASES])
def test_document_rule_is_refused(make: Any, change: Any, code: str, pointer: str) -> None:
    doc = make()
    change(doc)
    assert (code, pointer) in outcome(JSON, json.dumps(doc))


# -- 20,000 goods items: refused before one item is mapped or validated -------------------------
def many_items(media: str, n: int) -> str:
    if media == JSON:
        doc = base_doc()
        item: dict[str, Any] = doc["items"][1] if n <= 999 else {}  # 20,000 fit in the size
        doc["items"] = [dict(item, sequence=i + 1) for i in range(n)]
        return json.dumps(doc)
    if media == XML:
        item = xml_item(1, "610910", "BD", "55", "50", "500.00")
        start, end = XML_BASE.index("<GovernmentAgencyGoodsItem>"), XML_BASE.index("</Goods"
                                                                                   "Shipment>")
        return XML_BASE[:start] + item * n + XML_BASE[end:]
    lines = bases()[EDI].splitlines()
    start, end = lines.index("UNS+D'"), lines.index("UNS+S'")
    second = lines[start + 1:end][9:]  # the second item's segments, n times, numbered
    body = [line.replace("CST+2+", f"CST+{i + 1}+") for i in range(n) for line in second]
    lines = lines[:start + 1] + body + lines[end:]
    lines[-2] = f"UNT+{len(lines) - 3}+1'"
    return "\n".join(lines)


LIMIT_POINTERS = {JSON: "/items/999", XML: f"{SHIP}/GovernmentAgencyGoodsItem[1000]"}


@pytest.mark.parametrize("media", [JSON, XML, EDI])
def test_more_than_999_items_are_refused_unread(media: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from clearway.declarations.formats import edifact_goods, json_reader, wco_xml_items

    codes = {code for code, _ in outcome(media, many_items(media, 999))}
    assert not codes & {"CW-RULE-ITEM-LIMIT", "CW-SYN-SCHEMA"}, codes  # 999 are allowed

    def reached(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the items were read")

    monkeypatch.setattr(json_reader, "to_document", reached)
    monkeypatch.setattr(wco_xml_items, "_item", reached)
    monkeypatch.setattr(edifact_goods, "start_item", reached)
    text = many_items(media, 20_000 if media == JSON else 1_000)
    with pytest.raises(DocumentInvalid) as refused:
        read_document(text.encode(), media)
    [issue] = refused.value.errors
    pointer = LIMIT_POINTERS.get(media) or segment(text, "CST+1000+")
    assert (issue.code, issue.element, issue.pointer) == ("CW-RULE-ITEM-LIMIT", "DE 1/6",
                                                          pointer)
