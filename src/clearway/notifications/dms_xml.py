"""DMS-style XML responses (WCO RES messages) for declarations filed in WCO DEC-DMS XML.

The shape follows the UK CDS trade-test notifications: `MetaData` (WCO data model 3.6, type
RES) wrapping one `Response` whose FunctionCode says what happened, the message's own
FunctionalReferenceID, IssueDateTime (format 304, UTC), optional AdditionalInformation
(the free-text message), one `Error` per issue for a rejection, and `Declaration` with the
trader's LRN (FunctionalReferenceID), the MRN (ID) and the version. Like the examples the
elements carry no namespace; `namespaced=True` uses the schemas' namespaces instead.

Function codes (`KIND_FUNCTION_CODES`), from the DMS notification set:

====================  ====  ======  ==========================================================
kind                  code  DMS     meaning
====================  ====  ======  ==========================================================
accepted              01    DMSACC  declaration legally accepted
received, lodged      02    DMSRCV  message received and registered
risk_assessed         02    DMSRCV  no DMS message of its own: a status notice that the
                                    declaration is registered and risk analysis is done
rejected              03    DMSREJ  rejected, with Error/ValidationCode and Pointer
under_control         05    DMSCTL  goods selected for control
documents_required    06    DMSDOC  documents requested
control_result        07    DMSRES  results of control / corrections applied
goods_released        08    DMSROG  release of goods
released              09    DMSCLE  cleared (and released)
cancelled/invalidated 10    DMSINV  declaration invalidated
amended               11    DMSREQ  amendment request accepted (Status/NameCode 39)
tax                   13    DMSTAX  customs debt calculated
insufficient_balance  14    DMSCPI  deferment balance insufficient
payment_reminder      15    DMSCPR  payment reminder
exited                16    DMSEOG  goods exited
request_for_info...   06    DMSDOC  ENS/EXS request for information (request_for_information)
high_risk_screening,  05    DMSCTL  ENS/EXS screening before loading, or do not load
do_not_load
no_risk_identified    02    DMSRCV  ENS/EXS assessed: no risk identified, may load
====================  ====  ======  ==========================================================

Any other kind is sent as DEFAULT_FUNCTION_CODE (02, DMSRCV: an informative status notice).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime

from lxml import etree

from clearway.errors import Issue

KIND_FUNCTION_CODES: dict[str, str] = {
    "accepted": "01",
    "received": "02",
    "lodged": "02",
    "risk_assessed": "02",
    "rejected": "03",
    "under_control": "05",
    "documents_required": "06",
    "control_result": "07",
    "goods_released": "08",
    "released": "09",
    "cancelled": "10",
    "invalidated": "10",
    "amended": "11",
    "tax": "13",
    "insufficient_balance": "14",
    "payment_reminder": "15",
    "exited": "16",
    # ENS/EXS outcomes (docs/ens.md): information asked as documents are; a screening or a
    # do-not-load holds the goods as a control does; no risk is a status notice.
    "request_for_information": "06",
    "high_risk_screening": "05",
    "do_not_load": "05",
    "no_risk_identified": "02",
}
DEFAULT_FUNCTION_CODE = "02"
MESSAGE_NAMES: dict[str, str] = {
    "01": "DMSACC", "02": "DMSRCV", "03": "DMSREJ", "05": "DMSCTL", "06": "DMSDOC",
    "07": "DMSRES", "08": "DMSROG", "09": "DMSCLE", "10": "DMSINV", "11": "DMSREQ",
    "13": "DMSTAX", "14": "DMSCPI", "15": "DMSCPR", "16": "DMSEOG",
}
MD_NS = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
RES_NS = "urn:wco:datamodel:WCO:RES-DMS:2"
# Which date the Response/Declaration carries for a kind (element name in the RES schema).
_DECLARATION_DATES = {"01": "AcceptanceDateTime", "10": "CancellationDateTime"}
# Response/Status/NameCode a message carries, as in the examples (DMSREQ 39: request granted).
_STATUS = {"11": "39"}

# WCO class (DocumentSectionCode) of each DEC-DMS element, then its leaves' WCO tag ids.
_SECTIONS = """
Declaration 42A AcceptanceDateTime=023 DeclarationOfficeID=065 FunctionCode=017
 FunctionalReferenceID=D026 GoodsItemQuantity=228 ID=D014 InvoiceAmount=109 IssueDateTime=D011
 TotalGrossMassMeasure=131 TotalPackageQuantity=146 TypeCode=D013
AdditionalDocument 02A CategoryCode=D031 EffectiveDateTime=276 ID=D005 LPCOExemptionCode=360
 Name=D028 TypeCode=D006
AdditionalInformation 03A StatementCode=226 StatementDescription=225 StatementTypeCode=369
Address 04A
Agent 05A FunctionCode=102 ID=R004 Name=R003
Amendment 06A ChangeReasonCode=099
ArrivalTransportMeans 10A ID=T002 IdentificationTypeCode=T034 ModeCode=T020 Name=T001
AuthorisationHolder 17C CategoryCode=R145 ID=R144
BorderTransportMeans 15A ID=T006 IdentificationTypeCode=T018 ModeCode=T022 Name=T005
 RegistrationNationalityCode=T014 TypeCode=T010
Buyer 16A ID=R010 Name=R009
Carrier 18A ID=R012 Name=R011
Classification 21A ID=145
Commodity 23A Description=137
Consignee 27A ID=R015 Name=R014
Consignment 28A ContainerCode=096
Consignor 30A ID=R021 Name=R020
CurrencyExchange 40A CurrencyTypeCode=135
CustomsValuation 41A FreightChargeAmount=117 MethodCode=122
Declarant 57B ID=R123 Name=R124
DepartureTransportMeans 46A ID=T004 IdentificationTypeCode=T029 ModeCode=T021 Name=T003
Destination 99B CountryCode=465
DomesticDutyTaxParty 55B ID=R119 RoleCode=R005
DutyTaxFee 50A AdValoremTaxBaseAmount=116 DeductAmount=111 DutyRegimeCode=164 QuotaOrderID=401
 SpecificTaxBaseQuantity=129 TypeCode=113
ExitOffice 56A ID=G005
ExportCountry 95B ID=062
Exporter 57A ID=R032 Name=R031
GoodsLocation 64A ID=L017 Name=L016 TypeCode=L110
GoodsMeasure 65A GrossMassMeasure=126 NetNetWeightMeasure=128 TariffQuantity=130
GoodsShipment 67A TransactionNatureCode=103
GovernmentAgencyGoodsItem 68A CustomsValueAmount=108 StatisticalValueAmount=114
 TransactionNatureCode=103
GovernmentProcedure 70A CurrentCode=166 PreviousCode=161
Importer 74A ID=R038 Name=R037
InvoiceLine 79A ItemChargeAmount=112
Itinerary 81A RoutingCountryCode=064
ObligationGuarantee 90A ID=D014 ReferenceID=100 SecurityDetailsCode=101
Origin 92A CountryCode=063 TypeCode=501
Packaging 93A MarksNumbersID=142 QuantityQuantity=144 TypeCode=141
Payment 94A MethodCode=107 PaymentAmount=378 TaxAssessedAmount=120
PresentationOffice 15C ID=G015
PreviousDocument 99A CategoryCode=D031 ID=D018 TypeCode=D019
Seal 44B ID=165
Seller 09B ID=R051 Name=R050
Submitter 17B ID=R059 Name=R058
SupervisingOffice 97B ID=G012
TradeTerms 22B ConditionCode=090 LocationID=L002 LocationName=L001
TransportEquipment 31B ID=159
UCR 35B ID=016 TraderAssignedReferenceID=009
ValuationAdjustment 39B AdditionCode=188
Warehouse 43B ID=L019 TypeCode=L112
"""


def _sections() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    classes: dict[str, str] = {}
    tags: dict[tuple[str, str], str] = {}
    for record in re.split(r"\n(?! )", _SECTIONS.strip()):
        name, code, *leaves = record.split()
        classes[name] = code
        for leaf in leaves:
            tag, _, tag_id = leaf.partition("=")
            tags[(name, tag)] = tag_id
    return classes, tags


SECTION_CODES, TAG_IDS = _sections()
_STEP = re.compile(r"([A-Za-z_][\w.-]*)(?:\[(\d+)\])?")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def function_code(kind: str) -> str:
    """The DMS Response FunctionCode for a notification kind (see the module table)."""
    return KIND_FUNCTION_CODES.get(kind.strip().lower().replace("-", "_"),
                                   DEFAULT_FUNCTION_CODE)


def dms_pointers(pointer: str | None) -> list[tuple[str | None, str, str | None]]:
    """(SequenceNumeric, DocumentSectionCode, TagID) steps for an XML path such as
    /MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/GoodsMeasure/
    NetNetWeightMeasure -> 42A, 67A, 68A #1, 23A, 65A tag 128. Empty when the pointer is
    not a DEC-DMS path (a JSON pointer, a line:column position)."""
    if not pointer or not pointer.startswith("/"):
        return []
    steps = [_STEP.fullmatch(s) for s in pointer.strip("/").split("/") if not s.startswith("@")]
    names = [m.group(1) if m else "" for m in steps]
    if "Declaration" not in names:
        return []
    out: list[tuple[str | None, str, str | None]] = []
    current: str | None = None
    for match in steps[names.index("Declaration"):]:
        if match is None:
            break
        name, index = match.group(1), match.group(2)
        if name in SECTION_CODES and (current is None or out[-1][2] is None):
            out.append((index, SECTION_CODES[name], None))
            current = name
        elif current is not None and out[-1][2] is None and (current, name) in TAG_IDS:
            seq, code, _ = out[-1]
            out[-1] = (seq, code, TAG_IDS[(current, name)])
    return out


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%d%H%M%SZ")


def render_dms_response(kind: str, *, lrn: str, mrn: str | None, issued_at: datetime,
                        errors: Sequence[Issue] = (), version: int | None = None,
                        message: str | None = None, namespaced: bool = False) -> str:
    """A DMS-style response (DMSACC, DMSREJ, DMSCLE...) for the declaration `lrn`/`mrn`."""
    code = function_code(kind)
    md_ns = f"{{{MD_NS}}}" if namespaced else ""
    res_ns = f"{{{RES_NS}}}" if namespaced else ""
    nsmap = {"md": MD_NS, None: RES_NS} if namespaced else None

    def sub(parent: etree._Element, tag: str, text: str | None = None, ns: str = res_ns,
            **attrs: str) -> etree._Element:
        node = etree.SubElement(parent, ns + tag, **attrs)
        if text is not None:
            node.text = _clean(text)
        return node

    def stamp(parent: etree._Element, tag: str) -> None:
        sub(sub(parent, tag), "DateTimeString", _stamp(issued_at), formatCode="304")

    root = etree.Element(md_ns + "MetaData", nsmap=nsmap)
    sub(root, "WCODataModelVersionCode", "3.6", ns=md_ns)
    sub(root, "WCOTypeName", "RES", ns=md_ns)
    for tag in ("ResponsibleCountryCode", "ResponsibleAgencyName",
                "AgencyAssignedCustomizationCode", "AgencyAssignedCustomizationVersionCode"):
        sub(root, tag, ns=md_ns)
    response = sub(root, "Response")
    sub(response, "FunctionCode", code)
    seed = f"{kind}|{lrn}|{mrn}|{issued_at.isoformat()}|{version}|{len(errors)}"
    sub(response, "FunctionalReferenceID", hashlib.sha256(seed.encode()).hexdigest()[:32])
    stamp(response, "IssueDateTime")
    if message:
        info = sub(response, "AdditionalInformation")
        sub(info, "StatementDescription", message[:512])
        sub(info, "StatementTypeCode", "AFB")
    for issue in errors:
        error = sub(response, "Error")
        where = f" at {issue.pointer}" if issue.pointer else ""
        element = f" ({issue.element})" if issue.element else ""
        sub(error, "Description", f"{issue.message}{element}{where}"[:512])
        sub(error, "ValidationCode", issue.code)
        for sequence, section, tag_id in dms_pointers(issue.pointer):
            pointer = sub(error, "Pointer")
            if sequence is not None:
                sub(pointer, "SequenceNumeric", sequence)
            sub(pointer, "DocumentSectionCode", section)
            if tag_id is not None:
                sub(pointer, "TagID", tag_id)
    if code in _STATUS:
        sub(sub(response, "Status"), "NameCode", _STATUS[code])
    declaration = sub(response, "Declaration")
    if code in _DECLARATION_DATES:
        stamp(declaration, _DECLARATION_DATES[code])
    sub(declaration, "FunctionalReferenceID", lrn)
    if mrn:
        sub(declaration, "ID", mrn)
    if code == "03":
        stamp(declaration, "RejectionDateTime")
    if version is not None:
        sub(declaration, "VersionID", str(version))
    return str(etree.tostring(root, pretty_print=True, encoding="unicode"))
