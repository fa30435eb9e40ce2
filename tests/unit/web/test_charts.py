"""The console's inline SVG charts: round axis tops, linear scales, and charts that stay
well-formed on empty data, a single point and gaps."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from clearway.web.charts import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    Series,
    axis_number,
    bar_chart,
    duration,
    hbar_chart,
    line_chart,
    nice_max,
    percent,
    scale,
)
from clearway.web.kpis import release_chart

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("value", "expected"), [
    (0, 1.0), (-3, 1.0), (float("nan"), 1.0), (0.37, 0.5), (1, 1.0), (1.2, 2.0),
    (2.2, 2.5), (3, 5.0), (7.5, 10.0), (0.04, 0.05), (1234, 2000.0), (100, 100.0),
])
def test_nice_max_rounds_up_to_a_round_number(value: float, expected: float) -> None:
    assert nice_max(value) == pytest.approx(expected)


@pytest.mark.parametrize(("lo", "hi", "out_lo", "out_hi", "value", "expected"), [
    (0, 10, 0, 100, 5, 50), (0, 10, 200, 0, 10, 0), (0, 1, 10, 20, 0.25, 12.5),
    (5, 5, 0, 100, 5, 50), (0, 4, 56, 628, 4, 628),
])
def test_scale_is_linear_and_centres_an_empty_domain(lo: float, hi: float, out_lo: float,
                                                      out_hi: float, value: float,
                                                      expected: float) -> None:
    assert scale(lo, hi, out_lo, out_hi)(value) == pytest.approx(expected)


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


@pytest.mark.parametrize("chart", [
    lambda: line_chart("Shares", [], []),
    lambda: line_chart("Shares", ["2026-11-01"], [Series("red", [None])]),
    lambda: bar_chart("Revenue", ["2026-11-01", "2026-11-02"], [None, None]),
    lambda: bar_chart("Revenue", [], []),
])
def test_empty_data_says_so(chart: object) -> None:
    svg = parse(chart())  # type: ignore[operator]
    assert "no data" in (svg.findtext(f"{SVG}title") or "")
    assert svg.find(f".//{SVG}polyline") is None and svg.find(f".//{SVG}rect") is None


def test_a_single_point_is_a_dot_in_the_middle() -> None:
    svg = parse(line_chart("Hit rate", ["2026-11-20"], [Series("hit rate", [0.5])],
                           fixed_max=1.0))
    (dot,) = svg.iter(f"{SVG}circle")
    assert float(dot.get("cy") or 0) == pytest.approx(
        (HEIGHT - MARGIN_BOTTOM + MARGIN_TOP) / 2)
    assert svg.find(f".//{SVG}polyline") is None


def test_a_gap_breaks_the_line_and_values_map_onto_the_axis() -> None:
    labels = [f"2026-11-0{d}" for d in range(1, 6)]
    svg = parse(line_chart("Shares", labels, [Series("red", [0.0, 1.0, None, 0.5, 0.5])],
                           fixed_max=1.0))
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 2
    first = [tuple(map(float, p.split(","))) for p in (lines[0].get("points") or "").split()]
    assert first[0][1] == pytest.approx(HEIGHT - MARGIN_BOTTOM)  # 0 at the bottom
    assert first[1][1] == pytest.approx(MARGIN_TOP)  # the fixed top at the top


def test_bars_are_proportional_and_labels_are_escaped() -> None:
    svg = parse(bar_chart("Revenue <EUR>", ["a&b", "c"], [100.0, 50.0]))
    heights = [float(r.get("height") or 0) for r in svg.iter(f"{SVG}rect")]
    assert heights[0] == pytest.approx(2 * heights[1])
    assert heights[0] == pytest.approx(HEIGHT - MARGIN_BOTTOM - MARGIN_TOP)
    assert svg.get("aria-label") == "Revenue <EUR>"
    assert not re.search(r"<EUR>", str(bar_chart("Revenue <EUR>", ["x"], [1.0])))


def test_two_series_get_a_legend() -> None:
    svg = parse(line_chart("Release", ["d1", "d2"], [Series("p50", [1, 2]),
                                                      Series("p90", [3, 4], "#c43c3c")]))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "p50" in texts and "p90" in texts


@pytest.mark.parametrize(("value", "expected"), [
    (0, "0"), (0.5, "0.5"), (2500, "2,500"), (9999, "9,999"), (20000, "20k"), (12500, "12.5k"),
    (250000, "250k"), (1_500_000, "1.5M"), (2e9, "2bn"), (-20000, "-20k"), (0.0025, "0.0025"),
])
def test_axis_numbers_are_never_in_e_notation(value: float, expected: str) -> None:
    assert axis_number(value) == expected


@pytest.mark.parametrize(("minutes", "expected"), [
    (0, "0 min"), (45, "45 min"), (59.6, "1 h"), (125, "2 h 05 min"), (1560, "26 h"),
])
def test_durations_read_in_hours_and_minutes(minutes: float, expected: str) -> None:
    assert duration(minutes) == expected


def tick_labels(svg: ET.Element) -> list[str]:
    """The y axis' numbers, bottom to top (written just left of the plot)."""
    return [t.text or "" for t in svg.iter(f"{SVG}text")
            if t.get("x") == str(MARGIN_LEFT - 6)]


def test_chart_axes_write_their_unit() -> None:
    revenue = parse(bar_chart("Revenue", ["d1", "d2"], [12000.0, 18000.0]))
    assert tick_labels(revenue) == ["0", "10k", "20k"]
    assert not any(re.search(r"\de[+-]\d", t.text or "") for t in revenue.iter(f"{SVG}text"))
    shares = parse(line_chart("Shares", ["d1", "d2"], [Series("red", [0.1, 0.2])],
                              fixed_max=1.0, fmt=percent))
    assert tick_labels(shares) == ["0%", "50%", "100%"]


def test_release_times_past_two_hours_are_drawn_on_round_hours() -> None:
    long = parse(release_chart(["d1", "d2"], [90.0, 300.0], [200.0, 540.0]))
    assert tick_labels(long) == ["0 min", "5 h", "10 h"]
    short = parse(release_chart(["d1", "d2"], [20.0, 35.0], [60.0, 80.0]))
    assert tick_labels(short) == ["0 min", "50 min", "1 h 40 min"]


def test_a_horizontal_bar_per_profile() -> None:
    svg = parse(hbar_chart("Hit rate per profile", ["VAL-A", "PRH-B", "NONE"],
                           [0.5, 0.25, None], fixed_max=1.0, fmt=percent))
    bars = list(svg.iter(f"{SVG}rect"))
    assert len(bars) == 2
    assert float(bars[0].get("width") or 0) == pytest.approx(
        2 * float(bars[1].get("width") or 0))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"VAL-A", "PRH-B", "NONE", "0%", "50%", "100%"} <= set(texts)
    assert int(svg.get("height") or 0) > 3 * 20
