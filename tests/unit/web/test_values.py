"""Stored values as a person reads them (`clearway.web.values`): never a Python spelling."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from clearway.web.render import templates
from clearway.web.values import label, readable


@pytest.mark.parametrize(("key", "expected"), [
    ("ens_outcome", "ENS outcome"), ("revenue", "Revenue"), ("officer_id", "Officer ID"),
    ("random", "Random"), ("hits", "Hits"), ("model-version", "Model version"),
    ("mrn", "MRN"), ("hs6_code", "HS6 code"), ("", ""),
])
def test_labels_are_words(key: str, expected: str) -> None:
    assert label(key) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (True, "yes"), (False, "no"), (None, "—"), ("", "—"), ([], "—"), ({}, "—"),
    (20000, "20,000"), (0.25, "0.25"), (1234.5, "1,234.5"), (0.0001234, "0.000123"),
    (Decimal("1234.50"), "1,234.50"), (["a", "b", 3], "a, b, 3"), ([None, "x"], "x"),
    ("<b>", "&lt;b&gt;"), (datetime(2026, 11, 20, 9, 30, tzinfo=UTC), "2026-11-20 09:30 UTC"),
])
def test_scalars_and_flat_lists(value: Any, expected: str) -> None:
    assert str(readable(value)) == expected


def test_a_detail_renders_as_labelled_fields_with_empty_ones_left_out() -> None:
    detail = {"random": False, "channel": "red", "hits": [], "ens_outcome": None,
              "revenue": None, "profiles": ["VAL-1", "PRH-2"],
              "scores": {"fiscal": 0.5, "security_area": 0}}
    html = str(readable(detail))
    assert html.startswith('<dl class="fields">')
    for shown in ("<dt>Random</dt><dd>no</dd>", "<dt>Channel</dt><dd>red</dd>",
                  "<dt>Profiles</dt><dd>VAL-1, PRH-2</dd>",
                  '<dt>Scores</dt><dd><dl class="fields"><div><dt>Fiscal</dt><dd>0.5</dd>'
                  '</div><div><dt>Security area</dt><dd>0</dd></div></dl></dd>'):
        assert shown in html
    for gone in ("Hits", "ENS outcome", "Revenue", "None", "False", "[]", "{"):
        assert gone not in html


def test_records_in_a_list_become_a_sub_list() -> None:
    html = str(readable([{"item": 1, "quantity": 20}, {"item": 2, "quantity": None}]))
    assert html == ('<ul class="fields"><li><dl class="fields"><div><dt>Item</dt><dd>1</dd>'
                    '</div><div><dt>Quantity</dt><dd>20</dd></div></dl></li><li>'
                    '<dl class="fields"><div><dt>Item</dt><dd>2</dd></div></dl></li></ul>')


def test_a_mapping_of_nothing_is_a_dash_and_deep_data_stays_json() -> None:
    assert str(readable({"a": None, "b": []})) == "—"
    deep: Any = {"v": 1}
    for _ in range(6):
        deep = {"d": deep}
    assert '{&#34;d&#34;: {&#34;v&#34;: 1}}' in str(readable(deep))


def test_the_console_templates_have_the_filter() -> None:
    rendered = templates.env.from_string("{{ d | readable }}").render(d={"ens_outcome": True})
    assert rendered == '<dl class="fields"><div><dt>ENS outcome</dt><dd>yes</dd></div></dl>'
