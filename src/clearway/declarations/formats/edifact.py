"""Reader for UN/EDIFACT CUSDEC (D.96B) interchanges: one CUSDEC message -> canonical model.

Syntax: UNA optional (default separators ``:+.? '``; ``.`` or ``,`` as decimal mark), UNB
``UNOC:3`` (the bytes must be UTF-8), UNH ``CUSDEC:D:96B:UN``. Pointers count UNB as
"segment 1" (the UNA advice is not a segment). docs/formats/edifact.md is the trader's guide.
† marks a Clearway convention where the UN code list has no fitting value.

Segment (header, before UNS+D)          Canonical field (EU data element)
BGM+929|830|914+<LRN>+9|5|1             declaration_type IM|EX|CO, lrn (2/5); function 9
                                        original, 5 (or 4) amendment -> "13", 1 cancellation
DTM+137:<CCYYMMDD>:102                  declaration_date
GIS+<code>:ADT|NAT|RST †                additional_type (1/2) | nature_of_transaction (8/5) |
                                        representative_status (3/21)
GIS+1|0:CTR †                           transport.container (7/2)
LOC+96|22|ZZZ†|42|41+<office>           offices lodgement | presentation (5/26) | supervising
                                        (5/27) | exit (5/12) | first_entry (5/6)
LOC+35|28+<country>                     dispatch_country (5/14) | destination_country (5/8)
LOC+14+<code>:<qualifier>+<type>+<cc>   goods_location (5/23)
MEA+WT+AAD+KGM:<kg>                     total_gross_mass (6/5)
EQD+CN+<container>                      transport.container_ids (7/10)
FTX+ACB++<code>+<text>                  additional_information (2/2)
FTX+ACD++<code>+<text>                  amendment_reason / cancellation reason_code, reason
RFF+ABT:<MRN>                           amends_mrn / cancellation mrn (RFF+ACW as fallback)
RFF+AEI:<ref>:<line>:<type>:<category>  previous_documents (2/1)
RFF+ABL:<ref>::<type>                   guarantee reference (8/3), type (8/2)
RFF+ZZZ:<holder>::<type> †              authorisations (3/39)
TDT+11++<mode>+++++:::<identity>:<cc>   transport mode_at_border (7/4), border_identity
                                        (7/14), border_nationality (7/15)
TDT+1++<mode> / TDT+12 / TDT+13         inland_mode (7/5) / departure (7/7) / arrival (7/9)
                                        identity, in C222 like TDT+11
NAD+DT|IM|EX|CZ|CN|AE|SE|BY+<EORI>++<name>+<street>+<city>++<postcode>+<cc>   parties
TOD+++<incoterm>:::<place>              delivery_terms (4/1)
DOC+<code>:::<name>+<ref>:<status>      documents (2/3); DTM+182:<CCYYMMDD>:102 issue_date
CUX+2:<currency>:4++<rate>              invoice_currency (4/10), exchange_rate (4/15)
MOA+39:<amount>                         invoice_amount (4/11)
Goods items (after UNS+D, each starts with CST)
CST+<n>+<commodity>:108+<RRPP>:117+<add>...   sequence (1/6), commodity_code (6/14),
                                        procedure requested+previous (1/10), additional (1/11)
FTX+AAA+++<text>                        description (6/8)
LOC+27+<cc>  /  LOC+27+<cc>+PRF †       origin_country (5/15) / preferential_origin (5/16)
MEA+WT+AAA|AAB+KGM:<kg>                 net_mass (6/1) | gross_mass (6/5)
QTY+1:<n>                               supplementary_units (6/2)
MOA+38:<n>:<cur>|40|123                 item_price (4/14) + currency | customs_value |
                                        statistical_value
GIS+<code>:VMT|VIN †                    valuation_method (4/16) | valuation_indicators (4/13)
PAC+<count>++<kind>, PCI++<marks>       packages (6/10, 6/9, 6/11)
TAX+7+<type>++<base>+<pref>:::<rate>    duties (4/3, 4/4, 4/17, 4/5); then MOA+161:<amount>
                                        (4/6) and GIS+<code>:MOP † (4/8)
DOC/DTM+182, RFF+AEI, FTX+ACB, EQD+CN, NAD+EX|CN   as in the header, for the item
Summary (after UNS+S)
CNT+5:<n> / CNT+11:<n>                  item_count (1/9) / total_packages (6/18)

Segments and qualifiers not in this table are kept in ``envelope["unmapped"]``. Problems
are collected and raised once as `DocumentInvalid`; nothing else leaves `read_cusdec`.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from pydifact.control import Characters
from pydifact.segmentcollection import Interchange
from pydifact.segments import Segment

from clearway.declarations.formats import (
    EDIFACT,
    MAX_DOCUMENT_BYTES,
    MAX_EDIFACT_SEGMENTS,
    ParsedDocument,
    read_guarded,
)
from clearway.declarations.formats.edifact_syntax import SyntaxRefusal, tokenize
from clearway.errors import DocumentInvalid, Issue

Dict = dict[str, Any]
MESSAGE_TYPE = ["CUSDEC", "D", "96B", "UN"]
DOC_TYPES = {"929": "IM", "930": "IM", "830": "EX", "914": "CO", "950": "CO"}
DOC_CODES = {"IM": "929", "EX": "830", "CO": "914"}
FUNCTIONS = {"9": "9", "5": "13", "4": "13"}  # BGM 1225 -> canonical; "1" is a cancellation
PARTIES = {"DT": "declarant", "IM": "importer", "EX": "exporter", "CZ": "consignor",
           "CN": "consignee", "AE": "representative", "SE": "seller", "BY": "buyer"}
ITEM_PARTIES = {"EX": "exporter", "CN": "consignee"}
OFFICES = {"96": "lodgement", "22": "presentation", "ZZZ": "supervising", "42": "exit",
           "41": "first_entry"}
COUNTRIES = {"35": "dispatch_country", "28": "destination_country"}
HEADER_GIS = {"ADT": "additional_type", "NAT": "nature_of_transaction",
              "RST": "representative_status"}
ITEM_GIS = {"VMT": "valuation_method", "VIN": "valuation_indicators"}
IDENTITIES = {"11": "border_identity", "12": "departure_identity", "13": "arrival_identity"}
ITEM_MOA = {"38": "item_price", "40": "customs_value", "123": "statistical_value"}
ITEM_MASS = {"AAA": "net_mass", "AAB": "gross_mass"}
COUNTS = {"5": "item_count", "11": "total_packages"}
_NUMBER = re.compile(r"-?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_DIGITS = re.compile(r"[0-9]{1,9}")


class Bad(Exception):
    """A value in the current segment cannot be read (message, element)."""

    def __init__(self, message: str, element: str | None = None) -> None:
        super().__init__(message)
        self.message, self.element = message, element


def at(pos: int, tag: str) -> str:
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
    return "".join(comps(seg, i)[start:]) or None


def number(value: str, element: str) -> Decimal:
    if not _NUMBER.fullmatch(value):
        raise Bad(f"{value!r} is not a number", element)
    return Decimal(value.replace(",", "."))


def integer(value: str, element: str) -> int:
    if not _DIGITS.fullmatch(value):
        raise Bad(f"{value!r} is not a whole number", element)
    return int(value)


def dtm(seg: Segment, element: str) -> date:
    value, fmt = comp(seg, 0, 1), comp(seg, 0, 2) or "102"
    if fmt not in ("102", "203") or not re.fullmatch(r"[0-9]{8}" if fmt == "102" else r"[0-9]{12}",
                                                      value):
        raise Bad(f"date {value!r} (format {fmt}) is not CCYYMMDD (102) or CCYYMMDDHHMM (203)",
                  element)
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise Bad(f"{value!r} is not a calendar date", element) from None


def required(value: str, what: str, element: str) -> str:
    if not value:
        raise Bad(f"{what} is missing", element)
    return value


class Unreadable(Exception):
    """The interchange cannot be tokenized; `position` is the 1-based segment it broke in,
    `code` the issue's code (CW-SYN-EDI, or CW-SYN-ELEMENTS / CW-SYN-TEXT for a bound)."""

    def __init__(self, message: str, position: int, code: str = "CW-SYN-EDI") -> None:
        super().__init__(message)
        self.position, self.code = position, code


class TooManySegments(Unreadable):
    """The interchange holds more segments than MAX_EDIFACT_SEGMENTS."""


def parse_segments(text_: str) -> tuple[list[Segment], Characters]:
    """Tokenize (clearway.declarations.formats.edifact_syntax); the UNA advice is handled
    here, at the start only, so a stray "'UNA" in data cannot move it."""
    chars = Characters()
    if text_.startswith("UNA"):
        advice = text_[3:9]
        separators = advice[:2] + advice[3] + advice[5]
        if (len(advice) != 6 or len(set(separators)) != 4
                or not all(c.isprintable() or c in "\r\n" for c in separators)):
            raise Unreadable("the UNA service string advice is malformed", 0)
        chars = Characters.from_str("UNA" + advice)
        text_ = text_[9:].lstrip("\r\n")
    # Counted before tokenising (released terminators aside); tokenize counts exactly.
    terminator = chars.segment_terminator
    if (text_.count(terminator) - text_.count(chars.escape_character + terminator)
            > MAX_EDIFACT_SEGMENTS):
        raise TooManySegments(f"more than {MAX_EDIFACT_SEGMENTS} segments", 0)
    try:
        return tokenize(text_, chars), chars
    except SyntaxRefusal as exc:
        raise Unreadable(str(exc), exc.position, exc.code) from None


def read_cusdec(data: bytes) -> ParsedDocument:
    """Read one CUSDEC interchange; raise `DocumentInvalid` (and nothing else) on problems."""
    return read_guarded(_read, data, code="CW-SYN-EDI", what="The EDIFACT interchange")


def _fail(code: str, message: str, pointer: str = "/", element: str | None = None) -> NoReturn:
    raise DocumentInvalid([Issue(code, message, element, pointer)])


def _read(data: bytes) -> ParsedDocument:
    data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(data) > MAX_DOCUMENT_BYTES:
        _fail("CW-SYN-SIZE", f"The document is {len(data)} bytes; the limit is "
              f"{MAX_DOCUMENT_BYTES}")
    try:
        body = data.decode("utf-8").lstrip("\ufeff \t\r\n")
    except UnicodeDecodeError as exc:
        _fail("CW-SYN-ENCODING", f"The interchange is not valid UTF-8 (byte {exc.start})")
    try:
        segs, _chars = parse_segments(body)
    except TooManySegments as exc:
        _fail("CW-SYN-ELEMENTS", f"The interchange holds {exc}; refused unread")
    except Unreadable as exc:
        what = {"CW-SYN-TEXT": "holds a character no EDIFACT repertoire allows",
                "CW-SYN-ELEMENTS": "is over a limit"}.get(exc.code, "syntax is broken")
        _fail(exc.code, f"The EDIFACT {what}: {exc}",
              f"segment {exc.position}" if exc.position else "/")
    issues: list[Issue] = []
    unh, unt = _envelope_checks(segs, issues)
    envelope: Dict = {}
    if segs and segs[0].tag == "UNB":
        envelope = _unb(segs, issues)
    if unh is None or unt is None:
        raise DocumentInvalid(issues)
    from clearway.declarations.formats.edifact_segments import CusdecReader

    reader = CusdecReader(issues)
    envelope["message_ref"] = comp(segs[unh], 0)
    doc = reader.read([(i + 1, segs[i]) for i in range(unh + 1, unt)], unh + 1)
    if issues or doc is None:
        raise DocumentInvalid(issues)
    envelope["document_number"] = reader.document_number
    envelope["unmapped"] = reader.unmapped
    return ParsedDocument(doc=doc, format=EDIFACT, pointers=reader.pointers, envelope=envelope)


def _unb(segs: list[Segment], issues: list[Issue]) -> Dict:
    unb = segs[0]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Interchange.from_segments(segs[:1])  # pydifact's checks of UNB (syntax, date)
    except Exception as exc:
        issues.append(Issue("CW-SYN-EDI", f"The UNB interchange header is invalid: {exc}",
                            "S001", at(1, "UNB")))
    if not comp(unb, 0).startswith("UNO"):
        issues.append(Issue("CW-SYN-EDI", "The syntax identifier must be UNOC (or another "
                            "UNOx level)", "0001", at(1, "UNB")))
    return {"sender": comp(unb, 1), "recipient": comp(unb, 2),
            "interchange_ref": comp(unb, 4)}


def _envelope_checks(segs: list[Segment],
                     issues: list[Issue]) -> tuple[int | None, int | None]:
    """UNB..UNZ around exactly one UNH..UNT CUSDEC message, with correct counts."""
    if not segs or segs[0].tag != "UNB":
        _fail("CW-SYN-EDI", "An interchange must start with UNB (after an optional UNA)")
    if segs[-1].tag != "UNZ":
        issues.append(Issue("CW-SYN-EDI", "The interchange does not end with UNZ", "UNZ",
                            at(len(segs), segs[-1].tag)))
    messages: list[tuple[int, int]] = []
    start: int | None = None
    for i, seg in enumerate(segs[1:], start=1):
        if seg.tag == "UNH":
            if start is not None:
                issues.append(Issue("CW-SYN-EDI", "UNH before the previous message's UNT",
                                    "UNT", at(i + 1, "UNH")))
            start = i
        elif seg.tag == "UNT":
            if start is None:
                issues.append(Issue("CW-SYN-EDI", "UNT without UNH", "UNH", at(i + 1, "UNT")))
            else:
                messages.append((start, i))
                _count(issues, seg, i + 1, i - start + 1, "0074", "segments in the message")
                if comp(seg, 1) != comp(segs[start], 0):
                    issues.append(Issue("CW-SYN-EDI-SEGMENT", "UNT names another message "
                                        "reference than its UNH", "0062", at(i + 1, "UNT")))
            start = None
        elif seg.tag in ("UNB", "UNZ") and i != len(segs) - 1:
            issues.append(Issue("CW-SYN-EDI", f"{seg.tag} is out of place", seg.tag,
                                at(i + 1, seg.tag)))
        elif start is None and seg.tag not in ("UNZ", "UNG", "UNE"):
            issues.append(Issue("CW-SYN-EDI", f"{seg.tag} is outside any message", seg.tag,
                                at(i + 1, seg.tag)))
    if start is not None:
        issues.append(Issue("CW-SYN-EDI", "The last message has no UNT", "UNT",
                            at(start + 1, "UNH")))
    if segs[-1].tag == "UNZ":
        groups = sum(1 for seg in segs if seg.tag == "UNG")  # UNZ counts groups if any
        _count(issues, segs[-1], len(segs), groups or len(messages), "0036",
               "functional groups" if groups else "messages")
        if comp(segs[-1], 1) != comp(segs[0], 4):
            issues.append(Issue("CW-SYN-EDI-SEGMENT", "UNZ names another control reference "
                                "than UNB", "0020", at(len(segs), "UNZ")))
    if len(messages) != 1:
        issues.append(Issue("CW-SYN-EDI-MESSAGE", f"The interchange holds {len(messages)} "
                            "messages; exactly one CUSDEC is accepted", "UNH", at(1, "UNB")))
        return None, None
    unh, unt = messages[0]
    if [comp(segs[unh], 1, j) for j in range(4)] != MESSAGE_TYPE:
        issues.append(Issue("CW-SYN-EDI-MESSAGE", "The message is not a CUSDEC:D:96B:UN",
                            "S009", at(unh + 1, "UNH")))
        return None, None
    return unh, unt


def _count(issues: list[Issue], seg: Segment, pos: int, actual: int, element: str,
           what: str) -> None:
    declared = comp(seg, 0)
    if not (_DIGITS.fullmatch(declared) and int(declared) == actual):
        issues.append(Issue("CW-SYN-EDI-COUNT", f"{seg.tag} declares {declared!r} {what}; "
                            f"there are {actual}", element, at(pos, seg.tag)))

