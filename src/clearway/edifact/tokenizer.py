"""EDIFACT syntax level: the text of an interchange -> pydifact `Segment`s.

`parse_segments` reads the UNA service string advice (at the start only, so a stray "'UNA"
in data cannot move it) and hands the rest to `tokenize`.

pydifact's tokenizer walks the text a character at a time in Python (about 5 µs a
character: a 1 MiB interchange took seconds, and the server with it). Here the work is done
by `str.split` and `str.replace`, which run in C, and every count and size is bounded
before the next split, so no input makes the work grow faster than its length:

1. C0 control characters other than CR and LF (tab included) and DEL are refused: no UNOx
   repertoire has them, and a NUL could not be stored on PostgreSQL anyway (CW-SYN-TEXT).
2. Released characters (``?:``, ``?+``, ``?'``, ``??``) become control characters that step
   1 proved absent, so the separators can be split on plainly; they are put back per value.
3. Segments are split on the terminator; CR, LF and spaces after a terminator are line
   layout, as in pydifact. Elements and components are split and bounded per segment.

The result is the same as pydifact's parser gives (trailing empty components dropped, a
single component as a string, several as a list), which tests/unit/declarations/test_edifact
checks through the CUSDEC reader.
"""

from __future__ import annotations

import re
import warnings

from pydifact.constants import service_segments
from pydifact.control import Characters
from pydifact.segments import Segment

# Bounds on one interchange (docs/formats.md, "Limits and hostile input"), each refused with
# CW-SYN-ELEMENTS. Segments: far above any real declaration (999 goods items x ~30). Per
# segment (ISO 9735 allows 99 data elements of 99 components; CUSDEC's longest value is
# an..512): bound before each split, so separators alone cannot make work grow.
MAX_EDIFACT_SEGMENTS = 50_000  # segments in one interchange
MAX_EDIFACT_ELEMENTS = 99  # data elements in one segment
MAX_EDIFACT_COMPONENTS = 99  # components in one data element
MAX_EDIFACT_VALUE_CHARS = 512  # characters of one component or simple element

Element = str | list[str]
# Refused anywhere in an interchange; CR and LF are line layout between segments.
_CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile("[A-Z][A-Z0-9]{2}")
_SERVICE = frozenset(service_segments)
# Stand-ins for released characters: C0 controls, which step 1 has proved absent.
_RELEASED = ("\x01", "\x02", "\x03", "\x04")  # component sep, data sep, terminator, release


class SyntaxRefusal(Exception):
    """The text breaks EDIFACT syntax or a bound; `position` is the 1-based segment it broke
    in (0: the whole interchange), `code` the issue's code (CW-SYN-EDI, or CW-SYN-ELEMENTS /
    CW-SYN-TEXT for a bound)."""

    def __init__(self, message: str, position: int, code: str = "CW-SYN-EDI") -> None:
        super().__init__(message)
        self.position, self.code = position, code


class TooManySegments(SyntaxRefusal):
    """The interchange holds more segments than MAX_EDIFACT_SEGMENTS (counted unread)."""


def _segment_at(text: str, index: int, terminator: str) -> int:
    return text.count(terminator, 0, index) + 1


def _unrelease(text: str, chars: Characters) -> tuple[str, dict[int, str] | None]:
    """Replace released characters by stand-ins; the table that puts them back, or None
    when the text has no release character at all (the common case)."""
    release = chars.escape_character
    if release not in text:
        return text, None
    specials = (chars.component_separator, chars.data_separator, chars.segment_terminator)
    # Left to right, as the standard reads it: "??" first, so "???:" is "?" then ":".
    text = text.replace(release + release, _RELEASED[3])
    for special, stand_in in zip(specials, _RELEASED, strict=False):
        text = text.replace(release + special, stand_in)
    at = text.find(release + "\n")
    if at >= 0:
        raise SyntaxRefusal("a release character may not precede a line break",
                            _segment_at(text, at, chars.segment_terminator))
    if text.endswith(release):
        raise SyntaxRefusal("the interchange ends with a release character",
                            text.count(chars.segment_terminator) + 1)
    text = text.replace(release, "")  # a release before an ordinary character is dropped
    restore = dict(zip(map(ord, _RELEASED), (*specials, release), strict=True))
    return text, restore


def _element(raw: str, separator: str, restore: dict[int, str] | None,
             position: int) -> Element:
    if separator not in raw:
        if len(raw) > MAX_EDIFACT_VALUE_CHARS:
            raise _too_long(position)
        return raw.translate(restore) if restore and raw else raw
    if raw.count(separator) >= MAX_EDIFACT_COMPONENTS:
        raise SyntaxRefusal(f"a data element has more than {MAX_EDIFACT_COMPONENTS} "
                            "components", position, "CW-SYN-ELEMENTS")
    parts = raw.split(separator)
    while parts and not parts[-1]:  # trailing empty components are not transmitted
        parts.pop()
    for part in parts:
        if len(part) > MAX_EDIFACT_VALUE_CHARS:
            raise _too_long(position)
    if restore:
        parts = [p.translate(restore) for p in parts]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else parts


def _too_long(position: int) -> SyntaxRefusal:
    return SyntaxRefusal(f"a value is longer than {MAX_EDIFACT_VALUE_CHARS} characters",
                         position, "CW-SYN-ELEMENTS")


def tokenize(text: str, chars: Characters) -> list[Segment]:
    """The segments of `text` (the interchange after any UNA advice)."""
    terminator, data_sep = chars.segment_terminator, chars.data_separator
    bad = _CONTROL.search(text)
    if bad:
        raise SyntaxRefusal(f"control character U+{ord(bad.group()):04X} at character "
                            f"{bad.start()}", _segment_at(text, bad.start(), terminator),
                            "CW-SYN-TEXT")
    text, restore = _unrelease(text, chars)
    raws = text.split(terminator)
    if len(raws) - 1 > MAX_EDIFACT_SEGMENTS:
        raise SyntaxRefusal(f"more than {MAX_EDIFACT_SEGMENTS} segments", 0, "CW-SYN-ELEMENTS")
    if raws[-1].lstrip(" \r\n"):
        raise SyntaxRefusal("the interchange ends inside a segment (no terminator)",
                            len(raws))
    segments: list[Segment] = []
    version = ""
    for position, raw in enumerate(raws[:-1], start=1):
        raw = raw.lstrip(" \r\n") if position > 1 else raw
        if raw.count(data_sep) >= MAX_EDIFACT_ELEMENTS:
            raise SyntaxRefusal(f"a segment has more than {MAX_EDIFACT_ELEMENTS} data "
                                "elements", position, "CW-SYN-ELEMENTS")
        tag, *rest = raw.split(data_sep)
        if not _TAG.fullmatch(tag):
            raise SyntaxRefusal(f"{tag[:20]!r} is not a segment tag (three upper-case "
                                "letters or digits)", position)
        elements = [_element(e, chars.component_separator, restore, position) for e in rest]
        segment = Segment.__new__(Segment)
        segment.tag, segment.elements = tag, elements
        if tag in _SERVICE:  # the syntax checks pydifact made on service segments
            if tag == "UNB" and elements and isinstance(elements[0], list):
                version = elements[0][1]
            try:
                with warnings.catch_warnings():  # "no segments.xml for service/v300"
                    warnings.simplefilter("ignore")
                    segment.validate(version, "")
            except Exception as exc:
                raise SyntaxRefusal(str(exc) or type(exc).__name__, position) from None
        segments.append(segment)
    return segments


def parse_segments(text: str) -> tuple[list[Segment], Characters]:
    """The segments of an interchange and its separators: the UNA advice, when the text
    starts with one, else the defaults ``:+.? '``."""
    chars = Characters()
    if text.startswith("UNA"):
        advice = text[3:9]
        if len(advice) != 6:  # cut short: there is no advice to read the separators from
            raise SyntaxRefusal("the UNA service string advice is malformed", 0)
        separators = advice[:2] + advice[3] + advice[5]
        if (len(set(separators)) != 4
                or not all(c.isprintable() or c in "\r\n" for c in separators)):
            raise SyntaxRefusal("the UNA service string advice is malformed", 0)
        chars = Characters.from_str("UNA" + advice)
        text = text[9:].lstrip("\r\n")
    # Counted before tokenising (released terminators aside); tokenize counts exactly.
    terminator = chars.segment_terminator
    if (text.count(terminator) - text.count(chars.escape_character + terminator)
            > MAX_EDIFACT_SEGMENTS):
        raise TooManySegments(f"more than {MAX_EDIFACT_SEGMENTS} segments", 0,
                              "CW-SYN-ELEMENTS")
    return tokenize(text, chars), chars
