"""The declarations rooms: the filtered, paged list and one declaration's detail."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from clearway.api.deps import Ctx, require
from clearway.clearance import reading
from clearway.context import Context
from clearway.declarations import queries
from clearway.declarations.repository import ListFilter
from clearway.errors import NotFound
from clearway.identity import Permission, User
from clearway.risk.engine.decision import Channel
from clearway.web.render import STATUS_LABELS, ConsoleRoute, is_htmx, page

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

Reader = Annotated[User, Depends(require(Permission.READ_DECLARATIONS))]

KEY = re.compile(r"[0-9A-Za-z]{1,40}", re.ASCII)
PAGE_SIZE = 50
MAX_PAGE = 10_000_000 // PAGE_SIZE
TYPES = ("IM", "EX", "CO", "ENS", "EXS", "INV")
CHANNELS = tuple(str(c) for c in Channel)
# The list's drop-downs take (value, label) pairs.
TYPE_CHOICES = tuple((t, t) for t in TYPES)
CHANNEL_CHOICES = tuple((c, c.capitalize()) for c in CHANNELS)
FILTER_FIELDS = ("status", "channel", "office", "type", "lrn", "mrn", "party", "commodity",
                 "received_from", "received_to")
OFFICE = re.compile(r"[A-Z]{2}[A-Z0-9]{1,8}", re.ASCII)
PARTY_ROLES = ("declarant", "representative", "importer", "exporter", "consignor", "consignee",
               "seller", "buyer", "carrier", "notify_party")


def _day(text: str, problems: list[str], label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"{label} must be a date (YYYY-MM-DD); it was ignored.")
        return None


def read_filters(params: dict[str, str]) -> tuple[ListFilter, dict[str, str], list[str]]:
    """The list filter from the query string, the values to show back in the form, and what
    was wrong with them (ignored, never an error page)."""
    values = {name: params.get(name, "").strip()[:64] for name in FILTER_FIELDS}
    problems: list[str] = []
    if values["status"] not in ("", *STATUS_LABELS):
        problems.append("Unknown status; it was ignored.")
        values["status"] = ""
    if values["channel"] not in ("", *CHANNELS):
        problems.append("Unknown channel; it was ignored.")
        values["channel"] = ""
    values["office"] = values["office"].upper()
    if values["office"] and not OFFICE.fullmatch(values["office"]):
        problems.append("An office code is two letters and up to eight letters or digits "
                        "(RS001002); it was ignored.")
        values["office"] = ""
    if values["type"] not in ("", *TYPES):
        problems.append("Unknown declaration type; it was ignored.")
        values["type"] = ""
    if values["commodity"] and not re.fullmatch(r"\d{1,10}", values["commodity"]):
        problems.append("The commodity code prefix must be 1 to 10 digits; it was ignored.")
        values["commodity"] = ""
    start = _day(values["received_from"], problems, "Received from")
    end = _day(values["received_to"], problems, "Received to")
    flt = ListFilter(
        status=values["status"] or None, declaration_type=values["type"] or None,
        channel=values["channel"] or None, office=values["office"] or None,
        lrn=values["lrn"] or None, mrn=values["mrn"].upper() or None,
        party=values["party"] or None, commodity_prefix=values["commodity"] or None,
        received_from=datetime.combine(start, time(), UTC) if start else None,
        # "to" is inclusive of the whole day; the repository's bound is exclusive.
        received_to=datetime.combine(end + timedelta(days=1), time(), UTC) if end else None)
    return flt, values, problems


def office_choices(ctx: Context, chosen: str) -> list[tuple[str, str]]:
    """(code, label) of this administration's offices of lodgement, from the reference data;
    a well-formed code not among them (a closed office) stays choosable once chosen."""
    rows = [r for r in ctx.refdata.get().rows("offices")
            if r.get("country") == ctx.settings.country_code
            and "lodgement" in r.get("roles", "").split("|")]
    found = sorted({(r["code"], f'{r["code"]} {r["name"]}') for r in rows})
    if chosen and chosen not in {code for code, _label in found}:
        found.append((chosen, chosen))
    return found


def _page_number(text: str | None) -> int:
    return min(max(int(text), 1), MAX_PAGE) if text and text.isdigit() and len(text) < 9 else 1


def _link(values: dict[str, str], page_no: int) -> str:
    query = {k: v for k, v in values.items() if v}
    if page_no > 1:
        query["page"] = str(page_no)
    return "/console" + (f"?{urlencode(query)}" if query else "")


@router.get("")
def declaration_list(request: Request, ctx: Ctx, user: Reader) -> Response:
    params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    flt, values, problems = read_filters(params)
    page_no = _page_number(params.get("page"))
    rows, total = queries.list_visible_with_channels(ctx, flt, user, limit=PAGE_SIZE,
                                                     offset=(page_no - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    context = {
        "rows": [{**queries.summary(r), "channel": channel} for r, channel in rows],
        "total": total, "page_no": page_no,
        "pages": pages, "values": values, "problems": problems, "types": TYPE_CHOICES,
        "channels": CHANNEL_CHOICES, "offices": office_choices(ctx, values["office"]),
        "first": (page_no - 1) * PAGE_SIZE + 1 if rows else 0,
        "last": (page_no - 1) * PAGE_SIZE + len(rows),
        "prev_link": _link(values, page_no - 1) if page_no > 1 else None,
        "next_link": _link(values, page_no + 1) if page_no < pages else None,
        "filtered": any(values.values()), "active": "list",
    }
    name = "declarations/_results.html" if is_htmx(request) else "declarations/list.html"
    response = page(request, name, context)
    response.headers["Vary"] = "HX-Request"
    return response


def _parties(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for role in PARTY_ROLES:
        party = doc.get(role)
        if isinstance(party, dict) and party:
            address = party.get("address") or {}
            found.append({"role": role.replace("_", " ").capitalize(), "id": party.get("id"),
                          "name": party.get("name"),
                          "address": ", ".join(str(address[k]) for k in
                                               ("street", "postcode", "city", "country")
                                               if address.get(k))})
    return found


def _items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    items = []
    for item in doc.get("items") or []:
        procedure = item.get("procedure") or {}
        price = item.get("item_price") or item.get("customs_value") or ""
        items.append({
            "sequence": item.get("sequence"),
            "commodity_code": item.get("commodity_code") or item.get("hs6") or "",
            "description": item.get("description") or "",
            "origin": item.get("origin_country") or "",
            "procedure": (f"{procedure.get('requested', '')}{procedure.get('previous', '')}"
                          if procedure else ""),
            "net_mass": item.get("net_mass") or "", "gross_mass": item.get("gross_mass") or "",
            "price": f"{price} {item.get('item_price_currency') or ''}".strip(),
            "packages": "; ".join(f"{p.get('count') or ''} {p.get('kind') or ''}".strip()
                                  for p in item.get("packages") or []),
            "documents": ", ".join(f"{d.get('code')} {d.get('reference') or ''}".strip()
                                   for d in item.get("documents") or []),
        })
    return items


def _detail(ctx: Context, key: str, user: User) -> dict[str, Any]:
    row, events = reading.get_visible(ctx, key, user, view="console")
    doc = row.document or {}
    return {
        "d": queries.summary(row), "doc": doc, "parties": _parties(doc), "items": _items(doc),
        "events": queries.events_view(ctx, row, events, user),
        "decision": reading.decision_view(ctx, row, user),
        "notes": queries.notifications_view(ctx, row.id, user), "errors": row.errors or [],
        "declaration_date": doc.get("declaration_date"),
        "offices": {k: v for k, v in (doc.get("offices") or {}).items() if v},
        "active": "list",
    }


@router.get("/declarations/{key}")
async def declaration_detail(request: Request, key: str, ctx: Ctx, user: Reader) -> Response:
    if not KEY.fullmatch(key):  # an MRN or a filing number, nothing else reaches the query
        raise NotFound("Declaration", key[:40])
    context = await run_in_threadpool(_detail, ctx, key, user)
    return page(request, "declarations/detail.html", context)
