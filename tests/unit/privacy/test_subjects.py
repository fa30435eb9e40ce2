"""Where a subject appears in a payload: pointers to each text that is one of theirs."""

from __future__ import annotations

from clearway.privacy.subjects import places

PAYLOAD = {"mrn": "26RS1", "exporter": {"eori": "RS123", "country": "RS"},
           "consignee": {"pseudonym": "ps1:k:abc", "country": "MK"},
           "goods_items": [{"description": "ps1:k:abc"}], "a/b": "RS123"}


def test_every_place_of_a_wanted_text_is_found() -> None:
    assert sorted(places(PAYLOAD, {"ps1:k:abc", "RS123"})) == [
        "/a~1b", "/consignee/pseudonym", "/exporter/eori", "/goods_items/0/description"]


def test_nothing_wanted_nothing_found() -> None:
    assert list(places(PAYLOAD, frozenset())) == []
    assert list(places(PAYLOAD, {"someone else"})) == []
