"""Reader for the canonical JSON form."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter, ValidationError

from clearway.declarations.formats import JSON, MAX_DOCUMENT_BYTES, ParsedDocument
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
        raw = json.loads(data)
    except UnicodeDecodeError as exc:
        raise DocumentInvalid([Issue("CW-SYN-ENCODING", str(exc), pointer="/")]) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        where = (f"line {exc.lineno} column {exc.colno}"
                 if isinstance(exc, json.JSONDecodeError) else "/")
        raise DocumentInvalid([Issue("CW-SYN-JSON", f"Malformed JSON: {exc}",
                                     pointer=where)]) from None
    if not isinstance(raw, dict):
        raise DocumentInvalid([Issue("CW-SYN-SCHEMA", "The document must be a JSON object",
                                     pointer="/")])
    return ParsedDocument(doc=to_document(raw), format=JSON)
