"""An error message quotes a client's value cut to SHOWN_CHARS characters: a 404 on a
5,000-digit key says which key in 64 characters and an ellipsis, never the whole input;
short values read exactly as `{value!r}` did."""

from __future__ import annotations

import pytest

from clearway.errors import SHOWN_CHARS, NotFound, shown

LONG = "7" * 5000

CASES = [  # (value, quoted)
    ("26RS1", "'26RS1'"),
    ("a" * SHOWN_CHARS, repr("a" * SHOWN_CHARS)),
    (LONG, repr("7" * SHOWN_CHARS) + "…"),
    ("it's", '"it\'s"'),
    (5, "5"),
    ([1, 2], "[1, 2]"),
    (list(range(1000)), repr(list(range(1000)))[:SHOWN_CHARS] + "…"),
]


@pytest.mark.parametrize(("value", "quoted"), CASES, ids=[repr(c[0])[:20] for c in CASES])
def test_shown_cuts_long_values(value: object, quoted: str) -> None:
    assert shown(value) == quoted


def test_not_found_does_not_echo_a_long_key() -> None:
    error = NotFound("Declaration", LONG)
    assert error.message == f"Declaration {'7' * SHOWN_CHARS!r}… not found"
    assert len(error.message) < 100 and error.status == 404
    assert NotFound("Task", "12").message == "Task '12' not found"
