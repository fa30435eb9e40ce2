"""Format readers: each turns submitted bytes into the canonical model.

A reader returns a `ParsedDocument`; it raises `DocumentInvalid` with coded issues when the
bytes cannot be read as a declaration. `pointers` maps canonical JSON pointers (as used by
validation, e.g. "/items/0/net_mass") to the pointer in the submitted document (an XML path
or an EDIFACT segment position), so that every error points where the trader must look.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clearway.declarations.model import DeclarationDoc
from clearway.errors import DocumentInvalid, Issue

# Largest document accepted, in bytes: bigger ones are refused before parsing (CW-SYN-SIZE).
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# Structural limits (docs/formats.md, "Limits and hostile input"): far above any real
# declaration (999 goods items, nesting of 6 or 7 levels), low enough that a hostile document
# is refused in milliseconds instead of tying up a worker or its memory.
MAX_JSON_DEPTH = 32  # nested objects/arrays (the canonical model needs 5): CW-SYN-DEPTH
MAX_NUMBER_DIGITS = 40  # digits of one JSON number (amounts need < 20): CW-SYN-NUMBER
MAX_XML_ELEMENTS = 200_000  # elements in one XML document (999 items x ~60): CW-SYN-ELEMENTS
MAX_XML_ATTRIBUTES = 32  # attributes on one XML element (DEC-DMS uses at most 3): CW-SYN-ELEMENTS
# EDIFACT's bounds are the tokenizer's (clearway.edifact.tokenizer).

JSON = "json"
WCO_XML = "wco-xml"
EDIFACT = "edifact"
FORMATS = (JSON, WCO_XML, EDIFACT)


@dataclass
class ParsedDocument:
    doc: DeclarationDoc
    format: str
    pointers: dict[str, str] = field(default_factory=dict)
    # What the format needs to answer in kind (EDIFACT sender/recipient/reference, XML ids).
    envelope: dict[str, Any] = field(default_factory=dict)

    def pointer_for(self, canonical_pointer: str) -> str:
        """The submitted document's pointer for a canonical one, falling back to the closest
        ancestor that the reader recorded (or the canonical pointer itself for JSON)."""
        probe = canonical_pointer
        while probe:
            if probe in self.pointers:
                return self.pointers[probe]
            probe = probe.rsplit("/", 1)[0]
        return self.pointers.get("", canonical_pointer or "/")


def read_guarded(read: Callable[[bytes], ParsedDocument], data: bytes, *, code: str,
                 what: str) -> ParsedDocument:
    """Run a reader under its contract: nothing but a coded `DocumentInvalid` leaves it,
    whatever the bytes (an unforeseen failure becomes `code`, never a server error)."""
    try:
        return read(data)
    except DocumentInvalid:
        raise
    except Exception as exc:
        raise DocumentInvalid([Issue(code, f"{what} could not be read "
                                     f"({type(exc).__name__})", pointer="/")]) from None
