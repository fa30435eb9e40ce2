"""The risk fields: every column of the flat item frame that profiles and rules may test.

One row per goods item (a declaration without items gets one row with empty item fields); the
declaration's header, party, trader-history and reference fields repeat on each of its rows.
This table is the vocabulary of profile conditions: a profile naming a field not listed here is
refused when it is written, not when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

Kind = Literal["str", "float", "int", "bool", "date", "list"]
DTYPES: dict[str, pl.DataType] = {
    "str": pl.String(), "float": pl.Float64(), "int": pl.Int64(), "bool": pl.Boolean(),
    "date": pl.Date(), "list": pl.List(pl.String()),
}


@dataclass(frozen=True)
class RiskField:
    name: str
    kind: Kind
    level: Literal["header", "item", "party", "history", "reference"]
    description: str

    @property
    def dtype(self) -> pl.DataType:
        return DTYPES[self.kind]


_F = RiskField
FIELDS: tuple[RiskField, ...] = (
    # header
    _F("declaration_type", "str", "header", "DE 1/1 IM, EX, CO, ENS or EXS"),
    _F("additional_type", "str", "header", "DE 1/2 additional declaration type"),
    _F("declaration_date", "date", "header", "date the declaration is assessed on"),
    _F("office", "str", "header", "office of lodgement / presentation / first entry"),
    _F("dispatch_country", "str", "header", "DE 5/14 country of dispatch/export"),
    _F("destination_country", "str", "header", "DE 5/8 country of destination"),
    _F("transport_mode", "str", "header", "DE 7/4 mode of transport at the border"),
    _F("border_nationality", "str", "header", "DE 7/15 nationality of the means of transport"),
    _F("incoterm", "str", "header", "DE 4/1 delivery terms (Incoterm)"),
    _F("invoice_currency", "str", "header", "DE 4/10 invoice currency"),
    _F("invoice_amount", "float", "header", "DE 4/11 total invoiced amount (invoice currency)"),
    _F("total_gross_mass", "float", "header", "DE 6/5 gross mass of the declaration (kg)"),
    _F("item_count", "int", "header", "number of goods items"),
    _F("container", "bool", "header", "DE 7/2 goods in containers"),
    _F("route_countries", "list", "header",
       "countries on the route: dispatch, origins, routing countries of an ENS or EXS"),
    _F("place_of_loading", "str", "header", "ENS place of loading (UN/LOCODE)"),
    _F("place_of_unloading", "str", "header", "ENS place of unloading (UN/LOCODE)"),
    # parties
    _F("declarant_id", "str", "party", "DE 3/18 declarant EORI"),
    _F("declarant_name", "str", "party", "declarant name (registered name if only the EORI)"),
    _F("importer_id", "str", "party", "DE 3/16 importer EORI"),
    _F("importer_name", "str", "party", "importer name"),
    _F("exporter_id", "str", "party", "DE 3/2 exporter EORI"),
    _F("exporter_name", "str", "party", "exporter name"),
    _F("exporter_country", "str", "party", "exporter's country"),
    _F("consignor_id", "str", "party", "consignor EORI (ENS)"),
    _F("consignor_name", "str", "party", "consignor name"),
    _F("consignor_country", "str", "party", "consignor's country"),
    _F("consignee_id", "str", "party", "consignee EORI"),
    _F("consignee_name", "str", "party", "consignee name"),
    _F("consignee_country", "str", "party", "consignee's country (ENS, EXS)"),
    _F("seller_id", "str", "party", "DE 3/25 seller"),
    _F("seller_name", "str", "party", "seller name"),
    _F("trader_id", "str", "party", "the trader the declaration is about: importer for "
       "imports, exporter for exports, consignee for ENS, consignor for EXS (else the "
       "declarant)"),
    _F("aeo_types", "list", "party", "AEO authorisations the trader holds (AEOC, AEOS, AEOF)"),
    _F("aeoc", "bool", "party", "the trader holds AEOC or AEOF on the date"),
    _F("aeos", "bool", "party", "the trader holds AEOS or AEOF on the date"),
    _F("mou_codes", "list", "party", "memoranda of understanding with trade the trader is a "
       "member of on the date (their codes in the MoU register)"),
    _F("mou_member", "bool", "party", "the trader is a member of at least one MoU on the date"),
    # item
    _F("item", "int", "item", "DE 1/6 goods item number"),
    _F("commodity_code", "str", "item", "DE 6/14-6/16 commodity code (digits)"),
    _F("hs6", "str", "item", "first six digits of the commodity code"),
    _F("hs4", "str", "item", "first four digits"),
    _F("hs2", "str", "item", "chapter"),
    _F("description", "str", "item", "DE 6/8 description of goods"),
    _F("origin_country", "str", "item", "DE 5/15 country of origin"),
    _F("preferential_origin_country", "str", "item", "DE 5/16 preferential origin"),
    _F("procedure", "str", "item", "DE 1/10 requested procedure (item, else header)"),
    _F("previous_procedure", "str", "item", "DE 1/10 previous procedure"),
    _F("additional_procedures", "list", "item", "DE 1/11 additional procedure codes"),
    _F("preference", "str", "item", "DE 4/17 preference code"),
    _F("net_mass", "float", "item", "DE 6/1 net mass (kg)"),
    _F("gross_mass", "float", "item", "DE 6/5 gross mass (kg)"),
    _F("supplementary_units", "float", "item", "DE 6/2 supplementary units"),
    _F("value", "float", "item", "item value in EUR (statistical or customs value, else price "
       "at the rate of the day)"),
    _F("unit_value", "float", "item", "value per kg net mass (EUR/kg)"),
    _F("tax_rate", "float", "item", "highest DE 4/5 tax rate declared on the item"),
    _F("document_codes", "list", "item", "DE 2/3 document codes (item and header)"),
    _F("valuation_method", "str", "item", "DE 4/16 valuation method"),
    _F("dangerous_goods_un", "str", "item", "UN dangerous goods number (ENS)"),
    # trader history (as of the decision, from earlier filings and control results)
    _F("trader_declarations", "int", "history", "earlier declarations of the trader"),
    _F("trader_controls", "int", "history", "earlier controls of the trader's declarations"),
    _F("trader_irregular", "int", "history", "earlier controls found irregular"),
    _F("trader_irregular_rate", "float", "history", "irregular / controls (null if none)"),
    _F("trader_days_known", "int", "history", "days since the trader's first declaration "
       "(null: never seen before)"),
    # reference values
    _F("reference_unit_value", "float", "reference",
       "reference unit value of the HS6 and origin (EUR/kg), from regular controls"),
    _F("unit_value_ratio", "float", "reference", "unit_value / reference_unit_value"),
    _F("reference_spread", "float", "reference",
       "robust spread of the log unit values behind the reference (scaled MAD, floored)"),
)
BY_NAME: dict[str, RiskField] = {f.name: f for f in FIELDS}
SCHEMA: dict[str, pl.DataType] = {f.name: f.dtype for f in FIELDS}
# Bookkeeping columns of the frame (not risk fields): which declaration a row belongs to.
ROW_KEYS: dict[str, pl.DataType] = {"_decl": pl.Int64(), "_key": pl.String()}
