"""The service segments around a message: UNB..UNZ around UNH..UNT, each count and control
reference checked (ISO 9735). Problems are collected as coded issues, each pointing at its
segment."""

from __future__ import annotations

import warnings

from pydifact.segmentcollection import Interchange
from pydifact.segments import Segment

from clearway.edifact.values import DIGITS, at, comp
from clearway.errors import DocumentInvalid, Issue


def interchange_header(segs: list[Segment], issues: list[Issue]) -> dict[str, str]:
    """Sender, recipient and control reference of the UNB, after pydifact's checks of it."""
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


def one_message(segs: list[Segment], issues: list[Issue],
                message_type: list[str]) -> tuple[int | None, int | None]:
    """The indexes of the UNH and UNT of the one message of `message_type` (e.g.
    CUSDEC:D:96B:UN) that UNB..UNZ must hold, with correct counts; (None, None) when there
    is not exactly one, or it is of another type. Problems are added to `issues`; an
    interchange that does not start with UNB is refused at once."""
    if not segs or segs[0].tag != "UNB":
        raise DocumentInvalid([Issue("CW-SYN-EDI", "An interchange must start with UNB (after "
                                     "an optional UNA)", None, "/")])
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
                            f"messages; exactly one {message_type[0]} is accepted", "UNH",
                            at(1, "UNB")))
        return None, None
    unh, unt = messages[0]
    if [comp(segs[unh], 1, j) for j in range(4)] != message_type:
        issues.append(Issue("CW-SYN-EDI-MESSAGE",
                            f"The message is not a {':'.join(message_type)}",
                            "S009", at(unh + 1, "UNH")))
        return None, None
    return unh, unt


def _count(issues: list[Issue], seg: Segment, pos: int, actual: int, element: str,
           what: str) -> None:
    declared = comp(seg, 0)
    if not (DIGITS.fullmatch(declared) and int(declared) == actual):
        issues.append(Issue("CW-SYN-EDI-COUNT", f"{seg.tag} declares {declared!r} {what}; "
                            f"there are {actual}", element, at(pos, seg.tag)))
