"""Reader for the canonical JSON form.

The decoder is stdlib `json` with three hooks that never raise: numbers longer than
MAX_NUMBER_DIGITS, exponents beyond MAX_EXPONENT and the non-JSON constants NaN/Infinity
become `_Refused` markers, and an object naming a member twice becomes a `_Twice` dict
(stdlib would keep the last one silently). Only when a hook flagged something is the tree
walked again to name each culprit by its JSON pointer, so the common path pays for the hooks
and nothing else.
"""

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
from clearway.declarations.model import MAX_ITEMS, AnyDeclaration, DeclarationDoc
from clearway.errors import DocumentInvalid, Issue

_ADAPTER: TypeAdapter[DeclarationDoc] = TypeAdapter(AnyDeclaration)
_KINDS = ("IM", "EX", "CO", "ENS", "EXS", "INV")
# Largest decimal exponent of a JSON number: amounts have 15 integer digits and 6 decimals,
# so 1E-1000000 (0.0 as a float, or a million-digit decimal) is refused where it is read.
MAX_EXPONENT = 18


def json_pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def schema_issues(exc: ValidationError, pointer_of: Any = None) -> list[Issue]:
    """Turn pydantic's errors into coded issues; the discriminator tag is dropped from the
    location so that pointers follow the document. A model rule that raises its own coded
    error (type "CW-...", see model.py) keeps that code and message."""
    issues = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p not in _KINDS)
        pointer = json_pointer(loc)
        code, message = coded(err)
        issues.append(Issue(code=code, element=element_for(loc),
                            pointer=pointer_of(pointer) if pointer_of else pointer or "/",
                            message=message))
    return issues


def coded(err: Any) -> tuple[str, str]:
    """The code and message of one pydantic error (shared by the three readers)."""
    kind = str(err["type"])
    if kind.startswith("CW-"):
        return kind, str(err["msg"])
    return "CW-SYN-SCHEMA", f"{err['msg']} ({kind})"


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
    flagged: list[bool] = []
    try:
        raw = json.loads(data, parse_int=_bounded(int, flagged),
                         parse_float=_bounded(float, flagged),
                         parse_constant=_constant(flagged), object_pairs_hook=_pairs(flagged))
    except UnicodeDecodeError as exc:
        raise DocumentInvalid([Issue("CW-SYN-ENCODING", str(exc), pointer="/")]) from None
    except RecursionError:  # the C decoder's own guard, far beyond MAX_JSON_DEPTH
        raise _too_deep() from None
    except json.JSONDecodeError as exc:
        raise DocumentInvalid([Issue("CW-SYN-JSON", f"Malformed JSON: {exc}",
                                     pointer=f"line {exc.lineno} column {exc.colno}")]) from None
    if _depth_exceeds(raw, MAX_JSON_DEPTH):
        raise _too_deep()
    if flagged:
        raise DocumentInvalid(_culprits(raw))
    if not isinstance(raw, dict):
        raise DocumentInvalid([Issue("CW-SYN-SCHEMA", "The document must be a JSON object",
                                     pointer="/")])
    items = raw.get("items")
    if isinstance(items, list) and len(items) > MAX_ITEMS:  # before validating 20,000 items
        raise DocumentInvalid([Issue("CW-RULE-ITEM-LIMIT", f"The declaration holds "
                                     f"{len(items)} goods items; at most {MAX_ITEMS} are "
                                     "allowed", "DE 1/6", f"/items/{MAX_ITEMS}")])
    return ParsedDocument(doc=to_document(raw), format=JSON)


class _Refused:
    """A number (or constant) the reader does not accept, in place of its value."""

    def __init__(self, code: str, message: str) -> None:
        self.code, self.message = code, message


class _Twice(dict[str, Any]):
    """An object that named some members more than once (the last value is kept)."""

    twice: list[str]


def _bounded(convert: Any, flagged: list[bool]) -> Any:
    """A number parser that refuses long literals and absurd exponents before converting
    them (int() of a million digits costs seconds; float("1E-1000000") is a silent 0.0)."""
    def parse(literal: str) -> Any:
        if len(literal) > MAX_NUMBER_DIGITS:
            flagged.append(True)
            return _Refused("CW-SYN-NUMBER", f"A number has {len(literal)} characters; the "
                            f"limit is {MAX_NUMBER_DIGITS}")
        _, e, exponent = literal.lower().partition("e")
        if e and abs(int(exponent)) > MAX_EXPONENT:
            flagged.append(True)
            return _Refused("CW-SYN-NUMBER-RANGE", f"The number {literal} has an exponent "
                            f"beyond ±{MAX_EXPONENT}")
        return convert(literal)
    return parse


def _constant(flagged: list[bool]) -> Any:
    def parse(name: str) -> _Refused:
        flagged.append(True)
        return _Refused("CW-SYN-NUMBER-RANGE", f"{name} is not a JSON number")
    return parse


def _pairs(flagged: list[bool]) -> Any:
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        flagged.append(True)
        twice, seen = _Twice(obj), set()
        twice.twice = []
        for key, _ in pairs:
            if key in seen:
                twice.twice.append(key)
            seen.add(key)
        return twice
    return build


def _culprits(raw: Any) -> list[Issue]:
    """Every refused number and repeated member, by JSON pointer, in document order."""
    issues: list[Issue] = []
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(raw, ())]
    while stack:
        node, loc = stack.pop()
        if isinstance(node, _Refused):
            issues.append(Issue(node.code, node.message, element_for(loc),
                                json_pointer(loc) or "/"))
        elif isinstance(node, dict):
            for key in getattr(node, "twice", ()):
                issues.append(Issue("CW-SYN-DUPLICATE-KEY", f"The member {key!r} is given "
                                    "more than once in this object", element_for((*loc, key)),
                                    json_pointer((*loc, key))))
            stack.extend((v, (*loc, k)) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((v, (*loc, i)) for i, v in reversed(list(enumerate(node))))
    return issues


def _too_deep() -> DocumentInvalid:
    return DocumentInvalid([Issue("CW-SYN-DEPTH", f"The JSON is nested deeper than "
                                  f"{MAX_JSON_DEPTH} levels", pointer="/")])


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than `limit` (iterative: no recursion to exhaust;
    only containers are stacked, which keeps this walk cheaper than the decoding hooks)."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, dict | list))
    return False
