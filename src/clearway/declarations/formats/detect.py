"""Choosing the reader from the content type (and, for text/plain, from the first bytes)."""

from __future__ import annotations

from clearway.declarations.formats import MAX_DOCUMENT_BYTES, ParsedDocument
from clearway.declarations.formats.json_reader import read_json
from clearway.errors import ClearwayError, DocumentInvalid, Issue
from clearway.text_guard import json_issue

JSON_TYPES = {"application/json"}
XML_TYPES = {"application/xml", "text/xml"}
EDIFACT_TYPES = {"application/edifact", "application/edi-x12", "application/x-edifact"}


def sniff(data: bytes) -> str:
    head = data.lstrip()[:5]
    if head.startswith((b"{", b"[")):
        return "application/json"
    if head.startswith(b"<"):
        return "application/xml"
    if head.startswith((b"UNA", b"UNB")):
        return "application/edifact"
    return "application/octet-stream"


def read_document(data: bytes, content_type: str | None) -> ParsedDocument:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentInvalid([Issue("CW-SYN-SIZE", f"The document is {len(data)} bytes; the "
                                     f"limit is {MAX_DOCUMENT_BYTES}", pointer="/")])
    media = (content_type or "").split(";")[0].strip().lower()
    if media in ("", "text/plain", "application/octet-stream"):
        media = sniff(data)
    if media in JSON_TYPES or media.endswith("+json"):
        # NUL and lone surrogates, which no column can store (the XML parser refuses both
        # itself; the EDIFACT tokenizer refuses control characters). Encoding errors are
        # the JSON reader's own (CW-SYN-ENCODING).
        refused = json_issue(data, encoding=False)
        if refused:
            raise DocumentInvalid([refused])
        return read_json(data)
    if media in XML_TYPES or media.endswith("+xml"):
        from clearway.declarations.formats.wco_xml import read_wco_xml

        return read_wco_xml(data)
    if media in EDIFACT_TYPES:
        from clearway.declarations.formats.edifact import read_cusdec

        return read_cusdec(data)
    raise ClearwayError(code="CW-SYN-MEDIA",
                        message=f"Unsupported content type {media!r}: send application/json, "
                        "application/xml or application/edifact")
