"""Reader for WCO Data Model 3.6 DEC-DMS XML declarations (the UK CDS / EU customisation).

Parsed defensively (no DTD, entities or network; bounded size and depth); the `Declaration`
is found bare, in `md:MetaData` or in an HMRC `submitDeclarationRequest`, and mapped:

* FunctionCode 9 with TypeCode IMA/EXD/CO... -> `Declaration` (type, additional type);
* FunctionCode 13 with TypeCode COR -> `Declaration` amending the MRN in Declaration/ID;
* TypeCode INV -> `CancellationRequest` for the MRN in Declaration/ID.

`pointers` maps each canonical JSON pointer to its XML path; data elements without a canonical
field are kept in `envelope["unmapped"]` (XML path -> text). All problems are collected and
raised once as `DocumentInvalid`; no other exception leaves `read_wco_xml`. The mapping is in
`wco_xml_header` (the Declaration element) and `wco_xml_items` (parties, documents, goods
items), both reading through a `wco_xml_walker.Walker`.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from lxml import etree
from pydantic import ValidationError

from clearway.declarations.elements import element_of_pointer
from clearway.declarations.formats import (
    MAX_DOCUMENT_BYTES,
    MAX_XML_ATTRIBUTES,
    MAX_XML_ELEMENTS,
    WCO_XML,
    ParsedDocument,
    read_guarded,
)
from clearway.declarations.formats.json_reader import coded
from clearway.declarations.formats.wco_xml_header import cancellation_fields, declaration_fields
from clearway.declarations.formats.wco_xml_walker import (
    Dict,
    Node,
    Walker,
    children,
    local,
    own_text,
    put,
)
from clearway.declarations.model import CancellationRequest, Declaration, DeclarationDoc
from clearway.errors import DocumentInvalid, Issue

MD_NS = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
DEC_NS = "urn:wco:datamodel:WCO:DEC-DMS:2"
MAX_DEPTH = 64
UNMAPPED_LIMIT = 10_000  # unmapped values kept in the envelope (the rest are counted)
# Transport wrappers a declaration may arrive in (HMRC MDG, SOAP).
WRAPPERS = frozenset({"submitDeclarationRequest", "cancellationRequest", "Envelope", "Body"})
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_FORBIDDEN = [re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)] + [
    re.compile(re.escape(word.encode(enc)), re.IGNORECASE)
    for word in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-16-le", "utf-16-be")
]


def _fail(code: str, message: str, pointer: str = "/", element: str | None = None) -> NoReturn:
    raise DocumentInvalid([Issue(code=code, message=message, element=element,
                                 pointer=pointer)])


def read_wco_xml(data: bytes) -> ParsedDocument:
    """Read a DEC-DMS declaration, amendment or cancellation; raise `DocumentInvalid`."""
    return read_guarded(_read, data, code="CW-SYN-XML", what="The XML")


def _read(data: bytes) -> ParsedDocument:
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = bytes(data)
    if len(data) > MAX_DOCUMENT_BYTES:
        _fail("CW-SYN-SIZE", f"The document is {len(data)} bytes; the limit is "
              f"{MAX_DOCUMENT_BYTES}")
    root = _parse(data)
    decl, meta = _locate(root)
    w = Walker()
    w.pointers[""] = w.path(decl)
    function = w.text(decl, "FunctionCode", "/function_code")
    type_code = (w.text(decl, "TypeCode", "/declaration_type") or "").upper() or None
    if function is None:
        w.issue("CW-SYN-SCHEMA", "/function_code", "The FunctionCode is missing", node=decl,
                element="FunctionCode")
    elif function.isdigit():
        function = str(int(function))
    else:
        w.value_issue("/function_code", f"FunctionCode {function!r} is not a number")
    extra: Dict = {}
    if type_code == "INV":
        fields = cancellation_fields(w, decl, function)
        model: type[DeclarationDoc] = CancellationRequest
    else:
        fields = declaration_fields(w, decl, function, type_code, extra)
        model = Declaration
    doc = _validate(w, model, fields)
    if w.issues or doc is None:
        raise DocumentInvalid(w.issues)
    envelope = _envelope(w, meta, decl, fields, function, type_code)
    envelope.update(extra)
    envelope["unmapped"] = unmapped = _unmapped(w, decl)
    if len(unmapped) > UNMAPPED_LIMIT:
        envelope["unmapped"] = dict(list(unmapped.items())[:UNMAPPED_LIMIT])
        envelope["unmapped_truncated"] = len(unmapped)
    return ParsedDocument(doc=doc, format=WCO_XML, pointers=w.pointers, envelope=envelope)


# -- safe parsing -----------------------------------------------------------------------------
def _position(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - data.rfind(b"\n", 0, offset)
    return f"{line}:{column}"


def _parse(data: bytes) -> Node:
    for i, pattern in enumerate(_FORBIDDEN):
        if found := pattern.search(data):
            _fail("CW-SYN-XML-FORBIDDEN", "DTDs and entity declarations are not accepted",
                  _position(data, found.start()) if i == 0 else "1:1")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        text = str(exc.msg or exc)
        code = "CW-SYN-XML"
        if "depth" in text.lower():
            code = "CW-SYN-XML-DEPTH"
        elif "encoding" in text.lower() or "utf-" in text.lower():
            code = "CW-SYN-ENCODING"
        _fail(code, f"Malformed XML: {text}", f"{line}:{column}")
    if root is None:
        _fail("CW-SYN-XML", "The document holds no XML element")
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        _fail("CW-SYN-XML-FORBIDDEN", "DTDs and entity declarations are not accepted")
    # lxml never expands XInclude unless asked; refused anyway, as an external reference.
    if root.xpath("//*[namespace-uri()='http://www.w3.org/2001/XInclude']"):
        _fail("CW-SYN-XML-FORBIDDEN", "XInclude and other external references are not accepted")
    too_deep = root.xpath("/*" * (MAX_DEPTH + 1))
    if too_deep:
        _fail("CW-SYN-XML-DEPTH", f"The XML is nested deeper than {MAX_DEPTH} levels",
              f"{too_deep[0].sourceline or 0}:0")
    elements = int(root.xpath("count(//*)"))
    if elements > MAX_XML_ELEMENTS:
        _fail("CW-SYN-ELEMENTS", f"The XML holds {elements} elements; the limit is "
              f"{MAX_XML_ELEMENTS}")
    crowded = root.xpath(f"//*[count(@*) > {MAX_XML_ATTRIBUTES}]")
    if crowded:
        _fail("CW-SYN-ELEMENTS", f"An element has more than {MAX_XML_ATTRIBUTES} attributes",
              f"{crowded[0].sourceline or 0}:0")
    return root


def _ns(node: Node) -> str | None:
    return etree.QName(node).namespace


def _locate(root: Node) -> tuple[Node, Node | None]:
    """The Declaration element and its MetaData wrapper (None for a bare Declaration)."""
    name, ns = local(root), _ns(root)
    if name == "Declaration" and ns == DEC_NS:
        return root, None
    if name == "MetaData" and ns in (MD_NS, DEC_NS, None):
        kinds = [(k.text or "").strip().upper() for k in children(root, "WCOTypeName")]
        if "RES" in kinds or children(root, "Response"):
            _fail("CW-SYN-XML-DOCTYPE", "This is a DMS response message (MetaData/Response), "
                  "not a declaration", "/" + name)
        found = [c for c in children(root, "Declaration") if _ns(c) == DEC_NS]
        if len(found) != 1:
            _fail("CW-SYN-XML-DOCTYPE", f"MetaData must hold exactly one Declaration in "
                  f"namespace {DEC_NS}; found {len(found)}", "/" + name)
        return found[0], root
    if name in WRAPPERS:
        for node in root.iter():
            if isinstance(node.tag, str) and node is not root and (
                    (local(node) == "MetaData" and _ns(node) == MD_NS)
                    or (local(node) == "Declaration" and _ns(node) == DEC_NS)):
                return _locate(node)
    _fail("CW-SYN-XML-DOCTYPE", f"The root element {name!r} (namespace {ns!r}) is not a WCO "
          f"DEC-DMS declaration: expected MetaData ({MD_NS}) or Declaration ({DEC_NS})",
          "/" + name)


# -- model, envelope, leftovers ---------------------------------------------------------------
def _json_pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def _validate(w: Walker, model: type[DeclarationDoc], fields: Dict) -> DeclarationDoc | None:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            pointer = _json_pointer(err["loc"])
            if any(pointer == p or pointer.startswith(p + "/") for p in w.issued):
                continue
            probe = pointer
            while probe and probe not in w.pointers:
                probe = probe.rsplit("/", 1)[0]
            code, message = coded(err)
            w.issues.append(Issue(code=code, message=message,
                                  element=element_of_pointer(pointer),
                                  pointer=w.pointers.get(probe, w.pointers[""])))
        return None


_META = (("agency", "ResponsibleAgencyName"), ("country", "ResponsibleCountryCode"),
         ("version", "WCODataModelVersionCode"), ("type_name", "WCOTypeName"),
         ("customization_version", "AgencyAssignedCustomizationVersionCode"))


def _envelope(w: Walker, meta: Node | None, decl: Node, fields: Dict, function: str | None,
              type_code: str | None) -> dict[str, Any]:
    envelope: dict[str, Any] = {"functional_reference": fields.get("lrn")}
    envelope.update({key: w.text(meta, tag, mark=False) for key, tag in _META})
    envelope.update(function_code=function, type_code=type_code)
    put(envelope, "mrn", w.text(decl, "ID", mark=False))
    return envelope


def _unmapped(w: Walker, decl: Node) -> dict[str, str]:
    """Leaf values and attributes the canonical model has no field for, by XML path."""
    out: dict[str, str] = {}
    for node in decl.iter():
        if not isinstance(node.tag, str):
            continue
        if node not in w.used and not any(isinstance(c.tag, str) for c in node):
            text = own_text(node).strip()
            if text:
                out[w.path(node)] = text
        for value in node.xpath("@*") if len(node.attrib) else ():  # items() is quadratic
            name = value.attrname
            if not name.startswith(_XSI) and (node, name) not in w.used_attrs and value.strip():
                out[f"{w.path(node)}/@{etree.QName(name).localname}"] = str(value).strip()
    return out
