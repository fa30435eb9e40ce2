"""Unlicensed exports of goods under codes correlated with the dual-use list."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from clearway.declarations.model import Declaration
from clearway.dualuse.matcher import EXEMPT_WEIGHT, LICENCE_CODES, DualUseList
from clearway.dualuse.model import DualUseEntry
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.decision import Area, Channel, Source
from clearway.risk.engine.fields import ROW_KEYS, SCHEMA
from clearway.risk.engine.frame import flatten
from helpers import import_doc

DAY = date(2026, 5, 1)
LIST = DualUseList([
    DualUseEntry("3A001", "Electronic items: integrated circuits", ("8542",)),
    DualUseEntry("4A003", "Digital computers", ("8471",)),
    DualUseEntry("5A002", "Information security systems", ("847180", "851762")),
    DualUseEntry("9A012", "Unmanned aerial vehicles", ("8806",), valid_from=date(2026, 6, 1),
                 valid_to=date(2026, 12, 31)),
])


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    columns = {**ROW_KEYS, **SCHEMA}
    return pl.DataFrame([{**dict.fromkeys(columns), **r} for r in rows], schema=columns,
                        orient="row")


def row(code: str | None, documents: list[str] | None, kind: str = "EX", on: date = DAY,
        decl: int = 0, item: int = 1) -> dict[str, Any]:
    return {"_decl": decl, "_key": str(decl), "item": item, "declaration_type": kind,
            "declaration_date": on, "commodity_code": code, "document_codes": documents}


CASES = [
    # commodity code, document codes, declaration type, date -> (control number, hard) hits
    ("85423190", ["N380"], "EX", DAY, [("3A001", True)]),
    ("85423190", [], "EX", DAY, [("3A001", True)]),
    ("85423190", None, "EX", DAY, [("3A001", True)]),
    ("85423190", ["X002"], "EX", DAY, []),                  # authorisation (2009 regulation)
    ("85423190", ["N380", "X061"], "EX", DAY, []),          # EU001 general authorisation
    ("85423190", ["X060"], "EX", DAY, []),
    ("85423190", ["X001"], "EX", DAY, [("3A001", True)]),   # AGREX is not a dual-use licence
    ("85423190", ["Y901"], "EX", DAY, [("3A001", False)]),  # declared not listed: soft
    ("85423190", ["Y901", "X002"], "EX", DAY, []),
    ("85423190", [], "IM", DAY, []),                        # imports are not controlled here
    ("85423190", [], "ENS", DAY, []),
    ("8542", [], "EX", DAY, [("3A001", True)]),
    ("854", [], "EX", DAY, []),                             # shorter than the correlated code
    ("84718000", [], "EX", DAY, [("4A003", True), ("5A002", True)]),
    ("84713000", [], "EX", DAY, [("4A003", True)]),
    ("61091000", [], "EX", DAY, []),
    (None, [], "EX", DAY, []),
    ("88062200", [], "EX", date(2026, 5, 31), []),          # before the entry's validity
    ("88062200", [], "EX", date(2026, 6, 1), [("9A012", True)]),
    ("88062200", [], "EX", date(2026, 12, 31), [("9A012", True)]),
    ("88062200", [], "EX", date(2027, 1, 1), []),
]


@pytest.mark.parametrize(("code", "documents", "kind", "on", "expected"), CASES)
def test_matching_table(code: str | None, documents: list[str] | None, kind: str, on: date,
                        expected: list[tuple[str, bool]]) -> None:
    hits = LIST.hits(frame([row(code, documents, kind, on)]))
    assert [(h.ref, h.hard) for _, h in hits] == expected


def test_hard_hit_says_what_and_why() -> None:
    [(decl, hit)] = LIST.hits(frame([row("85423190", ["N380"], decl=4, item=2)]))
    assert decl == 4 and hit.item == 2
    assert (hit.source, hit.area, hit.min_channel, hit.hard) == (
        Source.DUAL_USE, Area.DUAL_USE, Channel.RED, True)
    assert hit.evidence == {"control_number": "3A001",
                            "description": "Electronic items: integrated circuits",
                            "codes": ["8542"], "commodity_code": "85423190",
                            "document_codes": ["N380"]}
    assert "3A001" in hit.reason and "without a dual-use export authorisation" in hit.reason
    assert hit.instructions


def test_declared_not_listed_is_a_soft_yellow_hit() -> None:
    [(_, hit)] = LIST.hits(frame([row("85423190", ["Y901"])]))
    assert (hit.hard, hit.min_channel, hit.weight) == (False, Channel.YELLOW, EXEMPT_WEIGHT)
    assert hit.evidence["exemption"] == ["Y901"] and "Y901" in hit.reason


def test_matched_codes_longest_first() -> None:
    both = DualUseList([DualUseEntry("5A002", "crypto", ("8471", "847180"))])
    [(_, hit)] = both.hits(frame([row("84718000", [])]))
    assert hit.evidence["codes"] == ["847180", "8471"]


def test_licence_codes_are_a_parameter() -> None:
    national = DualUseList(LIST.entries, licence_codes={"N999"})
    assert national.hits(frame([row("85423190", ["N999"])])) == []
    assert [h.ref for _, h in national.hits(frame([row("85423190", ["X002"])]))] == ["3A001"]
    assert "X002" in LICENCE_CODES and {f"X0{n}" for n in range(60, 73)} <= LICENCE_CODES


def test_empty_list_or_frame() -> None:
    assert DualUseList([]).hits(frame([row("85423190", [])])) == []
    assert LIST.hits(frame([])) == []


def test_batch_and_single_declarations_give_the_same_hits() -> None:
    ref = RefDataSnapshot({})
    docs = []
    for n, (code, documents) in enumerate([("85423190", []), ("61091000", []),
                                           ("84718000", [{"code": "Y901"}]),
                                           ("85423190", [{"code": "X061"}])]):
        doc = import_doc(lrn=f"L{n}", declaration_type="EX", documents=documents)
        doc["items"][1]["commodity_code"] = code
        docs.append(Declaration.model_validate(doc))
    batch = LIST.hits(flatten(docs, [DAY] * len(docs), ref))
    single = [(n, hit) for n, doc in enumerate(docs)
              for _, hit in LIST.hits(flatten([doc], [DAY], ref))]
    assert batch == single
    assert [(n, h.ref, h.item, h.hard) for n, h in batch] == [
        (0, "3A001", 2, True), (2, "4A003", 2, False), (2, "5A002", 2, False)]
