"""Canonical declaration model, aligned with the WCO Data Model 3.x and the EU data elements.

Each field names its EU data element ("DE x/y") so that readers of every format map onto
the same place and validation errors can say which element is wrong. These are plain
domain objects: they know nothing of HTTP or storage.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

# Bounded numbers: what real declarations carry, and what storage columns hold exactly
# (NUMERIC(18, 3): fifteen integer digits; six decimals cover masses in grams and exchange
# rates). Anything outside is refused as CW-SYN-SCHEMA, so 1E-1000000 never becomes a mass.
MAX_AMOUNT = Decimal("999999999999999")
MAX_DECIMALS = 6
# A number given as a JSON string is written as JSON writes numbers: ASCII digits, an
# optional minus, no leading "+" or spaces (Python's Decimal and int would also take "+1500",
# " 1500" and Arabic-Indic (U+0660-U+0669) or fullwidth digits). The XML and EDIFACT readers
# check their own lexical forms and hand over numbers, never strings.
_JSON_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_JSON_INTEGER = re.compile(r"-?[0-9]+")


def _number_text(pattern: re.Pattern[str]) -> BeforeValidator:
    def check(value: object) -> object:
        if isinstance(value, str) and not pattern.fullmatch(value):
            raise PydanticCustomError("CW-SYN-SCHEMA", "{value} is not a number written with "
                                      "ASCII digits (an optional leading minus, a decimal point, "
                                      "no plus sign or spaces)", {"value": repr(value)[:60]})
        return value
    return BeforeValidator(check)


Amount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=MAX_DECIMALS,
                                  allow_inf_nan=False), _number_text(_JSON_DECIMAL)]
SignedAmount = Annotated[Decimal, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT,
                                        decimal_places=MAX_DECIMALS, allow_inf_nan=False),
                         _number_text(_JSON_DECIMAL)]
Count = Annotated[int, Field(ge=0, le=999_999_999), _number_text(_JSON_INTEGER)]
ItemNumber = Annotated[int, Field(ge=1, le=99_999), _number_text(_JSON_INTEGER)]
# Goods items in one declaration: DE 1/6 is n..3 in the EU data requirements (readers refuse
# more before building the items, CW-RULE-ITEM-LIMIT; the model is the backstop).
MAX_ITEMS = 999
# DE 7/10 container identifications in one list: up to 9999 occurrences in the EU data
# requirements (more is refused while reading, before any number is checked).
MAX_CONTAINERS = 9999
# Unicode categories no reference may hold: controls, format characters (bidi overrides and
# isolates U+202A-U+202E, U+2066-U+2069, zero-width characters), surrogates, private use,
# unassigned code points, line and paragraph separators.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _printable(what: str) -> AfterValidator:
    """A reference that officers read and compare: not blank, no invisible or reordering
    characters (they make two different references look alike); an LRN has no tabs or line
    breaks and no surrounding spaces either (" A1" and "A1" would be two LRNs)."""
    lrn = what == "LRN"

    def check(value: str) -> str:
        for char in value:
            if unicodedata.category(char) in _UNPRINTABLE or (
                    lrn and char.isspace() and char != " "):
                raise PydanticCustomError(
                    "CW-SYN-REFERENCE", "The {what} holds the invisible or control character "
                    "{char}", {"what": what, "char": f"U+{ord(char):04X}"})
        if not value.strip() or (lrn and value != value.strip()):
            raise PydanticCustomError("CW-SYN-REFERENCE", "The {what} is blank or begins or "
                                      "ends with a space", {"what": what})
        if lrn and not _LRN.fullmatch(value):
            raise PydanticCustomError("CW-SYN-REFERENCE", "The LRN {value} is not 1 to 35 ASCII "
                                      "letters and digits with single '-', '_', '.' or '/' "
                                      "between them", {"value": repr(value)})
        return value
    return AfterValidator(check)


# DE 2/5: the EU has an..22, the WCO data model an..35, and the DMS trade tests use LRNs of
# 32 characters (UUIDs) with "_" and "." (TT_IM01b_v1.7_220322_1, U.7847323J0ADH): ASCII
# letters and digits, single separators between them. No spaces, no markup, no "/../", no
# look-alike characters (fullwidth "LRN1" is not "LRN1"): an LRN is a key officers type,
# compare and put in addresses.
_LRN = re.compile(r"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*")
Lrn = Annotated[str, Field(min_length=1, max_length=35), _printable("LRN")]
Reference = Annotated[str, _printable("reference")]


# Text an officer reads (every string of a document): no C0 or C1 control characters, no
# lone surrogates, and no bidirectional *overrides* U+202D/U+202E, which make text display
# in an order other than the stored one ("Trojan source"). Embeddings and isolates
# (U+202A-U+202C, U+2066-U+2069) and right-to-left scripts stay: Arabic and Hebrew names
# need them. Tab, CR and LF only in the free-text fields that are legitimately several lines.
MULTILINE = frozenset({"description", "marks", "text", "reason", "amendment_reason"})
_BAD_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\u202d\u202e\ud800-\udfff]")
_BAD_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202d\u202e\ud800-\udfff]")


def _text_problem(field: str, value: str) -> None:
    bad = (_BAD_MULTILINE if field in MULTILINE else _BAD_TEXT).search(value)
    if bad:
        raise PydanticCustomError("CW-SYN-TEXT", "The {field} holds the control or "
                                  "bidirectional-override character {char}",
                                  {"field": field, "char": f"U+{ord(bad.group()):04X}"})


class Canonical(BaseModel):
    """Base for canonical objects: unknown fields are refused so typos never pass silently,
    and no text holds characters that hide or reorder what an officer reads."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @field_validator("*", mode="after")
    @classmethod
    def _text(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str):
            _text_problem(info.field_name or "text", value)
        elif isinstance(value, list):
            for element in value:
                if isinstance(element, str):
                    _text_problem(info.field_name or "text", element)
        return value


class Address(Canonical):
    street: str | None = None
    city: str | None = None
    postcode: str | None = None
    country: str | None = Field(None, description="ISO 3166 alpha-2")


class Party(Canonical):
    """A party: identified by its EORI-style number, or by name and address."""

    id: str | None = Field(None, description="EORI-style identification number")
    name: str | None = None
    address: Address | None = None


class Authorisation(Canonical):
    """DE 3/39: holder of an authorisation, with the authorisation type (e.g. AEOC, DPO)."""

    type: str
    holder_id: str | None = None


class Document(Canonical):
    """DE 2/3: documents produced, certificates, licences, authorisations, additional refs."""

    code: str = Field(description="Document code, category letter plus type, e.g. N935, C506")
    reference: Reference | None = None
    status: str | None = Field(None, description="Document status / LPCO exemption code")
    name: str | None = None
    issue_date: date | None = None
    quantity: Amount | None = None


class PreviousDocument(Canonical):
    """DE 2/1: simplified declaration / previous documents."""

    category: str | None = None
    type: str
    reference: Reference
    line: ItemNumber | None = None


class AdditionalInformation(Canonical):
    """DE 2/2: additional information (statement code and text)."""

    code: str | None = None
    text: str | None = None


class Package(Canonical):
    kind: str | None = Field(None, description="DE 6/9 type of packages")
    count: Count | None = Field(None, description="DE 6/10 number of packages")
    marks: str | None = Field(None, description="DE 6/11 shipping marks")


class DutyTax(Canonical):
    """DE 4/3 to 4/8: calculation of taxes."""

    tax_type: str | None = Field(None, description="DE 4/3 tax type")
    preference: str | None = Field(None, description="DE 4/17 preference")
    tax_base: Amount | None = Field(None, description="DE 4/4 tax base")
    rate: Amount | None = Field(None, description="DE 4/5 tax rate")
    amount: SignedAmount | None = Field(None, description="DE 4/6 payable tax amount")
    payment_method: str | None = Field(None, description="DE 4/8 method of payment")


class Procedure(Canonical):
    """DE 1/10: requested and previous procedure; DE 1/11 additional procedures."""

    requested: str
    previous: str = "00"
    additional: list[str] = Field(default_factory=list)


class GoodsItem(Canonical):
    sequence: ItemNumber = Field(description="DE 1/6 goods item number")
    commodity_code: str = Field(description="DE 6/14-6/16 commodity code (HS6, CN8, TARIC10)")
    description: str = Field(description="DE 6/8 description of goods")
    origin_country: str | None = Field(None, description="DE 5/15 country of origin")
    preferential_origin_country: str | None = Field(None, description="DE 5/16")
    procedure: Procedure | None = None
    net_mass: Amount | None = Field(None, description="DE 6/1 net mass (kg)")
    gross_mass: Amount | None = Field(None, description="DE 6/5 gross mass (kg)")
    supplementary_units: Amount | None = Field(None, description="DE 6/2")
    item_price: Amount | None = Field(None, description="DE 4/14 item price/amount")
    item_price_currency: str | None = None
    statistical_value: Amount | None = Field(None, description="DE 99/6 statistical value")
    customs_value: Amount | None = Field(None, description="DE 4/... customs value")
    valuation_method: str | None = Field(None, description="DE 4/16 valuation method")
    valuation_indicators: str | None = Field(None, description="DE 4/13 valuation indicators")
    packages: list[Package] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    previous_documents: list[PreviousDocument] = Field(default_factory=list)
    additional_information: list[AdditionalInformation] = Field(default_factory=list)
    duties: list[DutyTax] = Field(default_factory=list)
    exporter: Party | None = Field(None, description="DE 3/1 at item level")
    consignee: Party | None = Field(None, description="DE 3/9 at item level")
    container_ids: list[str] = Field(default_factory=list, max_length=MAX_CONTAINERS)


class Offices(Canonical):
    lodgement: str | None = Field(None, description="Customs office of lodgement")
    presentation: str | None = Field(None, description="DE 5/26 office of presentation")
    supervising: str | None = Field(None, description="DE 5/27 supervising office")
    exit: str | None = Field(None, description="DE 5/12 customs office of exit")
    first_entry: str | None = Field(None, description="DE 5/6 office of first entry (ENS)")


class GoodsLocation(Canonical):
    """DE 5/23 location of goods."""

    code: str | None = None
    type: str | None = None
    qualifier: str | None = None
    country: str | None = None


class Transport(Canonical):
    mode_at_border: str | None = Field(None, description="DE 7/4 mode of transport at border")
    inland_mode: str | None = Field(None, description="DE 7/5 inland mode of transport")
    border_nationality: str | None = Field(None, description="DE 7/15 nationality at border")
    border_identity: str | None = Field(None, description="DE 7/14 identity at border")
    arrival_identity: str | None = Field(None, description="DE 7/9 identity on arrival")
    departure_identity: str | None = Field(None, description="DE 7/7 identity on departure")
    container: bool | None = Field(None, description="DE 7/2 container indicator")
    container_ids: list[str] = Field(default_factory=list, max_length=MAX_CONTAINERS,
                                     description="DE 7/10")


class DeliveryTerms(Canonical):
    """DE 4/1 delivery terms (Incoterm and place)."""

    incoterm: str | None = None
    place: str | None = None


class Guarantee(Canonical):
    type: str | None = Field(None, description="DE 8/2 guarantee type")
    reference: Reference | None = Field(None, description="DE 8/3 guarantee reference")


class Declaration(Canonical):
    """A customs declaration for import (IM), export (EX) or transit/other (CO)."""

    declaration_type: Literal["IM", "EX", "CO"] = Field(description="DE 1/1 declaration type")
    additional_type: str | None = Field(None, description="DE 1/2 additional declaration type")
    function_code: str = Field("9", description="9 original, 13 amendment, 1 cancellation")
    lrn: Lrn = Field(description="DE 2/5 local reference number")
    amends_mrn: str | None = Field(None, description="MRN an amendment (function code 13) changes")
    amendment_reason: str | None = Field(None, description="Amendment reason code or text")
    declaration_date: date | None = Field(None, description="Date the declaration was made")
    declarant: Party = Field(description="DE 3/17-3/18 declarant")
    representative: Party | None = Field(None, description="DE 3/19-3/20 representative")
    representative_status: str | None = Field(None, description="DE 3/21 status code")
    importer: Party | None = Field(None, description="DE 3/15-3/16 importer")
    exporter: Party | None = Field(None, description="DE 3/1-3/2 exporter")
    consignor: Party | None = Field(None, description="DE 3/7-3/8 consignor")
    consignee: Party | None = Field(None, description="DE 3/9-3/10 consignee")
    seller: Party | None = Field(None, description="DE 3/24-3/25 seller")
    buyer: Party | None = Field(None, description="DE 3/26-3/27 buyer")
    authorisations: list[Authorisation] = Field(default_factory=list, description="DE 3/39")
    offices: Offices = Field(default_factory=Offices)
    goods_location: GoodsLocation | None = None
    transport: Transport = Field(default_factory=Transport)
    delivery_terms: DeliveryTerms | None = None
    invoice_currency: str | None = Field(None, description="DE 4/10 invoice currency")
    invoice_amount: Amount | None = Field(None, description="DE 4/11 total invoiced amount")
    exchange_rate: Amount | None = Field(None, description="DE 4/15 exchange rate")
    nature_of_transaction: str | None = Field(None, description="DE 8/5")
    dispatch_country: str | None = Field(None, description="DE 5/14 country of dispatch/export")
    destination_country: str | None = Field(None, description="DE 5/8 country of destination")
    total_packages: Count | None = Field(None, description="DE 6/18 total packages")
    total_gross_mass: Amount | None = Field(None, description="DE 6/5 at header level")
    item_count: Count | None = Field(None, description="DE 1/9 total number of items")
    guarantee: Guarantee | None = None
    documents: list[Document] = Field(default_factory=list, description="DE 2/3 header level")
    previous_documents: list[PreviousDocument] = Field(default_factory=list)
    additional_information: list[AdditionalInformation] = Field(default_factory=list)
    items: list[GoodsItem] = Field(default_factory=list, max_length=MAX_ITEMS)


class Seal(Canonical):
    id: str


class ContainerUnit(Canonical):
    number: str = Field(description="Container identification number (ISO 6346)")
    seals: list[str] = Field(default_factory=list)


class ConsignmentItem(Canonical):
    sequence: ItemNumber
    description: str
    hs6: str | None = Field(None, description="Commodity code, at least 6 digits")
    gross_mass: Amount | None = None
    packages: list[Package] = Field(default_factory=list)
    container_ids: list[str] = Field(default_factory=list, max_length=MAX_CONTAINERS)
    dangerous_goods_un: str | None = Field(None, description="UN dangerous goods code")


class EntrySummaryDeclaration(Canonical):
    """Safety and security entry summary declaration (ENS), lodged before arrival."""

    declaration_type: Literal["ENS"] = "ENS"
    function_code: str = "9"
    lrn: Lrn
    declaration_date: date | None = None
    declarant: Party
    representative: Party | None = None
    carrier: Party | None = None
    consignor: Party | None = None
    consignee: Party | None = None
    notify_party: Party | None = None
    route_countries: list[str] = Field(default_factory=list, description="Countries of routing")
    place_of_loading: str | None = Field(None, description="UN/LOCODE of loading")
    place_of_unloading: str | None = Field(None, description="UN/LOCODE of unloading")
    expected_arrival: datetime | None = None
    conveyance_reference: str | None = Field(None, description="Voyage/flight number")
    transport_mode: str | None = None
    offices: Offices = Field(default_factory=Offices)
    containers: list[ContainerUnit] = Field(default_factory=list, max_length=MAX_CONTAINERS)
    items: list[ConsignmentItem] = Field(default_factory=list, max_length=MAX_ITEMS)


class CancellationRequest(Canonical):
    """A request to cancel (invalidate) an accepted declaration, with its reason."""

    declaration_type: Literal["INV"] = "INV"
    function_code: str = "13"
    lrn: Lrn = Field(description="LRN of this request")
    mrn: str = Field(description="MRN of the declaration to cancel")
    declarant: Party = Field(description="The submitter")
    reason_code: str | None = None
    reason: str = Field(min_length=1, description="Why the declaration must be cancelled")


AnyDeclaration = Annotated[
    Declaration | EntrySummaryDeclaration | CancellationRequest,
    Field(discriminator="declaration_type"),
]
DeclarationDoc = Declaration | EntrySummaryDeclaration | CancellationRequest


class DeclarationStatus:
    LODGED = "lodged"
    ACCEPTED = "accepted"
    RISK_ASSESSED = "risk_assessed"
    UNDER_CONTROL = "under_control"
    DETAINED = "detained"  # held after a control; later released or seized
    SEIZED = "seized"
    RELEASED = "released"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    INVALIDATED = "invalidated"


FINAL_STATUSES = frozenset(
    {DeclarationStatus.RELEASED, DeclarationStatus.REJECTED, DeclarationStatus.CANCELLED,
     DeclarationStatus.INVALIDATED, DeclarationStatus.SEIZED}
)

# Allowed life-cycle transitions: the only moves the service will make.
TRANSITIONS: dict[str, frozenset[str]] = {
    DeclarationStatus.LODGED: frozenset({DeclarationStatus.ACCEPTED, DeclarationStatus.REJECTED}),
    DeclarationStatus.ACCEPTED: frozenset(
        {DeclarationStatus.RISK_ASSESSED, DeclarationStatus.UNDER_CONTROL,
         DeclarationStatus.RELEASED, DeclarationStatus.CANCELLED, DeclarationStatus.INVALIDATED}
    ),
    DeclarationStatus.RISK_ASSESSED: frozenset(
        {DeclarationStatus.UNDER_CONTROL, DeclarationStatus.RELEASED,
         DeclarationStatus.CANCELLED, DeclarationStatus.INVALIDATED}
    ),
    DeclarationStatus.UNDER_CONTROL: frozenset(
        {DeclarationStatus.RELEASED, DeclarationStatus.DETAINED, DeclarationStatus.SEIZED,
         DeclarationStatus.CANCELLED, DeclarationStatus.INVALIDATED}
    ),
    DeclarationStatus.DETAINED: frozenset(
        {DeclarationStatus.RELEASED, DeclarationStatus.SEIZED, DeclarationStatus.INVALIDATED}
    ),
}


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


class LifecycleError(Exception):
    """A transition the life cycle does not allow."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"A declaration that is {current} cannot become {target}")
        self.current, self.target = current, target


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise LifecycleError(current, target)
