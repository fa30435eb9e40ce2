"""Where a data subject appears in an exchanged payload: a person by any of their keyed
pseudonyms (the pseudonym is all a partner ever holds of a natural person), a company by
its EORI. The pointers say where, so the export shows it without the rest of the message."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any


def places(payload: Any, wanted: Collection[str], pointer: str = "") -> Iterator[str]:
    """The JSON pointers of the texts in `payload` that are one of `wanted`."""
    if isinstance(payload, str):
        if payload in wanted:
            yield pointer or "/"
    elif isinstance(payload, dict):
        for name, value in payload.items():
            escaped = str(name).replace("~", "~0").replace("/", "~1")
            yield from places(value, wanted, f"{pointer}/{escaped}")
    elif isinstance(payload, list):
        for i, value in enumerate(payload):
            yield from places(value, wanted, f"{pointer}/{i}")
