"""Which items match which applications for action, and what the hit says."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from clearway.declarations.model import Declaration
from clearway.ipr.matcher import IprRegister
from clearway.ipr.model import DEFAULT_INSTRUCTIONS, IprApplication
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.decision import Area, Channel, Source
from clearway.risk.engine.fields import ROW_KEYS, SCHEMA
from clearway.risk.engine.frame import flatten
from helpers import import_doc

DAY = date(2026, 5, 1)


def application(reference: str, **changes: Any) -> IprApplication:
    base: dict[str, Any] = {
        "reference": reference, "right_holder": f"Holder of {reference}", "contact": "c@x.eu",
        "goods_description": "goods", "valid_from": date(2026, 1, 1),
        "valid_to": date(2026, 12, 31)}
    return IprApplication.model_validate({**base, **changes})


REGISTER = IprRegister([
    application("NIKE", brands=["Nike", "Air Jordan"], keywords=["swoosh"],
                hs_codes=["6403", "6404", "6109"]),
    application("LV", brands=["Louis Vuitton"], min_channel="yellow",
                instructions="Photograph the monogram and call the right holder"),
    application("ADIDAS", brands=["Adidas"], hs_codes=["61", "64"],
                valid_from=date(2026, 5, 2), valid_to=date(2027, 5, 1)),
    application("GONE", brands=["Oldbrand"], status="withdrawn"),
])


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    columns = {**ROW_KEYS, **SCHEMA}
    return pl.DataFrame([{**dict.fromkeys(columns), **r} for r in rows], schema=columns,
                        orient="row")


def row(description: str | None, code: str | None = "640399", kind: str = "IM",
        on: date = DAY, decl: int = 0, item: int = 1) -> dict[str, Any]:
    return {"_decl": decl, "_key": str(decl), "item": item, "declaration_type": kind,
            "declaration_date": on, "commodity_code": code, "description": description}


CASES = [
    # description, commodity code, declaration type, date -> references hit
    ("Nike running shoes", "640399", "IM", DAY, ["NIKE"]),
    ("NIKE", "640411", "EX", DAY, ["NIKE"]),
    ("shoes with swoosh", "640399", "CO", DAY, ["NIKE"]),
    ("nike-shoes", "640399", "IM", DAY, ["NIKE"]),         # punctuation separates words
    ("Nikes", "640399", "IM", DAY, []),                     # not the whole word
    ("snike", "640399", "IM", DAY, []),
    ("Nike shoes", "420221", "IM", DAY, []),                # outside the HS prefixes
    ("Nike shoes", None, "IM", DAY, []),                    # no code: prefixes cannot hold
    ("Nike shoes", "640399", "ENS", DAY, []),               # safety and security only
    ("Air  JORDAN sneakers", "640399", "IM", DAY, ["NIKE"]),
    ("Air sneakers Jordan", "640399", "IM", DAY, []),       # phrase words in order
    ("Louis Vuitton bag", "420221", "IM", DAY, ["LV"]),     # no prefixes: any code
    ("LOUIS-VUITTON", None, "EX", DAY, ["LV"]),
    ("Nike x Louis Vuitton shoes", "640399", "IM", DAY, ["NIKE", "LV"]),
    ("Ботинки NIKE", "640399", "IM", DAY, ["NIKE"]),
    ("Ботинки Адидас", "640399", "IM", date(2026, 6, 1), ["ADIDAS"]),   # Cyrillic
    ("ADIDAS t-shirts", "610910", "IM", date(2026, 5, 1), []),          # day before validity
    ("ADIDAS t-shirts", "610910", "IM", date(2026, 5, 2), ["ADIDAS"]),  # first day
    ("ADIDAS t-shirts", "610910", "IM", date(2027, 5, 1), ["ADIDAS"]),  # last day
    ("ADIDAS t-shirts", "610910", "IM", date(2027, 5, 2), []),
    ("Nike shoes", "640399", "IM", date(2027, 1, 1), []),   # application expired
    ("Oldbrand goods", "640399", "IM", DAY, []),            # withdrawn
    ("Plain shoes", "640399", "IM", DAY, []),
    (None, "640399", "IM", DAY, []),
]


@pytest.mark.parametrize(("description", "code", "kind", "on", "refs"), CASES)
def test_matching_table(description: str | None, code: str | None, kind: str, on: date,
                        refs: list[str]) -> None:
    hits = REGISTER.hits(frame([row(description, code, kind, on)]))
    assert [h.ref for _, h in hits] == refs


def test_one_hit_per_item_and_application_with_evidence() -> None:
    hits = REGISTER.hits(frame([row("Nike Air Jordan with swoosh, by Nike", "640399", item=3)]))
    assert len(hits) == 1
    decl, hit = hits[0]
    assert decl == 0 and hit.item == 3
    assert (hit.source, hit.area, hit.hard, hit.min_channel) == (
        Source.IPR, Area.IPR, True, Channel.RED)
    assert hit.evidence == {"brand": "Nike", "keyword": "swoosh",
                            "terms": ["Nike", "Air Jordan", "swoosh"], "hs_prefix": "6403",
                            "right_holder": "Holder of NIKE", "contact": "c@x.eu",
                            "valid_to": "2026-12-31"}
    assert "Holder of NIKE" in hit.reason and "\u201cAir Jordan\u201d" in hit.reason
    assert hit.instructions == DEFAULT_INSTRUCTIONS


def test_application_channel_and_instructions() -> None:
    [(_, hit)] = REGISTER.hits(frame([row("louis vuitton", "420221")]))
    assert hit.min_channel == Channel.YELLOW
    assert hit.instructions == "Photograph the monogram and call the right holder"
    assert hit.evidence["brand"] == "Louis Vuitton" and hit.evidence["hs_prefix"] is None


def test_longest_prefix_is_reported() -> None:
    register = IprRegister([application("A", keywords=["widget"], hs_codes=["84", "8471"])])
    [(_, hit)] = register.hits(frame([row("widget", "84713000")]))
    assert hit.evidence["hs_prefix"] == "8471"


def test_declaration_types_are_a_parameter() -> None:
    register = IprRegister(REGISTER.applications, declaration_types={"ENS"})
    assert [h.ref for _, h in register.hits(frame([row("Nike", kind="ENS")]))] == ["NIKE"]
    assert register.hits(frame([row("Nike", kind="IM")])) == []


@pytest.mark.parametrize("register", [IprRegister([]), REGISTER])
def test_nothing_to_match(register: IprRegister) -> None:
    assert register.hits(frame([])) == []
    assert IprRegister([]).hits(frame([row("Nike")])) == []


def test_batch_and_single_declarations_give_the_same_hits() -> None:
    ref = RefDataSnapshot({})
    docs = []
    for n, (first, second) in enumerate([("Nike sneakers", "Cotton T-shirts"),
                                         ("Plain shoes", "Louis Vuitton monogram bag"),
                                         ("NIKE air jordan", "adidas t-shirt")]):
        doc = import_doc(lrn=f"L{n}")
        doc["items"][0].update(description=first, commodity_code="640399")
        doc["items"][1].update(description=second, commodity_code="420221")
        docs.append(Declaration.model_validate(doc))
    days = [DAY] * len(docs)
    batch = REGISTER.hits(flatten(docs, days, ref))
    single = [(n, hit) for n, doc in enumerate(docs)
              for _, hit in REGISTER.hits(flatten([doc], [DAY], ref))]
    assert batch == single
    assert [(n, h.ref, h.item) for n, h in batch] == [(0, "NIKE", 1), (1, "LV", 2), (2, "NIKE", 1)]
