"""CUSRES (D.96B) responses for declarations filed as EDIFACT CUSDEC.

One interchange, one message, written by clearway.edifact.writer (UNA ``:+.? '``,
UNB ``UNOC:3``; UNT and UNZ counts come from the segments actually written):

====================  ===========================================================================
UNB                   sender/recipient swapped from the CUSDEC envelope (Clearway answers the
                      trader); control reference "R" + issue time (yymmddHHMM, UTC) + 3 hex
UNH+1+CUSRES:D:96B:UN
BGM+<1001>:::<kind>+<MRN or LRN>+<1225>+<4343>   response type per kind, see KIND_CODES
DTM+137:<CCYYMMDDHHMM>:203                       issue date and time (UTC)
FTX+AAI+++<message>                              the free-text message, when given
RFF+ABE:<LRN>                                    declarant's reference number (the LRN)
RFF+ABT:<MRN>                                    customs declaration number, once issued
RFF+ACW:<CUSDEC UNH reference>                   the message this answers, when known
ERP+:<n>[+<tag>:<position>]                      per error: running number, and the segment
                                                 (tag and 1-based position in the CUSDEC
                                                 interchange) when the pointer names one
ERC+<Clearway error code>                        e.g. CW-SYN-EDI-SEGMENT (see docs/api.md)
FTX+AAO++<DE x/y>+<message>:<pointer>            error text, data element and pointer
UNT, UNZ
====================  ===========================================================================

KIND_CODES (kind -> BGM 1001 document name, 1225 message function, 4343 response type):
accepted 962/29/AP, received|lodged 961/11/AJ, risk_assessed 961/8/AJ, under_control
961/23/AJ, rejected 963/27/RE, released 932/9/AP, cancelled 961/1/AP, invalidated 961/3/NA,
amended 962/4/AP; ENS/EXS outcomes: no_risk_identified 961/8/AP, request_for_information and
high_risk_screening 961/23/AJ, do_not_load 961/23/NA, rfi_answered 961/11/AJ; any other kind
is sent as DEFAULT_CODES (961/8/NA, a status notice).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydifact.segments import Segment

from clearway.edifact.dates import minute_value
from clearway.edifact.writer import chunks, interchange, seg
from clearway.errors import Issue

MESSAGE_TYPE = ["CUSRES", "D", "96B", "UN"]
KIND_CODES: dict[str, tuple[str, str, str]] = {
    "accepted": ("962", "29", "AP"),  # document response; accepted without amendment
    "received": ("961", "11", "AJ"),  # general response; response, pending
    "lodged": ("961", "11", "AJ"),
    "risk_assessed": ("961", "8", "AJ"),  # status
    "under_control": ("961", "23", "AJ"),  # transaction on hold
    "rejected": ("963", "27", "RE"),  # error response; not accepted
    "released": ("932", "9", "AP"),  # customs delivery (release) note
    "cancelled": ("961", "1", "AP"),  # cancellation accepted
    "invalidated": ("961", "3", "NA"),  # deletion
    "amended": ("962", "4", "AP"),  # change accepted
    # ENS/EXS outcomes (docs/ens.md): a status notice each, the response type saying
    # whether the carrier may load (AP), must wait (AJ) or must not (NA).
    "no_risk_identified": ("961", "8", "AP"),
    "request_for_information": ("961", "23", "AJ"),
    "high_risk_screening": ("961", "23", "AJ"),
    "do_not_load": ("961", "23", "NA"),
    "rfi_answered": ("961", "11", "AJ"),
}
DEFAULT_CODES = ("961", "8", "NA")
CLEARWAY = "CLEARWAY"
_SEGMENT_POINTER = re.compile(r"segment (\d+) \(([A-Z0-9]{3})\)")


def kind_codes(kind: str) -> tuple[str, str, str]:
    return KIND_CODES.get(kind.strip().lower().replace("-", "_"), DEFAULT_CODES)


def _error(number: int, issue: Issue) -> list[Segment]:
    found = _SEGMENT_POINTER.fullmatch(issue.pointer or "")
    erp = seg("ERP", ["", str(number)], [found.group(2), found.group(1)] if found else "")
    return [erp, seg("ERC", issue.code),
            seg("FTX", "AAO", "", issue.element or "",
                 [issue.message[:512], (issue.pointer or "")[:512]])]


def render_cusres(kind: str, *, lrn: str, mrn: str | None, issued_at: datetime,
                  errors: Sequence[Issue] = (), envelope: Mapping[str, Any] | None = None,
                  message: str | None = None) -> str:
    """A CUSRES interchange answering the trader's CUSDEC (see the module table)."""
    envelope = envelope or {}
    moment = issued_at.astimezone(UTC) if issued_at.tzinfo else issued_at
    name, function, response = kind_codes(kind)
    digest = hashlib.sha256(f"{lrn}|{mrn}|{kind}|{moment.isoformat()}".encode()).hexdigest()
    reference = f"R{moment:%y%m%d%H%M}{digest[:3].upper()}"
    segments = [
        seg("BGM", [name, "", "", kind], mrn or lrn, function, response),
        seg("DTM", ["137", *minute_value(moment)]),
    ]
    if message:
        segments.append(seg("FTX", "AAI", "", "", chunks(message, 512)))
    segments.append(seg("RFF", ["ABE", lrn]))
    if mrn:
        segments.append(seg("RFF", ["ABT", mrn]))
    if envelope.get("message_ref"):
        segments.append(seg("RFF", ["ACW", str(envelope["message_ref"])]))
    for number, issue in enumerate(errors, start=1):
        segments.extend(_error(number, issue))
    return interchange(segments, message_type=MESSAGE_TYPE, message_reference="1",
                       sender=str(envelope.get("recipient") or CLEARWAY),
                       recipient=str(envelope.get("sender") or "UNKNOWN"),
                       control_reference=reference, prepared_at=moment)
