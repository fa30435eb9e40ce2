"""The canonical fields collected from one CUSDEC message, and the document they make.

`CusdecFields` keeps the header and goods items as they are filled, a pointer ("segment N
(TAG)") for every canonical field, the segments no field takes (unmapped) and the coded
issues found. The segment mappings (`edifact_references`, `edifact_parties_transport`,
`edifact_goods`) fill it; `edifact_segments.CusdecReader` walks the message.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from clearway.declarations.elements import element_of_pointer
from clearway.declarations.formats.json_reader import coded
from clearway.declarations.model import CancellationRequest, Declaration, DeclarationDoc
from clearway.edifact.values import BadValue
from clearway.errors import Issue

Dict = dict[str, Any]
_INDEX = re.compile(r"/[0-9]+")


def compact(**fields: Any) -> Dict:
    """The fields that hold a value (0 counts; "", None and {} do not)."""
    return {k: v for k, v in fields.items() if v is not None and v != "" and v != {}}


def de(pointer: str, fallback: str) -> str:
    """The EU data element of a canonical field ("DE x/y"), else the EDIFACT element."""
    return element_of_pointer(_INDEX.sub("/0", pointer)) or fallback  # cached per field


class CusdecFields:
    """The canonical fields of one CUSDEC message as its segments fill them."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        self.pointers: dict[str, str] = {}
        self.unmapped: list[str] = []
        self.head: Dict = {}
        self.items: list[Dict] = []
        self.last: dict[str, Dict] = {}  # the DOC, PAC and TAX that DTM, PCI, MOA, GIS extend
        self.cancel = False
        self.bgm = False
        self.document_number = ""
        self.where = ""

    def mark(self, pointer: str) -> None:
        self.pointers.setdefault(pointer, self.where)

    def put(self, target: Dict, key: str, value: Any, pointer: str) -> None:
        if value is None or value == "":
            return
        if key in target:
            raise BadValue(f"{pointer} is given twice", element_of_pointer(pointer))
        target[key] = value
        self.mark(pointer)

    def add(self, target: Dict, key: str, value: Dict, pointer: str, kind: str = "") -> None:
        found = target.setdefault(key, [])
        self.mark(f"{pointer}/{len(found)}")
        found.append(value)
        if kind:
            self.last[kind] = value

    def target(self, item: Dict | None) -> tuple[Dict, str]:
        return (item, f"/items/{len(self.items) - 1}") if item is not None else (self.head, "")

    def latest(self, tag: str, group: list[Dict], what: str) -> tuple[Dict, int]:
        """The latest DOC, PAC or TAX of this header or item, that `what` adds to."""
        found = self.last.get(tag)
        for index, entry in enumerate(group):
            if entry is found:
                return entry, index
        raise BadValue(f"{what} must follow a {tag} segment", tag)

    # -- the canonical document ----------------------------------------------------------
    def document(self) -> DeclarationDoc | None:
        """The declaration or cancellation the fields make, or None with the model's
        complaints added to the issues (each at its segment)."""
        head = self.head
        mrn = head.pop("_ABT", None) or head.pop("_ACW", None)
        reason, reason_code = head.pop("_reason", None), head.pop("_reason_code", None)
        fields: Dict
        if self.cancel:
            fields = {"lrn": head.get("lrn"), "mrn": mrn, "declarant": head.get("declarant"),
                      "reason_code": reason_code, "reason": reason}
            model: type[DeclarationDoc] = CancellationRequest
        else:
            fields = {**head, "items": self.items, "amends_mrn": mrn,
                      "amendment_reason": reason or reason_code}
            model = Declaration
        fields = {k: v for k, v in fields.items() if v is not None}
        try:
            return model.model_validate(fields)
        except ValidationError as exc:
            flagged = {issue.pointer for issue in self.issues}
            for err in exc.errors(include_url=False):
                pointer = "".join(f"/{part}" for part in err["loc"])
                where = self._pointer(pointer)
                if where not in flagged:  # that segment already has its own issue
                    code, message = coded(err)
                    self.issues.append(Issue(code, message, element_of_pointer(pointer), where))
            return None

    def _pointer(self, pointer: str) -> str:
        """The segment of a canonical pointer, its closest recorded ancestor, else BGM."""
        probe = pointer
        while probe and probe not in self.pointers:
            probe = probe.rsplit("/", 1)[0]
        return self.pointers[probe] if probe else self.pointers.get("/lrn", self.pointers[""])
