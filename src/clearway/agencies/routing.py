"""Which agencies must decide on which items of a declaration: pure, over the matrix valid on
the day. An item goes to every agency with a rule that applies, and to no other (routing
everything to everyone is the anti-pattern the single window exists to end)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from clearway.agencies.model import MatrixRule, Routed
from clearway.declarations.model import Declaration, GoodsItem


def _applies(rule: MatrixRule, doc: Declaration, item: GoodsItem) -> bool:
    if not item.commodity_code.startswith(rule.hs_prefix):
        return False
    if rule.declaration_types and doc.declaration_type not in rule.declaration_types:
        return False
    procedure = item.procedure
    if rule.procedures and (procedure is None or procedure.requested not in rule.procedures):
        return False
    if rule.origins and item.origin_country not in rule.origins:
        return False
    if rule.destinations and doc.destination_country not in rule.destinations:
        return False
    return not (rule.intended_use and (
        procedure is None or rule.intended_use not in procedure.additional))


def route(doc: Declaration, rules: Iterable[MatrixRule], day: date) -> list[Routed]:
    """Every (item, agency) the matrix valid on `day` asks for, in item order. Two rules of
    one agency on one item route it once, under the first rule by id (the most specific
    formality is the agency's to apply; the routing only says who decides)."""
    valid: Sequence[MatrixRule] = sorted((r for r in rules if r.valid_on(day)),
                                         key=lambda r: (r.agency, r.id))
    routed: list[Routed] = []
    for item in doc.items:
        seen: set[str] = set()
        declared = {d.code for d in item.documents} | {d.code for d in doc.documents}
        for rule in valid:
            if rule.agency in seen or not _applies(rule, doc, item):
                continue
            seen.add(rule.agency)
            routed.append(Routed(item=item.sequence, agency=rule.agency, rule=rule.id,
                                 formality=rule.formality,
                                 documents=tuple(sorted(declared & rule.documents)),
                                 move_before_decision=rule.move_before_decision))
    return routed
