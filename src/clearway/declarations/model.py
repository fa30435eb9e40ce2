"""Canonical declaration model, aligned with the WCO Data Model 3.x and the EU data elements.

Each field names its EU data element ("DE x/y") so that readers of every format map onto
the same place and validation errors can say which element is wrong. These are plain
domain objects: they know nothing of HTTP or storage. Their bounded numbers, references and
text check are in `field_types`; the statuses a declaration goes through in `lifecycle`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from clearway.declarations.field_types import (
    Amount,
    Canonical,
    Count,
    ItemNumber,
    Lrn,
    Reference,
    SignedAmount,
)

# Goods items in one declaration: DE 1/6 is n..3 in the EU data requirements (readers refuse
# more before building the items, CW-RULE-ITEM-LIMIT; the model is the backstop).
MAX_ITEMS = 999
# DE 7/10 container identifications in one list: up to 9999 occurrences in the EU data
# requirements (more is refused while reading, before any number is checked).
MAX_CONTAINERS = 9999


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
    seals: list[str] = Field(default_factory=list, max_length=MAX_CONTAINERS,
                             description="DE 7/18 seal identification")


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


class SummaryDeclaration(Canonical):
    """What an entry (ENS) and an exit (EXS) summary declaration share: the safety and security
    data of a carriage, lodged before loading; an amendment names the MRN it amends."""

    declaration_type: str
    function_code: str = "9"
    lrn: Lrn
    amends_mrn: str | None = Field(None, description="MRN an amendment (function code 13) changes")
    amendment_reason: str | None = None
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
    conveyance_reference: str | None = Field(None, description="Voyage/flight number")
    transport_mode: str | None = None
    offices: Offices = Field(default_factory=Offices)
    containers: list[ContainerUnit] = Field(default_factory=list, max_length=MAX_CONTAINERS)
    items: list[ConsignmentItem] = Field(default_factory=list, max_length=MAX_ITEMS)


class EntrySummaryDeclaration(SummaryDeclaration):
    """Safety and security entry summary declaration (ENS), lodged before arrival."""

    declaration_type: Literal["ENS"] = "ENS"
    expected_arrival: datetime | None = None


class ExitSummaryDeclaration(SummaryDeclaration):
    """Exit summary declaration (EXS, Reg. 648/2005): goods leaving without an export
    declaration; the office of exit (DE 5/12) stands where an ENS has the first entry."""

    declaration_type: Literal["EXS"] = "EXS"
    expected_departure: datetime | None = None


# The summary declarations' types: the safety and security rules run on both.
SUMMARY_TYPES = ("ENS", "EXS")


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
    Declaration | EntrySummaryDeclaration | ExitSummaryDeclaration | CancellationRequest,
    Field(discriminator="declaration_type"),
]
DeclarationDoc = Declaration | SummaryDeclaration | CancellationRequest

