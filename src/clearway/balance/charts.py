"""The simulation's HTML report: Vega-Lite charts rendered offline to SVG by vl-convert
(no script, no network: the file opens anywhere), each beside the table of its figures.

Charts: irregular items caught per week by each strategy; each strategy's cumulative
precision; Clearway's estimate of the irregularity rate (from its random inspections, with
its 95 % interval) against the true rate of the weeks so far.
"""

from __future__ import annotations

from typing import Any

import vl_convert as vlc
from jinja2 import Environment

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
WIDTH, HEIGHT = 640, 240
COLORS = {"clearway": "#1f4f8f", "random": "#888888", "rules": "#d6a700",
          "oracle": "#1d6b2c"}


def _by_strategy(result: dict[str, Any], value: str) -> list[dict[str, Any]]:
    rows, totals = [], {n: [0, 0] for n in result["strategies"]}
    for week in result["per_week"]:
        for name, caught in week["caught"].items():
            totals[name][0] += caught
            totals[name][1] += week["inspections"]
            figure = caught if value == "caught" else (
                totals[name][0] / totals[name][1] if totals[name][1] else None)
            rows.append({"week": week["from"], "strategy": name, value: figure})
    return rows


def _lines(title: str, rows: list[dict[str, Any]], value: str, axis: str,
           fmt: str) -> dict[str, Any]:
    names = list(COLORS)
    return {"$schema": SCHEMA, "title": title, "width": WIDTH, "height": HEIGHT,
            "data": {"values": rows}, "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "week", "type": "temporal", "title": "week from"},
                "y": {"field": value, "type": "quantitative", "title": axis,
                      "axis": {"format": fmt}},
                "color": {"field": "strategy", "type": "nominal",
                          "scale": {"domain": names, "range": [COLORS[n] for n in names]}}}}


def estimate_spec(result: dict[str, Any]) -> dict[str, Any]:
    rows = [{"week": w["from"], "low": w["estimate_to_date"]["low"],
             "high": w["estimate_to_date"]["high"], "estimate": w["estimate_to_date"]["rate"],
             "truth": w["truth_to_date"]} for w in result["per_week"]
            if w["estimate_to_date"]["rate"] is not None]
    x = {"field": "week", "type": "temporal", "title": "week from"}
    title = {"text": "Irregularity rate of the weeks so far: Clearway's estimate and the truth",
             "subtitle": "line: estimate from the random inspections; band: its 95 % "
                         "interval; dashed: the true rate"}
    return {"$schema": SCHEMA, "title": title, "width": WIDTH, "height": HEIGHT,
            "data": {"values": rows}, "layer": [
                {"mark": {"type": "area", "opacity": 0.25, "color": COLORS["clearway"]},
                 "encoding": {"x": x, "y": {"field": "low", "type": "quantitative",
                                            "title": "irregular share",
                                            "axis": {"format": ".0%"}},
                              "y2": {"field": "high"}}},
                {"mark": {"type": "line", "color": COLORS["clearway"]},
                 "encoding": {"x": x, "y": {"field": "estimate", "type": "quantitative"}}},
                {"mark": {"type": "line", "color": "#c43c3c", "strokeDash": [4, 3]},
                 "encoding": {"x": x, "y": {"field": "truth", "type": "quantitative"}}}]}


def specs(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's Vega-Lite specifications (data inline)."""
    return {
        "caught": _lines("Irregular items caught per week", _by_strategy(result, "caught"),
                         "caught", "irregular caught", "d"),
        "precision": _lines("Cumulative precision (irregular / inspected)",
                            _by_strategy(result, "precision"), "precision", "precision",
                            ".0%"),
        "estimate": estimate_spec(result),
    }


_PAGE = Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Balance simulation</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;
text-align:right}th:first-child,td:first-child{text-align:left}figure{margin:1.5rem 0}</style>
</head><body>
<h1>Balance simulation</h1>
<p>{{ r.weeks }} weeks from {{ r.start }}, {{ r.items }} items; each strategy inspects
{{ r.rate }} % of each week's items; Clearway draws {{ (r.random_share * 100)|round(1) }} %
of its inspections at random and is retrained every {{ r.retrain_every_weeks }} weeks
({{ r.trainings }} trainings). Seed {{ r.seed }}. Rules: {{ r.rules }}.</p>
<table><thead><tr><th>strategy</th><th>inspections</th><th>caught</th><th>precision</th>
<th>recall</th>{% if critical %}<th>critical caught</th>{% endif %}
{% if facilitation %}<th>on clean-record traders</th>{% endif %}</tr></thead><tbody>
{% for name, s in r.strategies.items() %}<tr><td>{{ name }}</td><td>{{ s.inspections }}</td>
<td>{{ s.caught }}</td><td>{{ pct(s.precision) }}</td><td>{{ pct(s.recall) }}</td>
{% if critical %}<td>{{ s.critical_caught }}</td>{% endif %}
{% if facilitation %}<td>{{ pct(s.facilitation_cost) }}</td>{% endif %}</tr>{% endfor %}
</tbody></table>
<p>Estimated irregularity rate: {{ pct(r.estimate.rate) }} (95 % interval
{{ pct(r.estimate.low) }} to {{ pct(r.estimate.high) }}, from
{{ r.estimate.random_inspections }} random inspections); true rate {{ pct(r.truth.rate) }}:
the interval {{ "covers" if r.covered else "does not cover" }} the truth.</p>
{% for name, svg in charts.items() %}<figure id="chart-{{ name }}">{{ svg|safe }}</figure>
{% endfor %}
</body></html>
""")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def html(result: dict[str, Any]) -> str:
    """The whole report as one self-contained HTML page."""
    charts = {name: vlc.vegalite_to_svg(spec) for name, spec in specs(result).items()}
    first = next(iter(result["strategies"].values()))
    return _PAGE.render(r=result, charts=charts, pct=_pct,
                        critical="critical_caught" in first,
                        facilitation="facilitation_cost" in first)
