"""Dashboard charts drawn on the server as SVG from a Table's Chart spec: no script, no external
library, and nothing the content security policy refuses (no style attributes or <style>
elements; colours are presentation attributes, type and lines are classes in
csafe/static/reporting/dashboard.css).

A chart is a picture of the table printed beside it, never the only way to read the numbers: each
SVG is an image with a title and a description (the table's own summary), every bar or point is
labelled with its value where the label fits, and series differ by pattern or line style and
marker shape as well as colour, so they can be told apart without seeing colour.

Bars run across the page (bar, stacked_bar): category labels such as harm types and team names are
long, and a row per category stays readable at any number of categories. Lines (line) run along
the period, one point per month.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .tables import Table

WIDTH = 640
# An estimate of the average width of a character at the charts' 14px type (GOV.UK's font and its
# fallbacks), used to make room for labels; labels longer than their room are shortened with an
# ellipsis (the table beside the chart has them in full).
CHAR_WIDTH = 7.8
SMALL_CHAR_WIDTH = 6.8
MAX_LABEL_WIDTH = 220
TEXT = "#0b0c0c"

# (colour, fill pattern, line dash, marker). GOV.UK palette colours, each at least 4.5:1 against
# white; patterns and markers tell the series apart for readers who cannot tell the colours apart.
SERIES_STYLES = (
    ("#1d70b8", "solid", "", "circle"),
    ("#4c2c92", "stripes", "8 4", "square"),
    ("#00703c", "checks", "2 4", "triangle"),
    ("#505a5f", "dots", "12 4 2 4", "diamond"),
    ("#d4351c", "bands", "4 4", "circle"),
)


@dataclass(frozen=True)
class _Series:
    label: str
    values: tuple[float, ...]
    kind: str
    index: int

    @property
    def colour(self) -> str:
        return SERIES_STYLES[self.index % len(SERIES_STYLES)][0]

    @property
    def pattern(self) -> str:
        return SERIES_STYLES[self.index % len(SERIES_STYLES)][1]

    @property
    def dash(self) -> str:
        return SERIES_STYLES[self.index % len(SERIES_STYLES)][2]

    @property
    def marker(self) -> str:
        return SERIES_STYLES[self.index % len(SERIES_STYLES)][3]


# --- Public -------------------------------------------------------------------------------------


def render_chart(table: Table, *, chart_id: str | None = None) -> SafeString:
    """The table's chart as an inline SVG, or an empty string when the table has no chart or no
    rows (the page then says there is nothing to show). ``chart_id`` prefixes every id in the SVG,
    so several charts can share a page; it defaults to one made from the table's key."""
    chart = table.chart
    if chart is None or not table.rows:
        return mark_safe("")
    cid = chart_id or f"chart-{table.key}"
    labels = [_text(value) for value in table.values(chart.label_column)]
    series = [
        _Series(
            label=table.column(key).label,
            values=tuple(_number(value) for value in table.values(key)),
            kind=table.column(key).kind,
            index=index,
        )
        for index, key in enumerate(chart.value_columns)
    ]
    category = table.column(chart.label_column).label
    if chart.kind == "line":
        body, height = _line(cid, labels, series)
        shape = "Line chart"
    else:
        stacked = chart.kind == "stacked_bar"
        body, height = _bars(cid, labels, series, stacked=stacked)
        shape = "Stacked bar chart" if stacked else "Bar chart"
    description = (
        f"{shape} of {_join(s.label for s in series)} by {category.lower()}. {table.summary} "
        "The table that follows gives every figure."
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="csafe-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {_fmt(height)}" width="{WIDTH}" height="{_fmt(height)}" '
        f'aria-labelledby="{cid}-title {cid}-desc" focusable="false" '
        f'data-chart-kind="{chart.kind}">'
        f'<title id="{cid}-title">{escape(table.title)}</title>'
        f'<desc id="{cid}-desc">{escape(description)}</desc>'
        f"{_patterns(cid, series)}{body}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text and attribute value above is escaped


def nice_ticks(maximum: float, *, target: int = 5, whole: bool = True) -> list[float]:
    """Axis ticks from 0 to a round number at or above ``maximum``, about ``target`` steps of
    1, 2 or 5 times a power of ten. Counts (``whole``) never step by less than 1. A maximum of 0
    (nothing counted) still gives an axis, 0 to 1."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, round(step))
    top = math.ceil(maximum / step - 1e-9) * step
    count = round(top / step)
    return [_tidy(round(i * step, 10)) for i in range(count + 1)]


# --- Bars ---------------------------------------------------------------------------------------


def _bars(cid: str, labels: list[str], series: list[_Series], *, stacked: bool):
    rows = len(labels)
    lengths = [
        sum(s.values[i] for s in series) if stacked else max(s.values[i] for s in series)
        for i in range(rows)
    ]
    ticks = nice_ticks(max(lengths, default=0), whole=_whole(series))
    top = ticks[-1]
    kind = series[0].kind
    label_room = min(MAX_LABEL_WIDTH, max(len(label) for label in labels) * CHAR_WIDTH + 12)
    value_room = len(_value(top, kind)) * CHAR_WIDTH + 14
    plot_x = label_room
    plot_w = WIDTH - label_room - value_room
    legend, legend_h = _legend(cid, series, line=False)
    grouped = not stacked and len(series) > 1
    bar_h = 16 if grouped else 24
    band = bar_h * len(series) + 14 if grouped else bar_h + 14
    y0 = legend_h + 6
    plot_h = band * rows
    scale = plot_w / top

    parts = [legend]
    # Grid and axis first, so the bars are drawn over them.
    axis_y = y0 + plot_h
    for tick in ticks:
        x = plot_x + tick * scale
        parts.append(
            f'<line class="csafe-chart__grid" x1="{_fmt(x)}" y1="{_fmt(y0)}" x2="{_fmt(x)}" '
            f'y2="{_fmt(axis_y)}"/>'
            f'<text class="csafe-chart__tick" x="{_fmt(x)}" y="{_fmt(axis_y + 18)}" '
            f'text-anchor="middle" fill="{TEXT}">{escape(_value(tick, kind))}</text>'
        )
    parts.append(
        f'<line class="csafe-chart__axis" x1="{_fmt(plot_x)}" y1="{_fmt(y0)}" '
        f'x2="{_fmt(plot_x)}" y2="{_fmt(axis_y)}"/>'
    )
    height = axis_y + 26
    if len(series) == 1:
        # With one series there is no legend: say what the bars count under the axis.
        parts.append(
            f'<text class="csafe-chart__axis-title" x="{_fmt(plot_x + plot_w / 2)}" '
            f'y="{_fmt(axis_y + 40)}" text-anchor="middle" fill="{TEXT}">'
            f"{escape(series[0].label)}</text>"
        )
        height = axis_y + 50

    for row, label in enumerate(labels):
        top_y = y0 + row * band + 7
        centre = top_y + (bar_h * len(series) if grouped else bar_h) / 2
        parts.append(
            f'<text class="csafe-chart__label" x="{_fmt(plot_x - 8)}" y="{_fmt(centre + 5)}" '
            f'text-anchor="end" fill="{TEXT}">{escape(_shorten(label, label_room - 12))}</text>'
        )
        if stacked:
            parts.append(_stack(cid, series, row, plot_x, top_y, bar_h, scale, kind))
        else:
            for s in series:
                y = top_y + (s.index * bar_h if grouped else 0)
                value = s.values[row]
                width = value * scale
                parts.append(_bar(cid, s, plot_x, y, width, bar_h - (2 if grouped else 0), value))
                parts.append(
                    f'<text class="csafe-chart__value" x="{_fmt(plot_x + width + 5)}" '
                    f'y="{_fmt(y + bar_h / 2 + 4)}" fill="{TEXT}">'
                    f"{escape(_value(value, s.kind))}</text>"
                )
    return "".join(parts), height


def _stack(cid, series, row, plot_x, y, bar_h, scale, kind) -> str:
    parts = []
    x = plot_x
    total = 0.0
    for s in series:
        value = s.values[row]
        total += value
        width = value * scale
        parts.append(_bar(cid, s, x, y, width, bar_h, value))
        label = _value(value, s.kind)
        label_w = len(label) * SMALL_CHAR_WIDTH + 6
        if value and width >= label_w + 4:
            # A white box behind the segment's figure keeps it readable on any pattern.
            cx = x + width / 2
            parts.append(
                f'<rect class="csafe-chart__value-box" x="{_fmt(cx - label_w / 2)}" '
                f'y="{_fmt(y + bar_h / 2 - 8)}" width="{_fmt(label_w)}" height="16" rx="2" '
                f'fill="#ffffff"/>'
                f'<text class="csafe-chart__value csafe-chart__value--small" x="{_fmt(cx)}" '
                f'y="{_fmt(y + bar_h / 2 + 4)}" text-anchor="middle" fill="{TEXT}">'
                f"{escape(label)}</text>"
            )
        x += width
    parts.append(
        f'<text class="csafe-chart__value csafe-chart__value--total" x="{_fmt(x + 5)}" '
        f'y="{_fmt(y + bar_h / 2 + 5)}" fill="{TEXT}">{escape(_value(total, kind))}</text>'
    )
    return "".join(parts)


def _bar(cid: str, s: _Series, x: float, y: float, width: float, height: float, value) -> str:
    return (
        f'<rect class="csafe-chart__bar" x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(width)}" '
        f'height="{_fmt(height)}" fill="{_fill(cid, s)}" stroke="{s.colour}" stroke-width="1.5" '
        f'data-series="{s.index}" data-value="{_fmt(value)}">'
        f"<title>{escape(s.label)}: {escape(_value(value, s.kind))}</title></rect>"
    )


# --- Lines --------------------------------------------------------------------------------------


def _line(cid: str, labels: list[str], series: list[_Series]):
    points = len(labels)
    kind = series[0].kind
    ticks = nice_ticks(max((max(s.values) for s in series), default=0), whole=_whole(series))
    top = ticks[-1]
    legend, legend_h = _legend(cid, series, line=True)
    plot_x = len(_value(top, kind)) * CHAR_WIDTH + 16
    plot_w = WIDTH - plot_x - 12
    y0 = legend_h + 24  # room for the labels above the highest points
    plot_h = 220
    axis_y = y0 + plot_h
    step = plot_w / points

    def x_at(i: int) -> float:
        return plot_x + (i + 0.5) * step

    def y_at(value: float) -> float:
        return axis_y - value / top * plot_h

    parts = [legend]
    for tick in ticks:
        y = y_at(tick)
        parts.append(
            f'<line class="csafe-chart__grid" x1="{_fmt(plot_x)}" y1="{_fmt(y)}" '
            f'x2="{_fmt(plot_x + plot_w)}" y2="{_fmt(y)}"/>'
            f'<text class="csafe-chart__tick" x="{_fmt(plot_x - 6)}" y="{_fmt(y + 5)}" '
            f'text-anchor="end" fill="{TEXT}">{escape(_value(tick, kind))}</text>'
        )
    parts.append(
        f'<line class="csafe-chart__axis" x1="{_fmt(plot_x)}" y1="{_fmt(axis_y)}" '
        f'x2="{_fmt(plot_x + plot_w)}" y2="{_fmt(axis_y)}"/>'
    )
    # Category labels under the axis, a word a line ("Mar" over "2026"); every k-th one when
    # they would not fit side by side.
    widest = max(max(len(word) for word in label.split() or [""]) for label in labels)
    every = max(1, math.ceil(points * (widest * CHAR_WIDTH + 6) / plot_w))
    lines = 1
    for i, label in enumerate(labels):
        if i % every:
            continue
        words = label.split() or [""]
        lines = max(lines, len(words))
        spans = "".join(
            f'<tspan x="{_fmt(x_at(i))}" dy="{0 if n == 0 else 16}">{escape(word)}</tspan>'
            for n, word in enumerate(words)
        )
        parts.append(
            f'<text class="csafe-chart__label" x="{_fmt(x_at(i))}" y="{_fmt(axis_y + 20)}" '
            f'text-anchor="middle" fill="{TEXT}">{spans}</text>'
        )

    for s in series:
        coordinates = " ".join(f"{_fmt(x_at(i))},{_fmt(y_at(v))}" for i, v in enumerate(s.values))
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        parts.append(
            f'<polyline class="csafe-chart__line" points="{coordinates}" fill="none" '
            f'stroke="{s.colour}" stroke-width="2.5"{dash}/>'
        )
        for i, value in enumerate(s.values):
            parts.append(_marker(s, x_at(i), y_at(value), value, labels[i]))

    # Values: at every point when the labels fit side by side; otherwise at each series' highest
    # and last points. Where several series meet at a point, the highest is labelled above it
    # and the others below, so two labels do not sit on one another; a label that would still
    # touch another at that point is left out (the table has every figure), and where series
    # meet at one value, one label serves them all.
    label_w = max(len(_value(v, s.kind)) for s in series for v in s.values) * SMALL_CHAR_WIDTH
    label_all = label_w + 4 <= step
    for i in range(points):
        ranked = sorted(series, key=lambda s: (-s.values[i], s.index))
        placed: list[tuple[float, float]] = []
        for rank, s in enumerate(ranked):
            value = s.values[i]
            if not label_all and i not in (points - 1, s.values.index(max(s.values))):
                continue
            if any(value == other for other, _y in placed):
                continue
            above, below = y_at(value) - 10, y_at(value) + 20
            # Below the point unless that reaches the category labels under the axis.
            candidates = [above] if rank == 0 else [b for b in (below,) if b < axis_y - 4]
            candidates += [above] if rank else []
            y = next(
                (c for c in candidates if all(abs(c - other) >= 14 for _v, other in placed)),
                None,
            )
            if y is None:
                continue
            placed.append((value, y))
            parts.append(
                f'<text class="csafe-chart__value csafe-chart__value--small" x="{_fmt(x_at(i))}" '
                f'y="{_fmt(y)}" text-anchor="middle" fill="{TEXT}">'
                f"{escape(_value(value, s.kind))}</text>"
            )
    return "".join(parts), axis_y + 20 + 16 * lines + 4


def _marker(s: _Series, x: float, y: float, value=None, label: str = "") -> str:
    """The series' marker shape at (x, y): a data point when ``value`` is given (with a tooltip
    naming it), otherwise the legend's sample."""
    common = f'fill="{s.colour}" stroke="#ffffff" stroke-width="1"'
    tooltip = ""
    if value is not None:
        common += f' class="csafe-chart__point" data-series="{s.index}" data-value="{_fmt(value)}"'
        tooltip = (
            f"<title>{escape(label)}, {escape(s.label)}: {escape(_value(value, s.kind))}</title>"
        )
    if s.marker == "square":
        box = f'x="{_fmt(x - 4.5)}" y="{_fmt(y - 4.5)}" width="9" height="9"'
        return f"<rect {box} {common}>{tooltip}</rect>"
    corners = {
        "triangle": ((0, -6), (5.5, 4), (-5.5, 4)),
        "diamond": ((0, -6), (6, 0), (0, 6), (-6, 0)),
    }.get(s.marker)
    if corners:
        points = " ".join(f"{_fmt(x + dx)},{_fmt(y + dy)}" for dx, dy in corners)
        return f'<polygon points="{points}" {common}>{tooltip}</polygon>'
    return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="5" {common}>{tooltip}</circle>'


# --- Legend and patterns ------------------------------------------------------------------------


def _legend(cid: str, series: list[_Series], *, line: bool) -> tuple[str, float]:
    """A key across the top, wrapping onto more lines as needed; none for a single series."""
    if len(series) < 2:
        return "", 0
    parts = [f'<g class="csafe-chart__legend" id="{cid}-legend">']
    x, y = 0.0, 0.0
    for s in series:
        width = 30 + len(s.label) * CHAR_WIDTH + 20
        if x and x + width > WIDTH:
            x, y = 0.0, y + 24
        if line:
            dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
            parts.append(
                f'<line x1="{_fmt(x)}" y1="{_fmt(y + 10)}" x2="{_fmt(x + 22)}" y2="{_fmt(y + 10)}" '
                f'stroke="{s.colour}" stroke-width="2.5"{dash}/>'
            )
            parts.append(_marker(s, x + 11, y + 10))
        else:
            parts.append(
                f'<rect x="{_fmt(x)}" y="{_fmt(y + 2)}" width="18" height="16" '
                f'fill="{_fill(cid, s)}" stroke="{s.colour}" stroke-width="1.5"/>'
            )
        parts.append(
            f'<text class="csafe-chart__legend-label" x="{_fmt(x + 28)}" y="{_fmt(y + 15)}" '
            f'fill="{TEXT}">{escape(s.label)}</text>'
        )
        x += width
    parts.append("</g>")
    return "".join(parts), y + 30


def _patterns(cid: str, series: list[_Series]) -> str:
    defs = []
    for s in series:
        tile = {
            "stripes": f'<rect width="4" height="8" fill="{s.colour}"/>',
            "checks": (
                f'<rect width="4" height="4" fill="{s.colour}"/>'
                f'<rect x="4" y="4" width="4" height="4" fill="{s.colour}"/>'
            ),
            "dots": f'<circle cx="4" cy="4" r="2.5" fill="{s.colour}"/>',
            "bands": f'<rect width="8" height="4" fill="{s.colour}"/>',
        }.get(s.pattern)
        if tile is None:
            continue
        rotate = ' patternTransform="rotate(45)"' if s.pattern == "stripes" else ""
        defs.append(
            f'<pattern id="{cid}-pattern-{s.index}" width="8" height="8" '
            f'patternUnits="userSpaceOnUse"{rotate}>'
            f'<rect width="8" height="8" fill="#ffffff"/>{tile}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(cid: str, s: _Series) -> str:
    return s.colour if s.pattern == "solid" else f"url(#{cid}-pattern-{s.index})"


# --- Small helpers ------------------------------------------------------------------------------


def _number(value) -> float:
    """A cell as a number to draw: None (a share with nothing to divide by) draws as 0."""
    if value is None or isinstance(value, str):
        return 0
    return value


def _whole(series: list[_Series]) -> bool:
    return all(float(v).is_integer() for s in series for v in s.values)


def _value(value, kind: str) -> str:
    value = _tidy(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    return f"{text}%" if kind == "percent" else text


def _tidy(value):
    """2.0 as 2, so whole numbers print without a decimal point."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _fmt(number) -> str:
    """A coordinate: at most one decimal place, no trailing zeros."""
    return f"{number:.1f}".rstrip("0").rstrip(".") if isinstance(number, float) else str(number)


def _text(value) -> str:
    return "" if value is None else str(value)


def _shorten(label: str, room: float) -> str:
    most = max(4, int(room / CHAR_WIDTH))
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _join(words) -> str:
    words = [w.lower() if w[:1].isupper() and not w[1:2].isupper() else w for w in words]
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
