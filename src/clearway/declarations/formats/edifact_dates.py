"""Dates in CUSDEC DTM segments (C507): every DTM is read, mapped or not, so that an
unknown format code or an impossible date is refused instead of kept as unmapped text."""

from __future__ import annotations

from datetime import date, datetime

from pydifact.segments import Segment

from clearway.declarations.formats.edifact import Bad, comp

# DTM C507 date/time formats (UN/EDIFACT 2379) Clearway reads: the date part of each.
DATE_FORMATS = {"102": ("CCYYMMDD", "%Y%m%d"), "203": ("CCYYMMDDHHMM", "%Y%m%d%H%M"),
                "204": ("CCYYMMDDHHMMSS", "%Y%m%d%H%M%S")}


def dtm(seg: Segment, element: str) -> date:
    """The date of a DTM segment, in any DTM (mapped or not): qualifier, a value and a
    known format code (102 when absent), the value a real date and time of that format."""
    value, fmt = comp(seg, 0, 1), comp(seg, 0, 2) or "102"
    if not comp(seg, 0):
        raise Bad("the DTM has no date/time qualifier (C507/2005)", "2005")
    if fmt not in DATE_FORMATS:
        raise Bad(f"date/time format {fmt!r} is not one of {', '.join(DATE_FORMATS)} "
                  "(C507/2379)", "2379")
    pattern, parse = DATE_FORMATS[fmt]
    if not (value.isascii() and value.isdigit() and len(value) == len(pattern)):
        raise Bad(f"date {value!r} is not {pattern} (format {fmt})", element)
    try:
        return datetime.strptime(value, parse).date()
    except ValueError:
        raise Bad(f"{value!r} is not a real date and time ({pattern})", element) from None
