"""Field types of the canonical declaration model: bounded numbers, LRNs and references, and
the `Canonical` base class, whose check every string of a document passes (no characters
that hide or reorder what an officer reads)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

# Bounded numbers: what real declarations carry, and what storage columns hold exactly
# (NUMERIC(18, 3): fifteen integer digits; six decimals cover masses in grams and exchange
# rates). Anything outside is refused as CW-SYN-SCHEMA, so 1E-1000000 never becomes a mass.
MAX_AMOUNT = Decimal("999999999999999")
MAX_DECIMALS = 6
# A number given as a JSON string is written as JSON writes numbers: ASCII digits, an
# optional minus, no leading "+" or spaces (Python's Decimal and int would also take "+1500",
# " 1500" and Arabic-Indic (U+0660-U+0669) or fullwidth digits). The XML and EDIFACT readers
# check their own lexical forms and hand over numbers, never strings.
_JSON_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_JSON_INTEGER = re.compile(r"-?[0-9]+")


def _number_text(pattern: re.Pattern[str]) -> BeforeValidator:
    def check(value: object) -> object:
        if isinstance(value, str) and not pattern.fullmatch(value):
            raise PydanticCustomError("CW-SYN-SCHEMA", "{value} is not a number written with "
                                      "ASCII digits (an optional leading minus, a decimal point, "
                                      "no plus sign or spaces)", {"value": repr(value)[:60]})
        return value
    return BeforeValidator(check)


Amount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=MAX_DECIMALS,
                                  allow_inf_nan=False), _number_text(_JSON_DECIMAL)]
SignedAmount = Annotated[Decimal, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT,
                                        decimal_places=MAX_DECIMALS, allow_inf_nan=False),
                         _number_text(_JSON_DECIMAL)]
Count = Annotated[int, Field(ge=0, le=999_999_999), _number_text(_JSON_INTEGER)]
ItemNumber = Annotated[int, Field(ge=1, le=99_999), _number_text(_JSON_INTEGER)]
# Unicode categories no reference may hold: controls, format characters (bidi overrides and
# isolates U+202A-U+202E, U+2066-U+2069, zero-width characters), surrogates, private use,
# unassigned code points, line and paragraph separators.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _printable(what: str) -> AfterValidator:
    """A reference that officers read and compare: not blank, no invisible or reordering
    characters (they make two different references look alike); an LRN has no tabs or line
    breaks and no surrounding spaces either (" A1" and "A1" would be two LRNs)."""
    lrn = what == "LRN"

    def check(value: str) -> str:
        for char in value:
            if unicodedata.category(char) in _UNPRINTABLE or (
                    lrn and char.isspace() and char != " "):
                raise PydanticCustomError(
                    "CW-SYN-REFERENCE", "The {what} holds the invisible or control character "
                    "{char}", {"what": what, "char": f"U+{ord(char):04X}"})
        if not value.strip() or (lrn and value != value.strip()):
            raise PydanticCustomError("CW-SYN-REFERENCE", "The {what} is blank or begins or "
                                      "ends with a space", {"what": what})
        if lrn and not _LRN.fullmatch(value):
            raise PydanticCustomError("CW-SYN-REFERENCE", "The LRN {value} is not 1 to 35 ASCII "
                                      "letters and digits with single '-', '_', '.' or '/' "
                                      "between them", {"value": repr(value)})
        return value
    return AfterValidator(check)


# DE 2/5: the EU has an..22, the WCO data model an..35, and the DMS trade tests use LRNs of
# 32 characters (UUIDs) with "_" and "." (TT_IM01b_v1.7_220322_1, U.7847323J0ADH): ASCII
# letters and digits, single separators between them. No spaces, no markup, no "/../", no
# look-alike characters (fullwidth "LRN1" is not "LRN1"): an LRN is a key officers type,
# compare and put in addresses.
_LRN = re.compile(r"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*")
Lrn = Annotated[str, Field(min_length=1, max_length=35), _printable("LRN")]
Reference = Annotated[str, _printable("reference")]


# Text an officer reads (every string of a document): no C0 or C1 control characters, no
# lone surrogates, and no bidirectional *overrides* U+202D/U+202E, which make text display
# in an order other than the stored one ("Trojan source"). Embeddings and isolates
# (U+202A-U+202C, U+2066-U+2069) and right-to-left scripts stay: Arabic and Hebrew names
# need them. Tab, CR and LF only in the free-text fields that are legitimately several lines.
MULTILINE = frozenset({"description", "marks", "text", "reason", "amendment_reason"})
_BAD_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u202d\u202e\ud800-\udfff]")
_BAD_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202d\u202e\ud800-\udfff]")


def _text_problem(field: str, value: str) -> None:
    bad = (_BAD_MULTILINE if field in MULTILINE else _BAD_TEXT).search(value)
    if bad:
        raise PydanticCustomError("CW-SYN-TEXT", "The {field} holds the control or "
                                  "bidirectional-override character {char}",
                                  {"field": field, "char": f"U+{ord(bad.group()):04X}"})


class Canonical(BaseModel):
    """Base for canonical objects: unknown fields are refused so typos never pass silently,
    and no text holds characters that hide or reorder what an officer reads."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("*", mode="after")
    @classmethod
    def _text(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            _text_problem(info.field_name or "text", value)
        elif isinstance(value, list):
            for element in value:
                if isinstance(element, str):
                    _text_problem(info.field_name or "text", element)
        return value
