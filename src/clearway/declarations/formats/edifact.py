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
SEL+<seal>                              transport.seals (7/18; header only)
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

The syntax (tokenizing, the UNB..UNZ envelope, values and dates) is clearway.edifact's;
the qualifiers are in `edifact_codes`, and `edifact_segments` maps the message's segments.
"""

from __future__ import annotations

from typing import Any, NoReturn

from clearway.declarations.formats import (
    EDIFACT,
    MAX_DOCUMENT_BYTES,
    ParsedDocument,
    read_guarded,
)
from clearway.declarations.formats.edifact_codes import MESSAGE_TYPE
from clearway.declarations.formats.edifact_segments import CusdecReader
from clearway.edifact.envelope import interchange_header, one_message
from clearway.edifact.tokenizer import SyntaxRefusal, TooManySegments, parse_segments
from clearway.edifact.values import comp
from clearway.errors import DocumentInvalid, Issue


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
    except SyntaxRefusal as exc:
        what = {"CW-SYN-TEXT": "holds a character no EDIFACT repertoire allows",
                "CW-SYN-ELEMENTS": "is over a limit"}.get(exc.code, "syntax is broken")
        _fail(exc.code, f"The EDIFACT {what}: {exc}",
              f"segment {exc.position}" if exc.position else "/")
    issues: list[Issue] = []
    unh, unt = one_message(segs, issues, MESSAGE_TYPE)
    envelope: dict[str, Any] = {}
    if segs and segs[0].tag == "UNB":
        envelope = dict(interchange_header(segs, issues))
    if unh is None or unt is None:
        raise DocumentInvalid(issues)
    reader = CusdecReader(issues)
    envelope["message_ref"] = comp(segs[unh], 0)
    doc = reader.read([(i + 1, segs[i]) for i in range(unh + 1, unt)], unh + 1)
    if issues or doc is None:
        raise DocumentInvalid(issues)
    envelope["document_number"] = reader.document_number
    envelope["unmapped"] = reader.unmapped
    return ParsedDocument(doc=doc, format=EDIFACT, pointers=reader.pointers, envelope=envelope)
