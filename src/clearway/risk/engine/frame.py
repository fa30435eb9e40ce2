"""Flatten declarations into the item frame the engine's rules run on (see `fields`).

Pure: it reads the canonical declarations, the reference-data snapshot (exchange rates, AEO
authorisations), the traders' history counters and the valuation references handed to it.
The single and the batch mode of the engine both go through `flatten`, so they see the same rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from clearway.declarations.model import Declaration, Party, SummaryDeclaration
from clearway.refdata.model import RefDataSnapshot
from clearway.risk.engine.fields import ROW_KEYS, SCHEMA
from clearway.risk.engine.memberships import NONE, Memberships

RiskDoc = Declaration | SummaryDeclaration
# Header column of the alarms a partner's pre-arrival data raised on a declaration (JSON text
# of a list of alarms, null: none). Present only when `flatten` is given alarms, so frames of
# declarations without any (the batch path, bulk scoring) are built exactly as before.
ALARMS_COLUMN = "arrival_alarms"
_NOT_DIGIT = re.compile(r"[^0-9]")


@dataclass(frozen=True)
class TraderRecord:
    """A trader's record before the declaration: filings, controls and what they found."""

    declarations: int = 0
    controls: int = 0
    irregular: int = 0
    first_seen: date | None = None


def trader_of(doc: RiskDoc) -> str | None:
    """The trader a declaration is about (whose compliance and AEO status count)."""
    party: Party | None
    if isinstance(doc, SummaryDeclaration):
        # The party in the customs territory: who receives an entry, who ships an exit.
        party = doc.consignee if doc.declaration_type == "ENS" else doc.consignor
    elif doc.declaration_type == "EX":
        party = doc.exporter
    else:
        party = doc.importer
    return (party.id if party and party.id else None) or doc.declarant.id


def _f(x: Decimal | float | int | None) -> float | None:
    return None if x is None else float(x)


def _pid(p: Party | None) -> str | None:
    return p.id if p else None


def _pcountry(p: Party | None) -> str | None:
    return p.address.country if p and p.address else None


def _aeo(types: set[str]) -> dict[str, Any]:
    return {"aeo_types": sorted(types), "aeoc": bool(types & {"AEOC", "AEOF"}),
            "aeos": bool(types & {"AEOS", "AEOF"})}


def _mou(codes: list[str]) -> dict[str, Any]:
    return {"mou_codes": codes, "mou_member": bool(codes)}


def _history(record: TraderRecord | None, on: date) -> dict[str, Any]:
    r = record or TraderRecord()
    return {
        "trader_declarations": r.declarations, "trader_controls": r.controls,
        "trader_irregular": r.irregular,
        "trader_irregular_rate": r.irregular / r.controls if r.controls else None,
        "trader_days_known": (on - r.first_seen).days if r.first_seen else None,
    }


def _header(doc: RiskDoc, on: date, ref: RefDataSnapshot,
            traders: Mapping[str, TraderRecord], members: Memberships) -> dict[str, Any]:
    trader = trader_of(doc)

    def _pname(p: Party | None) -> str | None:
        # A party named by EORI only is screened under its registered name.
        if p is None:
            return None
        if p.name or not p.id:
            return p.name
        known = ref.trader(p.id, on)
        return known.name if known else None

    head: dict[str, Any] = {
        "declaration_type": doc.declaration_type, "declaration_date": on,
        "declarant_id": doc.declarant.id, "declarant_name": _pname(doc.declarant),
        "consignor_id": _pid(doc.consignor),
        "consignor_name": _pname(doc.consignor), "consignor_country": _pcountry(doc.consignor),
        "consignee_id": _pid(doc.consignee), "consignee_name": _pname(doc.consignee),
        "trader_id": trader, **_aeo(ref.aeo(trader, on) if trader else set()),
        **_mou(members.codes(trader, on)),
        **_history(traders.get(trader) if trader else None, on),
    }
    offices = doc.offices
    if isinstance(doc, SummaryDeclaration):
        head.update(office=offices.first_entry or offices.exit or offices.lodgement,
                    consignee_country=_pcountry(doc.consignee),
                    transport_mode=doc.transport_mode, place_of_loading=doc.place_of_loading,
                    place_of_unloading=doc.place_of_unloading, container=bool(doc.containers),
                    route=list(doc.route_countries), item_count=len(doc.items))
        return head
    t = doc.transport
    head.update(
        additional_type=doc.additional_type,
        office=offices.lodgement or offices.presentation or offices.exit,
        dispatch_country=doc.dispatch_country, destination_country=doc.destination_country,
        transport_mode=t.mode_at_border, border_nationality=t.border_nationality,
        incoterm=doc.delivery_terms.incoterm if doc.delivery_terms else None,
        invoice_currency=doc.invoice_currency, invoice_amount=_f(doc.invoice_amount),
        total_gross_mass=_f(doc.total_gross_mass), item_count=len(doc.items),
        container=t.container, importer_id=_pid(doc.importer),
        importer_name=_pname(doc.importer), exporter_id=_pid(doc.exporter),
        exporter_name=_pname(doc.exporter), exporter_country=_pcountry(doc.exporter),
        seller_id=_pid(doc.seller), seller_name=_pname(doc.seller),
        route=[c for c in [doc.dispatch_country] if c])
    return head


def _value_eur(item: Any, doc: Declaration, on: date, ref: RefDataSnapshot) -> float | None:
    for v in (item.statistical_value, item.customs_value):
        if v is not None:
            return float(v)
    if item.item_price is None:
        return None
    currency = item.item_price_currency or doc.invoice_currency or "EUR"
    rate = ref.rate(currency, on)
    return None if rate is None else float(item.item_price * rate)


def _codes(code: str | None) -> dict[str, Any]:
    digits = _NOT_DIGIT.sub("", code or "") or None
    return {"commodity_code": digits,
            **{f"hs{n}": digits[:n] if digits and len(digits) >= n else None for n in (6, 4, 2)}}


def _items(doc: RiskDoc, on: date, ref: RefDataSnapshot) -> list[dict[str, Any]]:
    if isinstance(doc, SummaryDeclaration):
        return [{"item": i.sequence, **_codes(i.hs6), "description": i.description,
                 "gross_mass": _f(i.gross_mass), "dangerous_goods_un": i.dangerous_goods_un,
                 "document_codes": []} for i in doc.items]
    head_docs = [d.code for d in doc.documents]
    rows = []
    for i in doc.items:
        proc = i.procedure
        value = _value_eur(i, doc, on, ref)
        mass = _f(i.net_mass)
        rates = [float(d.rate) for d in i.duties if d.rate is not None]
        rows.append({
            "item": i.sequence, **_codes(i.commodity_code), "description": i.description,
            "origin_country": i.origin_country,
            "preferential_origin_country": i.preferential_origin_country,
            "procedure": proc.requested if proc else None,
            "previous_procedure": proc.previous if proc else None,
            "additional_procedures": list(proc.additional) if proc else [],
            "preference": next((d.preference for d in i.duties if d.preference), None),
            "net_mass": mass, "gross_mass": _f(i.gross_mass),
            "supplementary_units": _f(i.supplementary_units), "value": value,
            "unit_value": value / mass if value is not None and mass else None,
            "tax_rate": max(rates) if rates else None,
            "document_codes": [d.code for d in i.documents] + head_docs,
            "valuation_method": i.valuation_method})
    return rows


def flatten(docs: Sequence[RiskDoc], dates: Sequence[date], ref: RefDataSnapshot, *,
            keys: Sequence[str] | None = None,
            traders: Mapping[str, TraderRecord] | None = None,
            references: pl.DataFrame | None = None,
            alarms: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
            memberships: Memberships | None = None) -> pl.DataFrame:
    """The item frame of `docs` (row order: declarations in order, items in order).

    `dates[i]` is the date `docs[i]` is assessed on; `keys[i]` an identifier carried along
    (MRN or LRN); `references` a valuation table (hs6, origin_country, reference_unit_value)
    where a null origin is the HS6-wide fallback; `alarms` the pre-arrival alarms of some
    declarations, by key (see `with_alarms`); `memberships` the traders' MoU memberships.
    """
    traders = traders or {}
    members = memberships or NONE
    records: list[dict[str, Any]] = []
    for n, (doc, on) in enumerate(zip(docs, dates, strict=True)):
        head = _header(doc, on, ref, traders, members)
        route = head.pop("route")
        items = _items(doc, on, ref) or [{"document_codes": []}]
        origins = [o for o in (i.get("origin_country") for i in items) if o]
        head["route_countries"] = list(dict.fromkeys([*route, *origins]))
        key = keys[n] if keys is not None else str(n)
        records += [{"_decl": n, "_key": key, **head, **item} for item in items]
    frame = pl.DataFrame(records, schema={**ROW_KEYS, **SCHEMA}, orient="row") if records \
        else pl.DataFrame(schema={**ROW_KEYS, **SCHEMA})
    frame = with_references(frame, references)
    return with_alarms(frame, alarms) if alarms else frame


def with_alarms(frame: pl.DataFrame,
                alarms: Mapping[str, Sequence[Mapping[str, Any]]]) -> pl.DataFrame:
    """Add the `arrival_alarms` column: on every row of a declaration whose key has alarms,
    their list as JSON text (kind, reason, evidence...: whatever the caller hands over);
    null elsewhere; no column at all when no key has any. Rules that read it take one row
    per declaration."""
    texts = {key: json.dumps(list(found), sort_keys=True, default=str)
             for key, found in alarms.items() if found}
    if not texts:
        return frame
    column = [texts.get(key) for key in frame["_key"]]
    return frame.with_columns(pl.Series(ALARMS_COLUMN, column, dtype=pl.String))


def with_references(frame: pl.DataFrame, references: pl.DataFrame | None) -> pl.DataFrame:
    """Fill `reference_unit_value`, `reference_spread` and `unit_value_ratio` from a valuation
    table; the origin's own reference wins, the HS6-wide one (null origin) is the fallback."""
    if references is None or references.height == 0:
        return frame
    if frame.height <= SMALL_FRAME:
        return _few_references(frame, references)
    spread = (pl.col("reference_spread") if "reference_spread" in references.columns
              else pl.lit(None)).cast(pl.Float64).alias("reference_spread")
    refs = references.select("hs6", "origin_country",
                             pl.col("reference_unit_value").cast(pl.Float64), spread)
    exact = refs.filter(pl.col("origin_country").is_not_null())
    wide = refs.filter(pl.col("origin_country").is_null()).select(
        "hs6", pl.col("reference_unit_value").alias("_wide"),
        pl.col("reference_spread").alias("_wide_spread"))
    found = pl.col("reference_unit_value").is_not_null()
    out = (frame.drop("reference_unit_value", "unit_value_ratio", "reference_spread",
                      strict=False)
           .join(exact, on=["hs6", "origin_country"], how="left", nulls_equal=False)
           .join(wide, on="hs6", how="left")
           .with_columns(pl.when(found).then("reference_spread").otherwise("_wide_spread")
                         .alias("reference_spread"),
                         pl.coalesce("reference_unit_value", "_wide")
                         .alias("reference_unit_value"))
           .drop("_wide", "_wide_spread"))
    ratio = pl.when(pl.col("reference_unit_value") > 0).then(
        pl.col("unit_value") / pl.col("reference_unit_value"))
    return out.with_columns(ratio.alias("unit_value_ratio")).select(frame.columns)


SMALL_FRAME = 64  # rows: up to this, dictionary lookups beat two joins (one declaration)
_LOOKUPS: list[tuple[pl.DataFrame, dict[tuple[str, str | None], tuple[float, float | None]]]] = []


def _lookup(references: pl.DataFrame) -> dict[tuple[str, str | None],
                                               tuple[float, float | None]]:
    """(hs6, origin or None) -> (reference, spread), built once per references frame."""
    for known, table in _LOOKUPS:
        if known is references:
            return table
    has_spread = "reference_spread" in references.columns
    table = {}
    for row in references.iter_rows(named=True):
        if row["reference_unit_value"] is not None:
            table[(row["hs6"], row["origin_country"])] = (
                float(row["reference_unit_value"]),
                None if not has_spread or row["reference_spread"] is None
                else float(row["reference_spread"]))
    _LOOKUPS[:] = [*_LOOKUPS[-3:], (references, table)]  # the engine keeps one frame alive
    return table


def _few_references(frame: pl.DataFrame, references: pl.DataFrame) -> pl.DataFrame:
    """`with_references` for a few rows, by dictionary: the same values as the joins."""
    table = _lookup(references)
    refs: list[float | None] = []
    spreads: list[float | None] = []
    ratios: list[float | None] = []
    for hs6, origin, uv in zip(frame["hs6"], frame["origin_country"], frame["unit_value"],
                               strict=True):
        found = (table.get((hs6, origin)) if origin is not None else None) \
            or table.get((hs6, None))
        ref, spread = found if found else (None, None)
        refs.append(ref)
        spreads.append(spread)
        ratios.append(uv / ref if ref is not None and ref > 0 and uv is not None else None)
    return frame.with_columns(pl.Series("reference_unit_value", refs, pl.Float64),
                              pl.Series("reference_spread", spreads, pl.Float64),
                              pl.Series("unit_value_ratio", ratios, pl.Float64))
