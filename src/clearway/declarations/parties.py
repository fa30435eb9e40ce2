"""The traders a filing names, for access control."""

from __future__ import annotations

from clearway.declarations.model import CancellationRequest, Declaration, DeclarationDoc, Party


def party_ids(doc: DeclarationDoc) -> set[str]:
    """Every trader identification number named on the declaration (for access control)."""
    if isinstance(doc, CancellationRequest):
        return {doc.declarant.id} if doc.declarant.id else set()
    parties: list[Party | None] = [doc.declarant, doc.representative, doc.consignor,
                                   doc.consignee]
    if isinstance(doc, Declaration):
        parties += [doc.importer, doc.exporter, doc.seller, doc.buyer]
        parties += [i.exporter for i in doc.items] + [i.consignee for i in doc.items]
    else:
        parties += [doc.carrier, doc.notify_party]
    return {p.id for p in parties if p is not None and p.id}
