"""Charts for the console drawn on the server as inline SVG: no script library, nothing
the content policy has to allow, and readable without JavaScript. Pure functions: figures
in, markup out. Every chart carries a <title> and each page shows the same numbers as a
table, so the picture is never the only way to read them."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 12, 12, 28
PALETTE = ("#1d6b2c", "#1f4f8f", "#d6a700", "#c43c3c", "#5b2f9e", "#555f6b")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None: no figure that day (a gap)
    color: str = PALETTE[0]


def nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (1 for nothing
    above zero), so that axis ticks fall on round numbers."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10.0 * power  # unreachable: 10 x power always covers value


def scale(lo: float, hi: float, out_lo: float, out_hi: float) -> Callable[[float], float]:
    """A linear map of [lo, hi] onto [out_lo, out_hi]; an empty domain maps to the middle."""
    if hi == lo:
        middle = (out_lo + out_hi) / 2
        return lambda _v: middle
    factor = (out_hi - out_lo) / (hi - lo)
    return lambda v: out_lo + (v - lo) * factor


Format = Callable[[float], str]


def axis_number(value: float) -> str:
    """A tick as a reader takes it in at a glance, never in e-notation: 2,500, 20k, 1.5M,
    3bn, 0.25."""
    size = abs(value)
    # Thousands are written out up to 9,999; short forms from 10k on.
    for limit, unit, suffix in ((1e9, 1e9, "bn"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if limit <= size < 1e15:
            return f"{value / unit:,.4g}{suffix}"
    if size >= 1e15:
        return f"{value:,.0f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    """A share (0..1) as a percentage: 0.125 -> 12.5%."""
    return f"{value * 100:.4g}%"


def duration(minutes: float) -> str:
    """Minutes as hours and minutes: 45 min, 2 h 05 min, 26 h."""
    total = round(minutes)
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours:,} h" if not rest else f"{hours:,} h {rest:02d} min"


def _frame(title: str, top: float, y: Callable[[float], float], labels: Sequence[str],
           x: Callable[[float], float], fmt: Format) -> list[str]:
    """The SVG's opening, its title, the y axis ticks and the first and last x labels."""
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
             f'height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>"]
    for tick in (0.0, top / 2, top):
        at = y(tick)
        parts.append(f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{at:.1f}" '
                     f'y2="{at:.1f}" stroke="#d9dee4" stroke-width="1"/>')
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{at + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="#555f6b">{escape(fmt(tick))}</text>')
    if labels:
        ends = {0, len(labels) - 1}
        for i in sorted(ends):
            anchor = "start" if i == 0 and len(labels) > 1 else (
                "end" if i == len(labels) - 1 and len(labels) > 1 else "middle")
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}" '
                         f'font-size="11" fill="#555f6b">{escape(labels[i])}</text>')
    return parts


def _empty(title: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(title)}: no data" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}: no data</title>'
        f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="13" '
        f'fill="#555f6b">No data in the period</text></svg>')


def _top(series: Sequence[Series], fixed_max: float | None) -> float | None:
    found = [v for s in series for v in s.values if v is not None and math.isfinite(v)]
    if not found:
        return None
    return fixed_max if fixed_max is not None else nice_max(max(found))


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *,
               fixed_max: float | None = None, fmt: Format = axis_number) -> Markup:
    """Lines over the labels (days), one per series; a None value breaks its line. A lone
    point is drawn as a dot. `fixed_max` pins the top of the axis (1 for shares); `fmt`
    writes the axis' numbers with their unit."""
    top = _top(series, fixed_max)
    if top is None or not labels:
        return _empty(title)
    x = scale(0, len(labels) - 1, MARGIN_LEFT, WIDTH - MARGIN_RIGHT)
    y = scale(0, top, HEIGHT - MARGIN_BOTTOM, MARGIN_TOP)
    parts = _frame(title, top, y, labels, x, fmt)
    for s in series:
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(s.values[:len(labels)]):
            if v is None or not math.isfinite(v):
                runs.append([])
            else:
                runs[-1].append((x(i), y(min(v, top))))
        parts.append(f'<g class="series" data-series="{escape(s.name)}">')
        for run in runs:
            if len(run) == 1:
                parts.append(f'<circle cx="{run[0][0]:.1f}" cy="{run[0][1]:.1f}" r="3" '
                             f'fill="{escape(s.color)}"/>')
            elif run:
                points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
                parts.append(f'<polyline points="{points}" fill="none" '
                             f'stroke="{escape(s.color)}" stroke-width="2"/>')
        parts.append("</g>")
    parts.append(_legend(series))
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float | None], *,
              color: str = PALETTE[1], fmt: Format = axis_number,
              tip: Format | None = None) -> Markup:
    """One bar per label (day); a None value draws no bar. `fmt` writes the axis' numbers,
    `tip` (else `fmt`) each bar's exact figure in its tooltip."""
    top = _top([Series(title, values)], None)
    if top is None or not labels:
        return _empty(title)
    band = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / len(labels)
    x = scale(0, len(labels) - 1, MARGIN_LEFT + band / 2, WIDTH - MARGIN_RIGHT - band / 2)
    y = scale(0, top, HEIGHT - MARGIN_BOTTOM, MARGIN_TOP)
    parts = _frame(title, top, y, labels, x, fmt)
    width = max(band * 0.7, 1.0)
    for i, v in enumerate(values[:len(labels)]):
        if v is None or not math.isfinite(v):
            continue
        height = y(0) - y(max(min(v, top), 0))
        parts.append(f'<rect x="{x(i) - width / 2:.1f}" y="{y(0) - height:.1f}" '
                     f'width="{width:.1f}" height="{height:.1f}" fill="{escape(color)}">'
                     f"<title>{escape(labels[i])}: {escape((tip or fmt)(v))}</title></rect>")
    parts.append("</svg>")
    return Markup("".join(parts))


ROW, LABEL_WIDTH = 24, 170  # a horizontal bar chart's row height and label column


def hbar_chart(title: str, labels: Sequence[str], values: Sequence[float | None], *,
               fixed_max: float | None = None, color: str = PALETTE[3],
               fmt: Format = axis_number, tip: Format | None = None) -> Markup:
    """One horizontal bar per label (a profile, an office): as tall as the list is long,
    labels on the left, the figure written at each bar's end; None draws no bar."""
    top = _top([Series(title, values)], fixed_max)
    if top is None or not labels:
        return _empty(title)
    height = MARGIN_TOP + ROW * len(labels) + MARGIN_BOTTOM
    x = scale(0, top, LABEL_WIDTH, WIDTH - MARGIN_RIGHT - 48)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
             f'height="{height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>"]
    for tick in (0.0, top / 2, top):
        parts.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{MARGIN_TOP}" '
                     f'y2="{height - MARGIN_BOTTOM}" stroke="#d9dee4" stroke-width="1"/>'
                     f'<text x="{x(tick):.1f}" y="{height - 8}" text-anchor="middle" '
                     f'font-size="11" fill="#555f6b">{escape(fmt(tick))}</text>')
    for i, (name, v) in enumerate(zip(labels, values, strict=False)):
        middle = MARGIN_TOP + ROW * i + ROW / 2
        short = name if len(name) <= 24 else name[:23] + "…"
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{middle + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="#1b2430">{escape(short)}</text>')
        if v is None or not math.isfinite(v):
            continue
        end = x(max(min(v, top), 0))
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{middle - ROW * 0.35:.1f}" '
                     f'width="{end - LABEL_WIDTH:.1f}" height="{ROW * 0.7:.1f}" '
                     f'fill="{escape(color)}"><title>{escape(name)}: '
                     f'{escape((tip or fmt)(v))}</title></rect>'
                     f'<text x="{end + 4:.1f}" y="{middle + 4:.1f}" font-size="11" '
                     f'fill="#1b2430">{escape((tip or fmt)(v))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(series: Sequence[Series]) -> str:
    if len(series) < 2:
        return ""
    parts, at = [], MARGIN_LEFT + 8
    for s in series:
        parts.append(f'<rect x="{at}" y="{MARGIN_TOP}" width="10" height="10" '
                     f'fill="{escape(s.color)}"/><text x="{at + 14}" y="{MARGIN_TOP + 9}" '
                     f'font-size="11" fill="#1b2430">{escape(s.name)}</text>')
        at += 24 + 7 * len(s.name)
    return "".join(parts)
