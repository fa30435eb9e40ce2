"""Writing EDIFACT: segments built as pydifact `Segment`s and one interchange holding one
message, serialized by pydifact (escaping ``? : + '``; UNT and UNZ counts come from the
segments actually written)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from pydifact.control import Characters
from pydifact.segmentcollection import Interchange, Message
from pydifact.segments import Segment

Value = str | list[str] | None


def seg(tag: str, *elements: Value) -> Segment:
    """A segment without trailing empty data elements or components."""
    cleaned: list[str | list[str]] = []
    for element in elements:
        if isinstance(element, list):
            parts = list(element)
            while parts and not parts[-1]:
                parts.pop()
            cleaned.append(parts if len(parts) > 1 else (parts[0] if parts else ""))
        else:
            cleaned.append(element or "")
    while cleaned and cleaned[-1] == "":
        cleaned.pop()
    with warnings.catch_warnings():  # pydifact warns about segments without data elements
        warnings.simplefilter("ignore")
        return Segment(tag, *cleaned)


def chunks(value: str | None, size: int) -> list[str]:
    """Text split over components of `size` characters (a reader joins them again)."""
    value = value or ""
    return [value[i:i + size] for i in range(0, len(value), size)]


def num(value: Decimal | int | None) -> str:
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) \
        else str(value)


def interchange(segments: Sequence[Segment], *, message_type: list[str],
                message_reference: str, sender: str, recipient: str, control_reference: str,
                prepared_at: datetime, break_lines: bool = False) -> str:
    """One interchange: UNA ``:+.? '``, UNB ``UNOC:3``, one message UNH..UNT of
    `message_type` around `segments`, UNZ."""
    built = Interchange(sender=sender, recipient=recipient, control_reference=control_reference,
                        syntax_identifier=("UNOC", 3), timestamp=prepared_at,
                        characters=Characters(decimal_point="."))
    built.has_una_segment = True
    message = Message(message_reference, message_type)
    message.add_segments(segments)
    built.add_message(message)
    return built.serialize(break_lines=break_lines)
