"""The report as a document: an HTML page and a PDF, with one chart per section in use.

Charts are Vega-Lite specifications rendered offline to SVG by vl-convert; the PDF is typeset
by Typst from `output/report.typ` with the report's view passed as JSON (text is placed as
text, never read as markup); the HTML page is a Jinja2 template with the same view and the
same SVGs. Nothing here draws a chart by hand or reads the database: it shapes a report's
document (`content.py`) for reading.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import typst
import vl_convert
from jinja2 import Environment, PackageLoader, select_autoescape

from clearway.progress.catalogue import MEASURES
from clearway.progress.model import BY_KEY

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
THIS, BEFORE = "this period", "previous period"
NOT_IN_USE = "no data of this capability up to the period's end"


def shown(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "%":
        return f"{value:.1f} %"
    if unit == "hours":
        return f"{value:.1f} h"
    if unit == "amount":
        return f"{value:,.2f}"
    return f"{value:,}"


def chart_spec(section: dict[str, Any]) -> dict[str, Any] | None:
    """Each indicator's value this period and the previous one: one row of bars per
    indicator, each with its own scale (a count and a share side by side)."""
    rows = [{"indicator": i["label"], "order": n, "period": name, "value": i[field]}
            for n, i in enumerate(section["indicators"])
            for name, field in ((BEFORE, "previous"), (THIS, "value"))
            if isinstance(i[field], int | float)]
    if not rows:
        return None
    return {
        "$schema": SCHEMA, "data": {"values": rows},
        "facet": {"row": {"field": "indicator", "type": "nominal", "title": None,
                          "sort": {"field": "order", "op": "min"},
                          "header": {"labelAngle": 0, "labelAlign": "right",
                                     "labelOrient": "left", "labelLimit": 260,
                                     "labelPadding": 6, "labelFontSize": 10}}},
        "spacing": 4,
        "spec": {"width": 240, "height": {"step": 8}, "mark": {"type": "bar"},
                 "encoding": {
                     "y": {"field": "period", "type": "nominal", "axis": None,
                           "sort": [BEFORE, THIS]},
                     "x": {"field": "value", "type": "quantitative", "title": None,
                           "axis": {"tickCount": 3, "labelFontSize": 8}},
                     "color": {"field": "period", "type": "nominal",
                               "scale": {"domain": [BEFORE, THIS],
                                         "range": ["#a7b1bb", "#1f5f8b"]},
                               "legend": {"orient": "bottom", "title": None}}}},
        "resolve": {"scale": {"x": "independent"}},
        "config": {"view": {"stroke": None}, "font": "sans-serif"},
    }


def chart_svg(section: dict[str, Any]) -> str | None:
    spec = chart_spec(section)
    return vl_convert.vegalite_to_svg(spec) if spec else None


def _owner_note(s: dict[str, Any]) -> str:
    if s.get("completed_by"):
        return f"written by {s['completed_by']}"
    return f"owner {s['owner']}, not completed yet" if s.get("owner") else "no owner"


def view(content: dict[str, Any], status: str, digest: str | None) -> dict[str, Any]:
    """What both documents show, in display strings."""
    conf, period, before = content["conference"], content["period"], content["previous_period"]
    source = (f"from the report of {before['conference']} (version {before['version']})"
              if before.get("source") == "report" else "computed over the period before")
    sections = []
    for s in content["sections"]:
        rows = [[i["label"], shown(i["value"], i["unit"]), shown(i["previous"], i["unit"])]
                for i in s["indicators"]]
        narrative = s.get("narrative") or ""
        sections.append({
            "key": s["key"], "heading": f"{s['number']}. {s['title']}",
            "asks": BY_KEY[s["key"]].asks if s["key"] in BY_KEY else "",
            "in_use": s["in_use"], "not_in_use_note": NOT_IN_USE, "rows": rows,
            "chart": f"chart-{s['key']}" if s["in_use"] and rows else None,
            "owner_note": _owner_note(s),
            "paragraphs": [p.strip() for p in narrative.split("\n\n") if p.strip()]
            or ["(no narrative yet)"]})
    return {
        "title": f"Progress report of {content['administration']} to {conf['name']}",
        "subtitle": [f"Conference {conf['code']} held on {conf['held_on']}; reporting "
                     f"deadline {conf['deadline']}",
                     f"Version {content['version']}, {status}; period {period['start']} "
                     f"to {period['end']} (exclusive)",
                     f"Reviewed by {content.get('reviewed_by') or 'nobody yet'}; approved by "
                     f"{content.get('approved_by') or 'nobody yet'}"],
        "previous_note": f"Previous period {before.get('start')} to {before.get('end')}, "
                         f"{source}.",
        "footer": f"SHA-256 {digest}" if digest else "Draft: figures computed at reading",
        "sections": sections, "definitions": definitions()}


def definitions() -> list[list[str]]:
    return [[i.label, i.definition] for m in MEASURES.values() for i in m.indicators]


def charts(content: dict[str, Any]) -> dict[str, str]:
    out = {}
    for s in content["sections"]:
        if s["in_use"]:
            svg = chart_svg(s)
            if svg:
                out[f"chart-{s['key']}"] = svg
    return out


@cache
def _template_source() -> bytes:
    return files("clearway.progress").joinpath("output/report.typ").read_bytes()


def pdf(content: dict[str, Any], status: str, digest: str | None) -> bytes:
    shaped = view(content, status, digest)
    made = charts(content)
    for s in shaped["sections"]:
        if s["chart"] not in made:
            s["chart"] = None
    inputs = {"view": json.dumps(shaped), **made}
    return bytes(typst.compile(_template_source(), format="pdf", sys_inputs=inputs))


@cache
def _jinja() -> Environment:
    return Environment(loader=PackageLoader("clearway.progress", "output"),
                       autoescape=select_autoescape(["html"]))


def html(content: dict[str, Any], status: str, digest: str | None) -> str:
    return _jinja().get_template("report.html").render(
        view=view(content, status, digest), charts=charts(content))
