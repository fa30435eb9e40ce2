"""Reader for WCO Data Model 3.6 DEC-DMS XML declarations (the UK CDS / EU customisation).

Parsed defensively (no DTD, entities or network; bounded size and depth); the `Declaration`
is found bare, in `md:MetaData` or in an HMRC `submitDeclarationRequest`, and mapped:

* FunctionCode 9 with TypeCode IMA/EXD/CO... -> `Declaration` (type, additional type);
* FunctionCode 13 with TypeCode COR -> `Declaration` amending the MRN in Declaration/ID;
* TypeCode INV -> `CancellationRequest` for the MRN in Declaration/ID.

`pointers` maps each canonical JSON pointer to its XML path; data elements without a canonical
field are kept in `envelope["unmapped"]` (XML path -> text). All problems are collected and
raised once as `DocumentInvalid`; no other exception leaves `read_wco_xml`.
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
from clearway.declarations.formats.wco_xml_items import (
    Dict,
    Node,
    Walker,
    additional_codes,
    children,
    documents,
    equipment_ids,
    goods_items,
    listed,
    local,
    own_text,
    party,
    previous_documents,
    put,
    statements,
)
from clearway.declarations.model import CancellationRequest, Declaration, DeclarationDoc
from clearway.errors import DocumentInvalid, Issue

MD_NS = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
DEC_NS = "urn:wco:datamodel:WCO:DEC-DMS:2"
MAX_DEPTH = 64
UNMAPPED_LIMIT = 10_000  # unmapped values kept in the envelope (the rest are counted)
# Transport wrappers a declaration may arrive in (HMRC MDG, SOAP).
WRAPPERS = frozenset({"submitDeclarationRequest", "cancellationRequest", "Envelope", "Body"})
# Requested procedures (DE 1/10) that make an amendment's declaration an export one.
_EXPORT_PROCEDURES = frozenset({"10", "11", "21", "22", "23", "31"})
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
        fields = _cancellation(w, decl, function)
        model: type[DeclarationDoc] = CancellationRequest
    else:
        fields = _declaration(w, decl, function, type_code, extra)
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


# -- mapping ----------------------------------------------------------------------------------
HEADER = ("declaration_date=IssueDateTime|AcceptanceDateTime:date invoice_amount=InvoiceAmount:dec "
          "invoice_currency=InvoiceAmount@currencyID total_packages=TotalPackageQuantity:int "
          "exchange_rate=CurrencyExchange/RateNumeric:dec item_count=GoodsItemQuantity:int "
          "total_gross_mass=TotalGrossMassMeasure:dec")
OFFICES = ("supervising=SupervisingOffice/ID exit=ExitOffice/ID presentation=PresentationOffice/ID "
           "lodgement=DeclarationOfficeID")
LOCATION = "code=Name|ID type=TypeCode qualifier=Address/TypeCode country=Address/CountryCode"
BORDER = ("mode_at_border=ModeCode border_nationality=RegistrationNationalityCode "
          "border_identity=ID")
TERMS = "incoterm=ConditionCode place=LocationID|LocationName"
GUARANTEE = "type=SecurityDetailsCode reference=ReferenceID|ID"
PARTIES = (("exporter", "Exporter"), ("importer", "GoodsShipment/Importer"),
           ("consignee", "GoodsShipment/Consignee"), ("consignor", "GoodsShipment/Consignor"),
           ("consignor", "Consignment/Consignor"), ("seller", "GoodsShipment/Seller"),
           ("buyer", "GoodsShipment/Buyer"), ("representative", "Agent"))


def _declaration(w: Walker, decl: Node, function: str | None, type_code: str | None,
                 extra: Dict) -> Dict:
    amendment = function == "13" or type_code == "COR"
    d: Dict = {"function_code": function} if function else {}
    _lrn(w, decl, d)
    shipment = w.kid(decl, "GoodsShipment")
    items = goods_items(w, shipment)
    if amendment and type_code in (None, "COR"):
        d["declaration_type"] = _infer_type(w, decl, items)
        extra["declaration_type_inferred"] = True
    elif type_code and type_code[:2] in ("IM", "EX", "CO"):
        d["declaration_type"] = type_code[:2]
        put(d, "additional_type", type_code[2:] or None)
        w.pointers["/additional_type"] = w.pointers.get("/declaration_type", "")
    elif type_code is None:
        w.issue("CW-SYN-SCHEMA", "/declaration_type", "The TypeCode (declaration type) is "
                "missing", node=decl)
    else:
        w.value_issue("/declaration_type", f"TypeCode {type_code!r} is not IM, EX or CO "
                      "followed by the additional declaration type")
    if amendment:
        _amendment(w, decl, d, extra)
    declarant = party(w, w.kid(decl, "Declarant"), "/declarant")
    if declarant is None and amendment:
        # A delta amendment need not restate the declarant, and its Submitter may be the
        # representative: the declaration keeps its own declarant (amendments.new_version).
        declarant = {}
    if declarant is None:
        w.issue("CW-SYN-SCHEMA", "/declarant", "The declarant (Declarant/ID) is missing",
                node=decl)
    else:
        d["declarant"] = declarant
    for key, tag in PARTIES:
        if key not in d:
            put(d, key, party(w, w.kid(decl, tag), f"/{key}"))
    put(d, "representative_status",
        w.text(decl, "Agent/FunctionCode", "/representative_status"))
    put(d, "authorisations", listed(w, decl, "AuthorisationHolder", "/authorisations",
                                    "type=CategoryCode holder_id=ID", ("type",)))
    put(d, "offices", w.fill(decl, "/offices", OFFICES))
    consignment = w.kid(shipment, "Consignment")
    location = w.kid(consignment, "GoodsLocation")
    put(d, "goods_location", w.fill(location, "/goods_location", LOCATION))
    if "goods_location" in d:
        w.point("/goods_location", location)
    put(d, "transport", _transport(w, decl, consignment))
    put(d, "delivery_terms", w.fill(w.kid(shipment, "TradeTerms"), "/delivery_terms", TERMS))
    d.update(w.fill(decl, "", HEADER))
    for key, tag in (("nature_of_transaction", "TransactionNatureCode"),
                     ("dispatch_country", "ExportCountry/ID"),
                     ("destination_country", "Destination/CountryCode")):
        put(d, key, _header_or_items(w, shipment, tag, f"/{key}"))
    guarantee = w.kid(decl, "ObligationGuarantee")
    put(d, "guarantee", w.fill(guarantee, "/guarantee", GUARANTEE))
    put(d, "documents", documents(w, decl, "/documents"))
    put(d, "previous_documents", previous_documents(w, shipment, "/previous_documents"))
    reason = _is_reason if amendment else None  # AES statements explain the amendment
    put(d, "additional_information", statements(w, decl, "/additional_information", reason))
    d["items"] = items
    codes = {f"/items/{i}": additional_codes(w, w.kid(node, "Commodity"))
             for i, node in enumerate(w.kids(shipment, "GovernmentAgencyGoodsItem"))}
    put(extra, "additional_codes", {k: v for k, v in codes.items() if v})
    return d


def _lrn(w: Walker, decl: Node, d: Dict) -> None:
    lrn = w.text(decl, "FunctionalReferenceID", "/lrn")
    if lrn is None:
        w.issue("CW-SYN-SCHEMA", "/lrn", "The LRN (FunctionalReferenceID) is missing", node=decl)
    elif (leaf := w.kid(decl, "FunctionalReferenceID")) is not None:
        lrn = own_text(leaf)  # as written: " LRN " is refused as in JSON, not made "LRN"
    put(d, "lrn", lrn)


def _amendment(w: Walker, decl: Node, d: Dict, extra: Dict) -> None:
    mrn = w.text(decl, "ID", "/amends_mrn")
    if mrn is None:
        w.issue("CW-SYN-SCHEMA", "/amends_mrn", "An amendment must name the MRN it amends "
                "(Declaration/ID)", node=decl, element="MRN")
    put(d, "amends_mrn", mrn)
    changes, codes = [], []
    for node in w.kids(decl, "Amendment"):
        code = w.text(node, "ChangeReasonCode", "/amendment_reason")
        codes.append(code)
        changes.append({"reason_code": code, "pointers": [
            {"sequence": w.text(p, "SequenceNumeric"), "section": w.text(p, "DocumentSectionCode"),
             "tag": w.text(p, "TagID")} for p in w.kids(node, "Pointer")]})
    put(extra, "amendments", changes)
    infos = w.kids(decl, "AdditionalInformation")
    texts = [w.text(info, "StatementDescription", "/amendment_reason")
             for info in infos if _is_reason(info) and w.text(info, "StatementTypeCode")]
    texts = texts or [w.text(info, "StatementDescription", "/amendment_reason", mark=False)
                      for info in infos]
    reason = "; ".join(t for t in texts if t) or ", ".join(c for c in codes if c)
    put(d, "amendment_reason", reason or None)


def _is_reason(info: Node) -> bool:
    """AdditionalInformation of type AES: the free-text reason of an amendment."""
    kind = children(info, "StatementTypeCode")
    return bool(kind) and own_text(kind[0]).strip().upper() == "AES"


def _infer_type(w: Walker, decl: Node, items: list[Dict]) -> str:
    """A COR amendment does not restate the declaration type: infer it from the procedure."""
    for item in items:
        requested = (item.get("procedure") or {}).get("requested")
        if requested:
            return "EX" if requested in _EXPORT_PROCEDURES else "IM"
    return "EX" if w.kid(decl, "ExitOffice") is not None else "IM"


def _cancellation(w: Walker, decl: Node, function: str | None) -> Dict:
    d: Dict = {"function_code": function} if function else {}
    _lrn(w, decl, d)
    put(d, "mrn", w.text(decl, "ID", "/mrn"))
    if "mrn" not in d:
        w.issue("CW-SYN-SCHEMA", "/mrn", "A cancellation must name the MRN it cancels "
                "(Declaration/ID)", node=decl, element="MRN")
    put(d, "declarant", party(w, w.kid(decl, "Submitter"), "/declarant")
        or party(w, w.kid(decl, "Declarant"), "/declarant"))
    if "declarant" not in d:
        w.issue("CW-SYN-SCHEMA", "/declarant", "The submitter (Submitter/ID) is missing",
                node=decl, element="DE 3/18")
    codes = [w.text(node, "ChangeReasonCode", "/reason_code")
             for node in w.kids(decl, "Amendment")]
    put(d, "reason_code", next((c for c in codes if c), None))
    texts = [w.text(info, "StatementDescription", "/reason")
             for info in w.kids(decl, "AdditionalInformation")]
    put(d, "reason", "; ".join(t for t in texts if t) or d.get("reason_code"))
    if "reason" not in d:
        w.issue("CW-REASON-REQUIRED", "/reason", "A cancellation needs a reason "
                "(AdditionalInformation/StatementDescription or Amendment/ChangeReasonCode)",
                node=decl, element="Reason")
    return d


def _transport(w: Walker, decl: Node, consignment: Node | None) -> Dict:
    t = w.fill(w.kid(decl, "BorderTransportMeans"), "/transport", BORDER)
    arrival = w.kid(consignment, "ArrivalTransportMeans")
    departure = w.kid(consignment, "DepartureTransportMeans")
    put(t, "arrival_identity", w.text(arrival, "ID", "/transport/arrival_identity"))
    put(t, "departure_identity", w.text(departure, "ID", "/transport/departure_identity"))
    put(t, "inland_mode", w.text(arrival, "ModeCode", "/transport/inland_mode")
        or w.text(departure, "ModeCode", "/transport/inland_mode"))
    flag = w.text(consignment, "ContainerCode", "/transport/container")
    if flag in ("0", "1"):
        t["container"] = flag == "1"
    elif flag is not None:
        w.value_issue("/transport/container", f"ContainerCode {flag!r} is not 0 or 1")
    put(t, "container_ids", equipment_ids(w, consignment, "/transport/container_ids"))
    return t


def _header_or_items(w: Walker, shipment: Node | None, tag: str, pointer: str) -> str | None:
    """A GoodsShipment value, or the value every goods item that carries it agrees on."""
    value = w.text(shipment, tag, pointer)
    if value is not None:
        return value
    nodes = [n for it in w.kids(shipment, "GovernmentAgencyGoodsItem")
             if (n := w.kid(it, tag)) is not None and w.text(n, mark=False)]
    values = {w.text(n, mark=False) for n in nodes}
    if len(values) != 1:
        return None
    for node in nodes:
        w.text(node)
    w.point(pointer, nodes[0])
    return values.pop()


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
