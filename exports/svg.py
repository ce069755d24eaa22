"""The charts of every HTML report, written as SVG text: rows of bars, intervals and dots against
one scale, a heatmap, and lines over windows.

Labels are <text> elements (a browser renders them with the page's fonts, they can be selected
and searched, and stay sharp at any zoom); no plotting library is loaded, so an HTML report
costs what its figures cost. The output is the same bytes on every run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

FONT = 12
ROW = 22
TEXT = "#1f2328"
MUTED = "#57606a"
GRID = "#8c959f"
CYCLE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
"""Colours for coders (lines, dots), in order."""
PALETTES = {
    "Blues": ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"),
    "Oranges": ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"),
    "RdYlGn": ("#a50026", "#f46d43", "#ffffbf", "#66bd63", "#006837"),
}


def colour_of(name: str, share: float) -> str:
    """The palette's colour at `share` (0..1) of its range."""
    stops = PALETTES[name]
    at = min(max(share, 0.0), 1.0) * (len(stops) - 1)
    low = min(int(at), len(stops) - 2)
    a, b = stops[low], stops[low + 1]
    mix = at - low
    channels = [round(int(a[i:i + 2], 16) * (1 - mix) + int(b[i:i + 2], 16) * mix) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * 0.6 * size


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from `low` to `high`, about `count` of them."""
    if high <= low:
        return [low]
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((high - first) / step + 1e-9) + 1)]


def _number(value: float) -> str:
    return f"{value:g}"


def _text(x: float, y: float, text: str, anchor: str = "start", size: float = FONT, colour: str = TEXT,
          extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{colour}" text-anchor="{anchor}"'
            f' dominant-baseline="central"{extra}>{escape(text)}</text>')


def _rect(x: float, y: float, width: float, height: float, fill: str, extra: str = "") -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" fill="{fill}"{extra}/>'


def _path(d: str, stroke: str = GRID, width: float = 1, dash: bool = False) -> str:
    dashed = ' stroke-dasharray="4 3"' if dash else ""
    return f'<path d="{d}" stroke="{stroke}" stroke-width="{width:g}" fill="none"{dashed}/>'


def _dot(x: float, y: float, colour: str, radius: float = 4) -> str:
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:g}" fill="{colour}"/>'


def _svg(width: float, height: float, parts: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" font-family="system-ui, sans-serif">'
            f"<title>{escape(title)}</title>" + "".join(parts) + "</svg>")


@dataclass
class Scale:
    """Values from `low` to `high` onto pixels from `start` to `end`."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / ((self.high - self.low) or 1) * (self.end - self.start)


def _x_axis(scale: Scale, y: float, label: str, top: float, parts: list[str]) -> None:
    """Ticks and their values under the plot, faint grid lines up to `top`, the axis' label."""
    for value in ticks(scale.low, scale.high):
        x = scale(value)
        parts.append(_path(f"M{x:.1f} {top:.1f}V{y:.1f}", "#d0d7de", 0.5))
        parts.append(_path(f"M{x:.1f} {y:.1f}v4", TEXT))
        parts.append(_text(x, y + 12, _number(value), "middle", FONT - 1))
    parts.append(_path(f"M{scale.start:.1f} {y:.1f}H{scale.end:.1f}", TEXT))
    parts.append(_text((scale.start + scale.end) / 2, y + 32, label, "middle"))


def _legend(entries: list[tuple[str, str]], x: float, y: float, parts: list[str], line: bool = False) -> float:
    """Coloured marks and names in a column from (x, y); returns its width."""
    for i, (name, colour) in enumerate(entries):
        cy = y + i * 18
        parts.append(_path(f"M{x:.1f} {cy:.1f}h14", colour, 2) if line else _dot(x + 7, cy, colour))
        parts.append(_text(x + 20, cy, name, size=FONT - 1))
    return 20 + max((text_width(name, FONT - 1) for name, _ in entries), default=0)


@dataclass
class Rows:
    """A chart of labelled rows (top to bottom) against one horizontal scale: bars, intervals
    (a line from low to high), dots, notes, and dashed reference lines."""

    labels: list[str]
    low: float
    high: float
    axis: str
    bars: list[tuple[float | None, str]] = field(default_factory=list)
    """Per row: (length or None, colour)."""
    bar_texts: list[str] = field(default_factory=list)
    intervals: list[tuple[float, float, str]] = field(default_factory=list)
    dots: list[tuple[int, float, str]] = field(default_factory=list)
    """(row, value, colour)."""
    notes: list[tuple[int, str]] = field(default_factory=list)
    """(row, text) written at the start of the row."""
    references: Sequence[float] = ()
    legend: list[tuple[str, str]] = field(default_factory=list)

    def svg(self, title: str, width: float = 640) -> str:
        left = 12 + max((text_width(label) for label in self.labels), default=0)
        legend_width = 30 + max((text_width(name, FONT - 1) + 20 for name, _ in self.legend), default=0) \
            if self.legend else 0
        right = 60 + legend_width
        top, height = 10, ROW * len(self.labels)
        scale = Scale(self.low, self.high, left, max(width - right, left + 200))
        parts: list[str] = []
        _x_axis(scale, top + height, self.axis, top, parts)
        centre = [top + ROW * (i + 0.5) for i in range(len(self.labels))]
        for y, label in zip(centre, self.labels, strict=True):
            parts.append(_text(left - 8, y, label, "end"))
            parts.append(_path(f"M{left - 4:.1f} {y:.1f}h4", TEXT))
        for i, (length, colour) in enumerate(self.bars):
            if length is not None and length == length:
                zero = scale(max(self.low, 0.0))
                parts.append(_rect(min(zero, scale(length)), centre[i] - ROW * 0.38, abs(scale(length) - zero),
                                   ROW * 0.76, colour))
        for i, text in enumerate(self.bar_texts):
            length = self.bars[i][0] or 0.0
            parts.append(_text(scale(max(length, self.low)) + 4, centre[i], text, size=FONT - 2))
        for i, (low, high, colour) in enumerate(self.intervals):
            parts.append(_path(f"M{scale(low):.1f} {centre[i]:.1f}H{scale(high):.1f}", colour, 2))
        for value in self.references:
            x = scale(value)
            parts.append(_path(f"M{x:.1f} {top:.1f}V{top + height:.1f}", GRID, 1, dash=True))
        for row, value, colour in self.dots:
            parts.append(_dot(scale(value), centre[row], colour))
        for row, text in self.notes:
            parts.append(_text(scale(max(self.low, 0.0)) + 4, centre[row], text, size=FONT - 2, colour=MUTED))
        if self.legend:
            _legend(self.legend, scale.end + 50, top + 8, parts)
        return _svg(scale.end + right, top + height + 48, parts, title)


def heatmap(matrix: Sequence[Sequence[float]], texts: Sequence[Sequence[str]] | None, rows: list[str],
            columns: list[str], palette: str, legend: str, high: float, title: str) -> str:
    """Cells coloured by value from 0 to `high` (NaN blank), with their text; a colour bar."""
    cell_w = max(44.0, max((text_width(t, FONT - 2) + 8 for row in texts or [] for t in row), default=0))
    # Column names written slanting down to the left from under their cells: the longest needs
    # room below and to the left of the first column.
    slant = max((text_width(c) for c in columns), default=0) * 0.71
    left = 12 + max(max((text_width(r) for r in rows), default=0), slant - cell_w / 2)
    under = 16 + slant
    top = 10
    width, height = cell_w * len(columns), ROW * len(rows)
    parts: list[str] = []
    for i, row in enumerate(rows):
        y: float = top + ROW * i
        parts.append(_text(left - 8, y + ROW / 2, row, "end"))
        for j in range(len(columns)):
            value = matrix[i][j]
            x = left + cell_w * j
            if value == value:
                share = value / high if high > 0 else 0.0
                parts.append(_rect(x, y, cell_w, ROW, colour_of(palette, share)))
                if texts is not None:
                    ink = "#ffffff" if share > 0.6 else TEXT
                    parts.append(_text(x + cell_w / 2, y + ROW / 2, texts[i][j], "middle", FONT - 2, ink))
            elif texts is not None:
                parts.append(_text(x + cell_w / 2, y + ROW / 2, texts[i][j], "middle", FONT - 2, MUTED))
    parts.append(_rect(left, top, width, height, "none", ' stroke="#d0d7de"'))
    for j, column in enumerate(columns):
        x, y = left + cell_w * (j + 0.5), top + height + 8
        parts.append(_text(x, y, column, "end", extra=f' transform="rotate(-45 {x:.1f} {y:.1f})"'))
    # The colour bar: ten steps from 0 to `high`, its scale beside it.
    bar_x, steps = left + width + 24, 10
    for k in range(steps):
        parts.append(_rect(bar_x, top + height * (steps - 1 - k) / steps, 14, height / steps + 0.5,
                           colour_of(palette, (k + 0.5) / steps)))
    for value in ticks(0, high, 4):
        y = top + height * (1 - (value / high if high > 0 else 0))
        parts.append(_path(f"M{bar_x + 14:.1f} {y:.1f}h4", TEXT))
        parts.append(_text(bar_x + 21, y, _number(value), size=FONT - 2))
    parts.append(_text(bar_x + 60, top + height / 2, legend, "middle", FONT - 1,
                       extra=f' transform="rotate(90 {bar_x + 60:.1f} {top + height / 2:.1f})"'))
    return _svg(bar_x + 80, top + height + under + 10, parts, title)


def lines(series: list[tuple[str, list[float], list[float]]], xlabel: str, ylabel: str, low: float, high: float,
          references: Sequence[float], title: str) -> str:
    """One line per series over x (a NaN y breaks the line), dots at the points, dashed
    horizontal reference lines, a legend below."""
    xs = [x for _, points, _ in series for x in points]
    left, top, width, height = 56, 10, 640, 260
    scale_x = Scale(min(xs, default=0), max(xs, default=1), left, left + width)
    scale_y = Scale(low, high, top + height, top)
    parts: list[str] = []
    _x_axis(scale_x, top + height, xlabel, top, parts)
    for value in ticks(low, high):
        y = scale_y(value)
        parts.append(_path(f"M{left - 4:.1f} {y:.1f}h4", TEXT))
        parts.append(_text(left - 8, y, _number(value), "end", FONT - 1))
    parts.append(_path(f"M{left:.1f} {top:.1f}V{top + height:.1f}", TEXT))
    parts.append(_text(14, top + height / 2, ylabel, "middle", extra=f' transform="rotate(-90 14 {top + height / 2:.1f})"'))
    for value in references:
        y = scale_y(value)
        parts.append(_path(f"M{left:.1f} {y:.1f}H{left + width:.1f}", GRID, 1, dash=True))
    entries = []
    for k, (name, x_values, y_values) in enumerate(series):
        colour = CYCLE[k % len(CYCLE)]
        entries.append((name, colour))
        d, pen = [], "M"
        for x, y in zip(x_values, y_values, strict=True):
            if y != y:
                pen = "M"
                continue
            d.append(f"{pen}{scale_x(x):.1f} {scale_y(y):.1f}")
            pen = "L"
            parts.append(_dot(scale_x(x), scale_y(y), colour, 2.5))
        if d:
            parts.append(_path("".join(d), colour, 1.5))
    legend_top = top + height + 56
    _legend(entries, left, legend_top, parts, line=True)
    return _svg(left + width + 20, legend_top + 18 * len(entries), parts, title)
