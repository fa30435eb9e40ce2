"""The canonical form of a filing: the JSON kept for it and the hash that identifies it.

A retry of the same document has the same hash (answered as stored, never a duplicate); the
audit trail's deep check recomputes it from the stored JSON.
"""

from __future__ import annotations

import hashlib
from typing import Any

from clearway.declarations.model import CancellationRequest, DeclarationDoc


def canonical_dict(doc: DeclarationDoc) -> dict[str, Any]:
    return doc.model_dump(mode="json", exclude_none=True)


def content_hash(doc: DeclarationDoc) -> str:
    return hashlib.sha256(doc.model_dump_json(exclude_none=True).encode()).hexdigest()


def lodgement_office(doc: DeclarationDoc) -> str | None:
    """The office a filing is lodged at: lodgement, else presentation, first entry, exit."""
    offices = doc.offices if not isinstance(doc, CancellationRequest) else None
    if offices is None:
        return None
    return offices.lodgement or offices.presentation or offices.first_entry or offices.exit
