"""Movement Reference Numbers in the EU format.

18 characters: 2-digit year, 2-letter country, a 12-character unique part, a procedure
category letter, and a check character computed over the first 17 as in ISO 6346.
"""

from __future__ import annotations

import string

_ALPHABET = string.digits + string.ascii_uppercase
# Letter values skip multiples of 11, as in ISO 6346.
_VALUES = {**{d: int(d) for d in string.digits},
           **dict(zip(string.ascii_uppercase,
                      [v for v in range(10, 39) if v % 11 != 0], strict=False))}
# Procedure category letter by declaration kind (EU MRN structure, Annex B).
PROCEDURE_LETTER = {"EX": "A", "IM": "R", "ENS": "T", "EXS": "C", "CO": "J", "INV": "R"}


def check_character(first17: str) -> str:
    total = sum(_VALUES[c] * (2**i) for i, c in enumerate(first17))
    return str(total % 11 % 10)


def _base36(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = _ALPHABET[r] + out
    return out.rjust(width, "0")


def make_mrn(*, year: int, country: str, serial: int, kind: str) -> str:
    """The MRN for the `serial`-th declaration of this administration: unique by
    construction, so no retry loop is needed under concurrency."""
    body = f"{year % 100:02d}{country.upper()}{_base36(serial, 12)}{PROCEDURE_LETTER[kind]}"
    return body + check_character(body)


def is_valid_mrn(mrn: str) -> bool:
    return (len(mrn) == 18 and mrn[:2].isdigit() and mrn[2:4].isalpha()
            and all(c in _ALPHABET for c in mrn) and check_character(mrn[:17]) == mrn[17])
