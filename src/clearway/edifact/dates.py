"""Dates in DTM segments (C507), read and written. A DTM is read whole, so that an unknown
format code or an impossible date is refused instead of kept as unread text."""

from __future__ import annotations

from datetime import date, datetime

from pydifact.segments import Segment

from clearway.edifact.values import BadValue, comp

# DTM C507 date/time formats (UN/EDIFACT 2379) Clearway reads: the date part of each.
DATE_FORMATS = {"102": ("CCYYMMDD", "%Y%m%d"), "203": ("CCYYMMDDHHMM", "%Y%m%d%H%M"),
                "204": ("CCYYMMDDHHMMSS", "%Y%m%d%H%M%S")}


def read_date(seg: Segment, element: str) -> date:
    """The date of a DTM segment: qualifier, a value and a known format code (102 when
    absent), the value a real date and time of that format."""
    value, fmt = comp(seg, 0, 1), comp(seg, 0, 2) or "102"
    if not comp(seg, 0):
        raise BadValue("the DTM has no date/time qualifier (C507/2005)", "2005")
    if fmt not in DATE_FORMATS:
        raise BadValue(f"date/time format {fmt!r} is not one of {', '.join(DATE_FORMATS)} "
                       "(C507/2379)", "2379")
    pattern, parse = DATE_FORMATS[fmt]
    if not (value.isascii() and value.isdigit() and len(value) == len(pattern)):
        raise BadValue(f"date {value!r} is not {pattern} (format {fmt})", element)
    try:
        return datetime.strptime(value, parse).date()
    except ValueError:
        raise BadValue(f"{value!r} is not a real date and time ({pattern})", element) from None


def day_value(value: date) -> list[str]:
    """C507's value and format for a day: CCYYMMDD, 102."""
    return [f"{value.year:04d}{value.month:02d}{value.day:02d}", "102"]


def minute_value(value: datetime) -> list[str]:
    """C507's value and format for a time to the minute: CCYYMMDDHHMM, 203."""
    return [f"{value.year:04d}{value:%m%d%H%M}", "203"]
