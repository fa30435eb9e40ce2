"""Walking a WCO DEC-DMS declaration: element access that records where every value came
from.

`Walker` reads child elements by local name (the DMS schemas mix the DEC-DMS namespace with
the Declaration_DS one, e.g. `p1:DateTimeString`), records a pointer for every value it
maps, marks what it consumed (the rest is kept as unmapped data) and collects coded issues
instead of raising. `Walker.fill` reads a small table such as
"net_mass=NetNetWeightMeasure:dec tax_base=AdValoremTaxBaseAmount|SpecificTaxBaseQuantity:dec"
(key=path, alternatives separated by |, type text/int/dec/date, attributes as Path@name).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.declarations.elements import element_of_pointer
from clearway.declarations.formats import MAX_NUMBER_DIGITS
from clearway.errors import Issue

Node = Any  # an lxml element (lxml ships without type information)
Dict = dict[str, Any]

# Elements that the DEC-DMS schema lets repeat: their paths always carry a [n] index.
REPEATABLE = frozenset({
    "AdditionalDocument", "AdditionalInformation", "AEOMutualRecognitionParty", "Amendment",
    "AuthorisationHolder", "Classification", "ConsignmentItem", "CurrencyExchange",
    "DangerousGoods", "DomesticDutyTaxParty", "DutyTaxFee", "GovernmentAgencyGoodsItem",
    "GovernmentProcedure", "Itinerary", "ObligationGuarantee", "Origin", "Packaging", "Pointer",
    "PreviousDocument", "Seal", "TransportEquipment",
})
# XML Schema lexical forms (xs:decimal, xs:integer: a leading "+" is allowed, no exponent)
# in ASCII digits: Python's \d and Decimal() would also take fullwidth or Arabic-Indic digits.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DATE = re.compile(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})")


def local(node: Node) -> str:
    tag = node.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def own_text(node: Node) -> str:
    """The element's own text, comments and processing instructions left out."""
    return (node.text or "") + "".join(c.tail or "" for c in node if not isinstance(c.tag, str))


def children(node: Node | None, name: str) -> list[Node]:
    """Child elements with this local name (any namespace)."""
    return [] if node is None else [c for c in node if local(c) == name]


def put(target: Dict, key: str, value: Any) -> None:
    if value is not None and value != [] and value != {}:
        target[key] = value


class Walker:
    """Reads values from the XML tree, remembering pointers, consumed nodes and issues."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.issued: set[str] = set()  # canonical pointers that already have an issue
        self.pointers: dict[str, str] = {}
        self.used: set[Node] = set()
        self.used_attrs: set[tuple[Node, str]] = set()
        self._paths: dict[Node, str] = {}
        self._children: dict[Node, dict[str, list[Node]]] = {}

    def path(self, node: Node) -> str:
        """XPath-like location with local names and 1-based indexes on repeatable elements
        (computed once per parent, so that wide documents stay linear)."""
        if node not in self._paths:
            parent = node.getparent()
            if parent is None:
                self._paths[node] = "/" + local(node)
                return self._paths[node]
            base, groups = self.path(parent), self._groups(parent)
            for name, same in groups.items():
                for i, child in enumerate(same, 1):
                    index = f"[{i}]" if name in REPEATABLE or len(same) > 1 else ""
                    self._paths[child] = f"{base}/{name}{index}"
        return self._paths[node]

    def point(self, pointer: str, node: Node) -> None:
        self.pointers[pointer] = self.path(node)

    def _groups(self, node: Node) -> dict[str, list[Node]]:
        if node not in self._children:
            groups: dict[str, list[Node]] = {}
            for child in node:
                if isinstance(child.tag, str):
                    groups.setdefault(local(child), []).append(child)
            self._children[node] = groups
        return self._children[node]

    def kids(self, node: Node | None, name: str) -> list[Node]:
        return [] if node is None else self._groups(node).get(name, [])

    def kid(self, node: Node | None, path: str) -> Node | None:
        for step in path.split("/") if path else ():
            found = self.kids(node, step)
            node = found[0] if found else None
        return node

    def text(self, node: Node | None, path: str = "", pointer: str | None = None, *,
             mark: bool = True) -> str | None:
        leaf = self.kid(node, path)
        value = own_text(leaf).strip() if leaf is not None else ""
        if not value:
            return None
        if mark:
            self.used.add(leaf)
        if pointer:
            self.point(pointer, leaf)
        return value

    def attr(self, node: Node | None, path: str, name: str, pointer: str | None = None
             ) -> str | None:
        leaf = self.kid(node, path)
        value = (leaf.get(name) or "").strip() if leaf is not None else ""
        if not value:
            return None
        self.used_attrs.add((leaf, name))
        if pointer:
            self.pointers[pointer] = f"{self.path(leaf)}/@{name}"
        return value

    def decimal(self, node: Node | None, path: str, pointer: str) -> Decimal | None:
        raw = self.text(node, path, pointer)
        if raw is not None and len(raw) > MAX_NUMBER_DIGITS:  # never a million digits
            self.value_issue(pointer, f"A number has {len(raw)} characters; the limit is "
                             f"{MAX_NUMBER_DIGITS}")
            return None
        if raw is not None and not _DECIMAL.fullmatch(raw):
            self.value_issue(pointer, f"{raw!r} is not a decimal number")
            return None
        return None if raw is None else Decimal(raw)

    def integer(self, node: Node | None, path: str, pointer: str) -> int | None:
        raw = self.text(node, path, pointer)
        if raw is not None and not _INTEGER.fullmatch(raw):
            self.value_issue(pointer, f"{raw!r} is not a whole number")
            return None
        return None if raw is None else int(raw)

    def date(self, node: Node | None, path: str, pointer: str) -> date | None:
        """A WCO date-time (DateTimeString, format 102 CCYYMMDD or 304 CCYYMMDDHHMMSS+zone)."""
        holder = self.kid(node, path)
        raw = self.text(holder, "DateTimeString", pointer) or self.text(holder, "", pointer)
        if raw is None:
            return None
        self.attr(holder, "DateTimeString", "formatCode")
        match = _DATE.match(raw)
        try:
            if match:
                return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
        self.value_issue(pointer, f"{raw!r} is not a date (format 102 or 304)")
        return None

    def fill(self, node: Node | None, base: str, spec: str) -> Dict:
        """The values a spec names (see the module docstring), keyed for the canonical model."""
        out: Dict = {}
        for entry in spec.split():
            key, _, rest = entry.partition("=")
            paths, _, kind = rest.partition(":")
            pointer = f"{base}/{key}"
            for path in paths.split("|"):
                if "@" in path:
                    element, _, name = path.partition("@")
                    value: Any = self.attr(node, element, name, pointer)
                else:
                    read = {"int": self.integer, "dec": self.decimal, "date": self.date}
                    value = read.get(kind, self.text)(node, path, pointer)
                if value is not None:
                    out[key] = value
                    break
        return out

    def issue(self, code: str, pointer: str, message: str, *, node: Node | None = None,
              element: str | None = None) -> None:
        where = self.path(node) if node is not None else self.pointers.get(pointer, pointer)
        self.issued.add(pointer)
        self.issues.append(Issue(code=code, message=message, pointer=where,
                                 element=element or element_of_pointer(pointer)))

    def value_issue(self, pointer: str, message: str) -> None:
        self.issue("CW-SYN-XML-VALUE", pointer, message)
