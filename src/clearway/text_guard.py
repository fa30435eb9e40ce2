"""Text hygiene at the boundary: text no route can store is refused once, before routing,
with CW-SYN-TEXT (422) naming where it was (clearway.api.limits applies these checks to
every request; the declaration readers apply `json_issue` to documents).

What is refused, and why:
- NUL (U+0000) anywhere: PostgreSQL cannot store it in text or JSON columns, so it would
  fail late, as a 500, in whichever route wrote it.
- Lone UTF-16 surrogates (``\\ud800`` escapes in JSON): they cannot be encoded as UTF-8, so
  the content hash and every write fail.
- Bytes that are not UTF-8 (a JSON body, a form, a percent-escape in the address).
- In the path and query parameters, every other C0 control character and DEL too: no
  identifier, code or filter has one, and a CR/LF there is a log-forging or header-splitting
  attempt. Bodies keep tab, CR and LF (free text has them); other C0 characters in body text
  are left to field validation.

`where` says which part: ``path``, ``query:NAME``, a JSON pointer (``/items/0/description``)
or ``form:NAME``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from clearway.errors import ClearwayError, Issue

CODE = "CW-SYN-TEXT"
_URL_BAD = re.compile("[\x00-\x1f\x7f]")
_BODY_BAD = re.compile("[\x00\ud800-\udfff]")
_HEADER_BAD = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")  # tab is folding space
# A JSON text can hold a NUL or a surrogate only through one of these escapes: without one
# (nearly every body) the decoded walk is skipped. A pair (an escaped emoji) is a false alarm
# that costs one decode.
_ESCAPE_HINT = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


class TextRefused(ClearwayError):
    def __init__(self, issue: Issue) -> None:
        super().__init__(code=CODE, errors=[issue],
                         message=f"The request holds text that cannot be accepted "
                         f"({issue.pointer}): {issue.message}")


def _what(char: str) -> str:
    if char == "\x00":
        return "a NUL character"
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate (U+{ord(char):04X})"
    return f"a control character (U+{ord(char):04X})"


def _issue(where: str, message: str) -> Issue:
    return Issue(CODE, message, None, where)


def _url_part(raw: bytes, where: str, plus_is_space: bool = False) -> Issue | None:
    if plus_is_space:
        raw = raw.replace(b"+", b" ")
    try:
        text = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        return _issue(where, f"a percent-escape is not UTF-8 (byte {exc.start})")
    bad = _URL_BAD.search(text)
    return _issue(where, f"{_what(bad.group())} at character {bad.start()}") if bad else None


_URL_SUSPECT = re.compile(rb"[\x00-\x1f\x7f%\x80-\xff]")


def url_issue(raw_path: bytes, query: bytes) -> Issue | None:
    """The path (as sent, percent-escaped) and each query parameter."""
    if _URL_SUSPECT.search(raw_path):
        found = _url_part(raw_path, "path")
        if found:
            return found
    if not query or not _URL_SUSPECT.search(query):
        return None
    for part in query.split(b"&"):
        name, _, value = part.partition(b"=")
        found = _url_part(name, "query", True)
        if found:
            return found
        label = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8")[:40]
        found = _url_part(value, f"query:{label}", True)
        if found:
            return found
    return None


def _pointer(parts: Iterable[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts) or "/"


def _walk(value: Any) -> tuple[str, str] | None:
    """The JSON pointer and character of the first refused text (keys included)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            bad = _BODY_BAD.search(node)
            if bad:
                return _pointer(path), bad.group()
        elif isinstance(node, dict):
            for key, child in node.items():
                bad = _BODY_BAD.search(key)
                if bad:
                    return _pointer(path) + " (a key)", bad.group()
                stack.append((child, (*path, key)))
        elif isinstance(node, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(node))
    return None


def value_issue(value: Any) -> str | None:
    """Where and what the first refused text in decoded JSON is (a message received from a
    partner, whose body the boundary cannot read), or None."""
    found = _walk(value)
    return f"{_what(found[1])} in a string at {found[0]}" if found else None


def json_issue(body: bytes, *, encoding: bool = True) -> Issue | None:
    """The first refused text in a JSON body (`encoding`: also refuse bytes that are not
    UTF-8; a reader with its own encoding error passes False). Malformed JSON passes: the
    parser that follows says what is wrong with it."""
    nul = body.find(b"\x00")
    if nul >= 0:
        return _issue("/", f"a NUL byte at byte {nul}")
    if encoding:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _issue("/", f"the body is not UTF-8 (byte {exc.start})")
    if not _ESCAPE_HINT.search(body):
        return None
    try:
        found = _walk(json.loads(body))
    except (ValueError, RecursionError):
        return None
    return _issue(found[0], f"{_what(found[1])} in a string") if found else None


# YAML's double-quoted escapes for NUL and surrogates (the YAML reader itself refuses raw
# control characters).
_YAML_HINT = re.compile(rb"\\(?:0|x00|u0000|U00000000|u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")


def yaml_issue(body: bytes) -> Issue | None:
    """The first refused text in a YAML body (profiles); malformed YAML passes, as JSON."""
    nul = body.find(b"\x00")
    if nul >= 0:  # the YAML reader refuses it too, but a route may read the body otherwise
        return _issue("/", f"a NUL byte at byte {nul}")
    if not _YAML_HINT.search(body):
        return None
    import yaml

    try:
        found = _walk(yaml.safe_load(body))
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    return _issue(found[0], f"{_what(found[1])} in a string") if found else None


def form_issue(body: bytes) -> Issue | None:
    """The first refused field of an application/x-www-form-urlencoded body."""
    for part in body.split(b"&"):
        name, _, value = part.partition(b"=")
        try:
            label = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as exc:
            return _issue("form", f"a field name is not UTF-8 (byte {exc.start})")
        found = _field(f"form:{label[:40]}", label) or _form_value(value, label)
        if found:
            return found
    return None


def _form_value(raw: bytes, label: str) -> Issue | None:
    try:
        text = unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as exc:
        return _issue(f"form:{label[:40]}", f"the value is not UTF-8 (byte {exc.start})")
    return _field(f"form:{label[:40]}", text)


def _field(where: str, text: str) -> Issue | None:
    bad = _BODY_BAD.search(text)
    return _issue(where, f"{_what(bad.group())} at character {bad.start()}") if bad else None


def fields_issue(fields: Iterable[tuple[str, str]]) -> Issue | None:
    """The first refused text field of a parsed multipart form (files are not text)."""
    for name, value in fields:
        found = _field(f"form:{name[:40]}", name) or _field(f"form:{name[:40]}", value)
        if found:
            return found
    return None


def header_issue(name: str, value: bytes | None) -> Issue | None:
    """A header value that a route stores (a Content-Type): no control character but tab.
    Servers refuse most of these on the wire; this holds whatever server is in front."""
    if value is None:
        return None
    return _header_text(f"header:{name}", value.decode("latin-1"))


def part_issue(name: str, filename: str | None, content_type: str | None) -> Issue | None:
    """A multipart file's name and type: header text, stored beside the file."""
    label = f"form:{name[:40]}"
    return (_field(label, name) or _header_text(f"{label} (file name)", filename or "")
            or _header_text(f"{label} (content type)", content_type or ""))


def _header_text(where: str, text: str) -> Issue | None:
    bad = _HEADER_BAD.search(text)
    return _issue(where, f"{_what(bad.group())} at character {bad.start()}") if bad else None
