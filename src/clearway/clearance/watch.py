"""The shared watch lists checked on every accepted declaration and ENS, inside the
acceptance transaction (`acceptance.decide_on_acceptance`): the parties' EORIs and names, the
containers and the means of transport, looked up in one read of the watch keys' index. Each
hit raises one alert per entry and document, in the room of every service the entry concerns
(docs/border.md); an amendment accepted again raises none twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from clearway.border.model import Alert, Target
from clearway.border.watch import check, container_targets, party_targets, plate_targets
from clearway.declarations.model import (
    Declaration,
    EntrySummaryDeclaration,
    Party,
    SummaryDeclaration,
)
from clearway.risk.engine.frame import RiskDoc
from clearway.storage.orm import DeclarationRow

DECLARATION_PARTIES = ("declarant", "representative", "importer", "exporter", "consignor",
                       "consignee", "seller", "buyer")
ENS_PARTIES = ("declarant", "representative", "carrier", "consignor", "consignee",
               "notify_party")


def on_accepted(session: Session, row: DeclarationRow, doc: RiskDoc, *,
                now: datetime) -> list[Alert]:
    """The watch-list alerts of a just-accepted declaration, ENS or EXS (stored)."""
    if isinstance(doc, SummaryDeclaration):
        object_type = "ens" if isinstance(doc, EntrySummaryDeclaration) else "exs"
        targets = targets_of_ens(doc)
    elif isinstance(doc, Declaration):
        object_type = "declaration"
        targets = targets_of_declaration(doc)
    else:
        return []
    return check(session, targets, object_type=object_type,
                 object_ref=row.mrn or f"id:{row.id}", at=now)


def _parties(doc: Declaration | SummaryDeclaration, names: tuple[str, ...]
             ) -> list[Target]:
    found: list[Target] = []
    for name in names:
        party: Party | None = getattr(doc, name)
        if party is not None:
            found += party_targets(name, party.id, party.name)
    return found


def targets_of_declaration(doc: Declaration) -> list[Target]:
    t = doc.transport
    containers = [*t.container_ids, *(c for i in doc.items for c in i.container_ids)]
    return [*_parties(doc, DECLARATION_PARTIES), *container_targets("containers", containers),
            *plate_targets([("transport.border_identity", t.border_identity),
                            ("transport.arrival_identity", t.arrival_identity),
                            ("transport.departure_identity", t.departure_identity)])]


def targets_of_ens(doc: SummaryDeclaration) -> list[Target]:
    """An ENS's or EXS's parties and containers (both share the summary's elements)."""
    containers = [*(c.number for c in doc.containers),
                  *(c for i in doc.items for c in i.container_ids)]
    return [*_parties(doc, ENS_PARTIES), *container_targets("containers", containers)]
