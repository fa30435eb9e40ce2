"""Reading the data elements of a tokenized segment: components, text, numbers and whole
numbers. A value that cannot be read raises `BadValue`, naming the element to correct, and
a segment is pointed at as "segment N (TAG)" (N counts from UNB as 1)."""

from __future__ import annotations

import re
from decimal import Decimal

from pydifact.segments import Segment

_NUMBER = re.compile(r"-?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
DIGITS = re.compile(r"[0-9]{1,9}")


class BadValue(Exception):
    """A value in the current segment cannot be read (message, element)."""

    def __init__(self, message: str, element: str | None = None) -> None:
        super().__init__(message)
        self.message, self.element = message, element


def at(pos: int, tag: str) -> str:
    """The pointer of the segment at 1-based position `pos`."""
    return f"segment {pos} ({tag})"


def comp(seg: Segment, i: int, j: int = 0) -> str:
    """Component j of data element i ("" when absent)."""
    value = seg.elements[i] if i < len(seg.elements) else ""
    if isinstance(value, list):
        return value[j] if j < len(value) else ""
    return value if j == 0 else ""


def comps(seg: Segment, i: int) -> list[str]:
    value = seg.elements[i] if i < len(seg.elements) else ""
    return list(value) if isinstance(value, list) else [value]


def text(seg: Segment, i: int, start: int = 0) -> str | None:
    """Data element i's components from `start` on, joined (free text split over them)."""
    return "".join(comps(seg, i)[start:]) or None


def number(value: str, element: str) -> Decimal:
    """A decimal number; "." or "," as the decimal mark."""
    if not _NUMBER.fullmatch(value):
        raise BadValue(f"{value!r} is not a number", element)
    return Decimal(value.replace(",", "."))


def integer(value: str, element: str) -> int:
    if not DIGITS.fullmatch(value):
        raise BadValue(f"{value!r} is not a whole number", element)
    return int(value)


def required(value: str, what: str, element: str) -> str:
    if not value:
        raise BadValue(f"{what} is missing", element)
    return value
