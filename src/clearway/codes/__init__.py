"""Every stable error code: the HTTP status of an answer that carries it, and what it means.

Codes never change meaning; new ones are only added. `ClearwayError` takes its status from this
table, so a use case raises by code alone. `docs/api.md` ends with the table (written by
`scripts/error_table.py`); `tests/unit/test_error_codes.py` checks the two against each other
and that every code the source names is here.
"""

from __future__ import annotations

from clearway.codes.agencies import AGENCIES
from clearway.codes.between import BETWEEN
from clearway.codes.kinds import IN_ERRORS, MALFORMED, TOO_LARGE, Code, answer, issue
from clearway.codes.prevention import PREVENTION
from clearway.codes.trade import TRADE
from clearway.codes.within import WITHIN

__all__ = ["CODES", "IN_ERRORS", "MALFORMED", "TOO_LARGE", "Code", "answer", "issue",
           "refused_as", "status_of"]

CODES: dict[str, Code] = {**WITHIN, **BETWEEN, **AGENCIES, **PREVENTION, **TRADE}


def status_of(code: str) -> int:
    """The HTTP status of an answer with `code`. A code missing from the table raises KeyError:
    a programming error, which tests/unit/test_error_codes.py finds in the source first."""
    return CODES[code].status


def refused_as(code: str, status: int) -> int:
    """`status` (MALFORMED or TOO_LARGE) for a boundary refusal under `code`, which lists it."""
    if status not in CODES[code].also:
        raise ValueError(f"{code} is never answered with {status}")
    return status
