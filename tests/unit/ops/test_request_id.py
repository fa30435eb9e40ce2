"""Which incoming request IDs are honoured, and that each request gets one."""

from __future__ import annotations

import pytest

from clearway.ops.request_id import (
    accept_request_id,
    bind_request_id,
    current_request_id,
    new_request_id,
    unbind_request_id,
)


@pytest.mark.parametrize(("incoming", "honoured"), [
    ("abc", True),
    ("A-z_0.9", True),
    ("6f1c0a8e-2b1d-4c55-9a7e-0d9b3c1e2f44", True),
    ("x" * 128, True),
    ("x" * 129, False),
    ("", False),
    (None, False),
    ("has space", False),
    ("new\nline", False),
    ('quote"', False),
    ("slash/", False),
    ("é", False),
])
def test_incoming_ids_are_validated(incoming: str | None, honoured: bool) -> None:
    chosen = accept_request_id(incoming)
    assert (chosen == incoming) is honoured
    if not honoured:
        assert len(chosen) == 32 and all(c in "0123456789abcdef" for c in chosen)


def test_generated_ids_differ() -> None:
    assert len({new_request_id() for _ in range(100)}) == 100


def test_binding_is_undone() -> None:
    assert current_request_id() is None
    binding = bind_request_id("r1")
    assert current_request_id() == "r1"
    unbind_request_id(binding)
    assert current_request_id() is None
