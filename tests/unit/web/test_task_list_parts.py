"""The officer's task list in words: waiting times an officer reads at a glance, and the goods
items of a task's declaration as the task page lists them."""

from __future__ import annotations

from typing import Any

import pytest

from clearway.web.controls import duration, goods, page_number


@pytest.mark.parametrize(("seconds", "words"), [
    (0, "under 1 min"), (59, "under 1 min"), (60, "1 min"), (45 * 60 + 30, "45 min"),
    (3600, "1 h"), (2 * 3600 + 15 * 60, "2 h 15 min"), (23 * 3600 + 59 * 60, "23 h 59 min"),
    (86400, "1 d"), (3 * 86400 + 4 * 3600 + 59 * 60, "3 d 4 h"),
])
def test_waiting_time_in_words(seconds: float, words: str) -> None:
    assert duration(seconds) == words


@pytest.mark.parametrize(("text", "number"), [
    ("", 1), ("0", 1), ("3", 3), ("-2", 1), ("x", 1), ("99999999999", 1), ("300000", 200000),
])
def test_page_numbers_are_clamped(text: str, number: int) -> None:
    assert page_number(text) == number


@pytest.mark.parametrize(("item", "doc", "row"), [
    ({"sequence": 1, "commodity_code": "8703231990", "description": "Passenger car",
      "origin_country": "DE", "gross_mass": "1380.000", "item_price": "21500.00",
      "item_price_currency": "EUR", "packages": [{"kind": "NE", "count": 1}]},
     {"invoice_currency": "USD"},
     {"sequence": 1, "code": "8703231990", "description": "Passenger car", "origin": "DE",
      "packages": "1 NE", "gross_mass": "1380.000", "value": "21500.00 EUR"}),
    ({"sequence": 2, "commodity_code": "1001990000", "description": "Wheat",
      "customs_value": "900.00", "packages": [{"kind": "BG", "count": 20},
                                              {"kind": "PX", "count": 1}]},
     {"invoice_currency": "USD"},
     {"sequence": 2, "code": "1001990000", "description": "Wheat", "origin": "",
      "packages": "20 BG; 1 PX", "gross_mass": None, "value": "900.00 USD"}),
    ({"sequence": 3, "commodity_code": "6403", "description": "Shoes"}, {},
     {"sequence": 3, "code": "6403", "description": "Shoes", "origin": "", "packages": "",
      "gross_mass": None, "value": ""}),
])
def test_goods_items_of_a_task(item: dict[str, Any], doc: dict[str, Any],
                               row: dict[str, Any]) -> None:
    assert goods({**doc, "items": [item]}) == [row]
