"""Amendment semantics. A WCO DMS amendment (function code 13, type COR) carries only the
elements that change, so it is merged onto the current version; a JSON or EDIFACT amendment
(replacement) carries the whole new version and replaces it."""

from __future__ import annotations

from typing import Any

from clearway.declarations.formats import WCO_XML, ParsedDocument
from clearway.declarations.formats.json_reader import to_document
from clearway.declarations.model import Declaration, SummaryDeclaration
from clearway.errors import ClearwayError, Issue
from clearway.storage.orm import DeclarationRow

# Fields that identify the amendment message itself, not the declaration's content. A DMS
# COR's FunctionalReferenceID is the amendment's own reference (as in CDS, where it differs
# from the declaration's LRN; the HMRC trade-test amendments do so): it is kept as the
# version's `envelope.functional_reference` and never becomes the LRN. A TypeCode that states
# a declaration type stays in the patch, so `check_identity` refuses another type as in JSON
# and EDIFACT; only a type the reader inferred (TypeCode COR states none) is dropped.
_MESSAGE_FIELDS = {"function_code", "amends_mrn", "amendment_reason", "lrn"}


def merge(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `patch` onto `current`: present values win, goods items are matched by
    their sequence number, empty values in the patch change nothing."""
    merged = dict(current)
    for key, value in patch.items():
        if value is None or value == [] or value == {}:
            continue
        if key == "items" and isinstance(value, list):
            merged[key] = _merge_items(current.get("items", []), value)
        elif isinstance(value, dict) and isinstance(current.get(key), dict):
            merged[key] = merge(current[key], value)
        else:
            merged[key] = value
    return merged


def _merge_items(current: list[dict[str, Any]], patch: list[dict[str, Any]]) -> list[Any]:
    by_sequence = {item.get("sequence"): item for item in current}
    for item in patch:
        seq = item.get("sequence")
        by_sequence[seq] = merge(by_sequence[seq], item) if seq in by_sequence else item
    return [by_sequence[k] for k in sorted(by_sequence, key=lambda s: (s is None, s))]


def new_version(current_document: dict[str, Any], parsed: ParsedDocument) -> Declaration:
    """The declaration as it stands after the amendment."""
    doc = parsed.doc
    assert isinstance(doc, Declaration)
    if parsed.format != WCO_XML:
        return doc
    patch = doc.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    for field in _MESSAGE_FIELDS:
        patch.pop(field, None)
    if parsed.envelope.get("declaration_type_inferred"):
        patch.pop("declaration_type", None)
    if not patch.get("declarant", {}).get("id"):
        patch.pop("declarant", None)
    # Readers fill required fields with empty strings when a partial message omits them.
    patch = {k: v for k, v in patch.items() if v != ""}
    patch["items"] = [{k: v for k, v in item.items() if v != ""}
                      for item in patch.get("items", [])]
    merged = merge(current_document, patch)
    merged.update({"amends_mrn": doc.amends_mrn, "amendment_reason": doc.amendment_reason,
                   "function_code": doc.function_code})
    result = to_document(merged, parsed.pointer_for)
    assert isinstance(result, Declaration)
    return result


# What identifies a declaration: an amendment never changes them, in any format. The LRN is
# the declarant's key (reserved by the unique index), the type decides the MRN's letter and
# the rules, and the declarant is who answers for it.
IDENTITY = (("lrn", "DE 2/5", "/lrn"), ("declaration_type", "DE 1/1", "/declaration_type"),
            ("declarant", "DE 3/17-3/18", "/declarant/id"))


def check_identity(row: DeclarationRow, doc: Declaration | SummaryDeclaration,
                   parsed: ParsedDocument) -> None:
    """Refuse (409 CW-AMEND-IMMUTABLE) an amendment whose LRN, type or declarant differs
    from the declaration's, naming each element in the trader's own format."""
    now_is = {"lrn": row.lrn, "declaration_type": row.declaration_type,
              "declarant": row.declarant_id}
    wanted = {"lrn": doc.lrn, "declaration_type": doc.declaration_type,
              "declarant": doc.declarant.id}
    issues = [Issue("CW-AMEND-IMMUTABLE", f"An amendment cannot change {field} "
                    f"({now_is[field]!r} to {wanted[field]!r}); lodge a new declaration",
                    element, parsed.pointer_for(pointer))
              for field, element, pointer in IDENTITY if wanted[field] != now_is[field]]
    if issues:
        raise ClearwayError(code="CW-AMEND-IMMUTABLE", errors=issues,
                            message="The amendment changes what identifies the declaration; "
                            "it is unchanged")
