"""Reader for the canonical JSON form."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter, ValidationError

from clearway.declarations.formats import (
    JSON,
    MAX_DOCUMENT_BYTES,
    MAX_JSON_DEPTH,
    MAX_NUMBER_DIGITS,
    ParsedDocument,
)
from clearway.declarations.model import AnyDeclaration, DeclarationDoc
from clearway.errors import DocumentInvalid, Issue

_ADAPTER: TypeAdapter[DeclarationDoc] = TypeAdapter(AnyDeclaration)
_KINDS = ("IM", "EX", "CO", "ENS", "INV")


def json_pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def schema_issues(exc: ValidationError, pointer_of: Any = None) -> list[Issue]:
    """Turn pydantic's errors into coded issues; the discriminator tag is dropped from the
    location so that pointers follow the document."""
    issues = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p not in _KINDS)
        pointer = json_pointer(loc)
        issues.append(Issue(code="CW-SYN-SCHEMA", element=element_for(loc),
                            pointer=pointer_of(pointer) if pointer_of else pointer or "/",
                            message=f"{err['msg']} ({err['type']})"))
    return issues


def element_for(loc: tuple[int | str, ...]) -> str | None:
    """The EU data element ("DE x/y") a canonical field carries, from its description."""
    from clearway.declarations.elements import element_of_pointer

    return element_of_pointer(json_pointer(loc))


def to_document(data: Any, pointer_of: Any = None) -> DeclarationDoc:
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise DocumentInvalid(schema_issues(exc, pointer_of)) from None


def read_json(data: bytes) -> ParsedDocument:
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentInvalid([Issue("CW-SYN-SIZE", f"The document exceeds "
                                     f"{MAX_DOCUMENT_BYTES} bytes", pointer="/")])
    try:
        raw = json.loads(data, parse_int=_bounded(int), parse_float=_bounded(float))
    except UnicodeDecodeError as exc:
        raise DocumentInvalid([Issue("CW-SYN-ENCODING", str(exc), pointer="/")]) from None
    except _TooLong as exc:
        raise DocumentInvalid([Issue("CW-SYN-NUMBER", str(exc), pointer="/")]) from None
    except RecursionError:  # the C decoder's own guard, far beyond MAX_JSON_DEPTH
        raise _too_deep() from None
    except json.JSONDecodeError as exc:
        raise DocumentInvalid([Issue("CW-SYN-JSON", f"Malformed JSON: {exc}",
                                     pointer=f"line {exc.lineno} column {exc.colno}")]) from None
    if _depth_exceeds(raw, MAX_JSON_DEPTH):
        raise _too_deep()
    if not isinstance(raw, dict):
        raise DocumentInvalid([Issue("CW-SYN-SCHEMA", "The document must be a JSON object",
                                     pointer="/")])
    return ParsedDocument(doc=to_document(raw), format=JSON)


class _TooLong(ValueError):
    """A JSON number with more digits than MAX_NUMBER_DIGITS."""


def _bounded(convert: Any) -> Any:
    """A number parser that refuses long literals before converting them (int() of 5,000
    digits raises a bare ValueError, and of a million digits costs seconds)."""
    def parse(literal: str) -> Any:
        if len(literal) > MAX_NUMBER_DIGITS:
            raise _TooLong(f"A number has {len(literal)} characters; the limit is "
                           f"{MAX_NUMBER_DIGITS}")
        return convert(literal)
    return parse


def _too_deep() -> DocumentInvalid:
    return DocumentInvalid([Issue("CW-SYN-DEPTH", f"The JSON is nested deeper than "
                                  f"{MAX_JSON_DEPTH} levels", pointer="/")])


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than `limit` (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = (node.values() if isinstance(node, dict)
                    else node if isinstance(node, list) else None)
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
