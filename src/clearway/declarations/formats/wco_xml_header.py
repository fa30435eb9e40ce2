"""The Declaration element of a WCO DEC-DMS document mapped onto the canonical shape: a
declaration or amendment (header, parties, transport; goods items in `wco_xml_items`) and a
cancellation request. Values go through a `Walker`, which records where each came from."""

from __future__ import annotations

from clearway.declarations.formats.wco_xml_items import (
    additional_codes,
    documents,
    equipment_ids,
    goods_items,
    listed,
    party,
    previous_documents,
    seal_ids,
    statements,
)
from clearway.declarations.formats.wco_xml_walker import Dict, Node, Walker, children, own_text, put

# Requested procedures (DE 1/10) that make an amendment's declaration an export one.
_EXPORT_PROCEDURES = frozenset({"10", "11", "21", "22", "23", "31"})
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


def declaration_fields(w: Walker, decl: Node, function: str | None, type_code: str | None,
                       extra: Dict) -> Dict:
    amendment = function == "13" or type_code == "COR"
    d: Dict = {"function_code": function} if function else {}
    _lrn(w, decl, d)
    shipment = w.kid(decl, "GoodsShipment")
    items = goods_items(w, shipment)
    _declaration_type(w, decl, type_code, amendment, items, d, extra)
    if amendment:
        _amendment(w, decl, d, extra)
    _parties(w, decl, amendment, d)
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


def _declaration_type(w: Walker, decl: Node, type_code: str | None, amendment: bool,
                      items: list[Dict], d: Dict, extra: Dict) -> None:
    """DE 1/1 and 1/2 from the TypeCode (IMA, EXD, CO...); inferred for a COR amendment."""
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


def _parties(w: Walker, decl: Node, amendment: bool, d: Dict) -> None:
    """The declarant, the other parties, the representative's status (DE 3/21) and the
    authorisation holders (DE 3/39)."""
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


def cancellation_fields(w: Walker, decl: Node, function: str | None) -> Dict:
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
    put(t, "seals", seal_ids(w, consignment, "/transport/seals"))
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
