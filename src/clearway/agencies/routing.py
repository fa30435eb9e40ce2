"""Which agencies must decide on which items of a declaration: pure, over the matrix valid on
the day. An item goes to every agency with a rule that applies, and to no other (routing
everything to everyone is the anti-pattern the single window exists to end)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class RuleIndex:
    """The rules valid on `day`, by HS prefix: an item meets only the rules under a prefix of
    its commodity code (a few), not the whole matrix. Each rule keeps its place in the
    (agency, id) order the routing goes by."""

    day: date
    by_prefix: dict[str, tuple[tuple[int, MatrixRule], ...]]
    lengths: tuple[int, ...]

    def candidates(self, code: str) -> list[MatrixRule]:
        found = [ranked for n in self.lengths if n <= len(code)
                 for ranked in self.by_prefix.get(code[:n], ())]
        return [rule for _, rule in sorted(found, key=lambda ranked: ranked[0])]


def index(rules: Iterable[MatrixRule], day: date) -> RuleIndex:
    valid = sorted((r for r in rules if r.valid_on(day)), key=lambda r: (r.agency, r.id))
    by_prefix: dict[str, list[tuple[int, MatrixRule]]] = {}
    for rank, rule in enumerate(valid):
        by_prefix.setdefault(rule.hs_prefix, []).append((rank, rule))
    return RuleIndex(day, {p: tuple(r) for p, r in by_prefix.items()},
                     tuple(sorted({len(p) for p in by_prefix})))


def route(doc: Declaration, rules: Iterable[MatrixRule], day: date) -> list[Routed]:
    """Every (item, agency) the matrix valid on `day` asks for, in item order. Two rules of
    one agency on one item route it once, under the first rule by id (the most specific
    formality is the agency's to apply; the routing only says who decides)."""
    return route_indexed(doc, index(rules, day))


def route_indexed(doc: Declaration, rules: RuleIndex) -> list[Routed]:
    """`route` over rules indexed already (`Version.index`, kept per version and day)."""
    routed: list[Routed] = []
    for item in doc.items:
        seen: set[str] = set()
        declared = {d.code for d in item.documents} | {d.code for d in doc.documents}
        for rule in rules.candidates(item.commodity_code):
            if rule.agency in seen or not _applies(rule, doc, item):
                continue
            seen.add(rule.agency)
            routed.append(Routed(item=item.sequence, agency=rule.agency, rule=rule.id,
                                 formality=rule.formality,
                                 documents=tuple(sorted(declared & rule.documents)),
                                 move_before_decision=rule.move_before_decision))
    return routed
