"""Figures → chart geometry, drawn as inline SVG by templates/charts/*.svg.

Why our own: the charts must be a few kilobytes of SVG with no script, keep their text
as real (searchable, Chinese) text in the page's font, take their colours from
Material's CSS variables so the dark scheme works, and scale to a 360 px phone. The
SVG chart libraries we looked at (pygal, matplotlib's SVG backend, leather) either embed
scripts and fixed colours, draw text as paths, or are no longer maintained; horizontal
bars and simple columns are a few lines of arithmetic.
"""
from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 320  # viewBox units; the SVG scales to its container
LABEL = 112  # room for a Chinese label of about nine characters
ROW = 26


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as printed
    y: float = 0
    width: float = 0
    segments: list = field(default_factory=list)  # stacked parts: (x, width, series index)


@dataclass
class Chart:
    id: str
    title: str
    unit: str
    kind: str  # "bars" (horizontal) or "columns"
    bars: list[Bar]
    series: list[str] = field(default_factory=list)  # names of stacked parts, for the legend
    height: float = 0
    bar_x: int = LABEL  # where bars start; labels end just before
    columns: list[str] = field(default_factory=list)  # table header of the accessible table
    rows: list[list[str]] = field(default_factory=list)  # the same numbers as a table


def bars(id: str, title: str, unit: str, rows: list[tuple[str, float]], fmt=lambda v: f"{v:g}") -> Chart:
    """Horizontal bars, one per row, longest = full width."""
    top = max((v for _, v in rows), default=0) or 1
    room = WIDTH - LABEL - 48
    chart = Chart(id, title, unit, "bars", [], columns=["", unit])
    for i, (label, value) in enumerate(rows):
        chart.bars.append(Bar(label, value, fmt(value), y=i * ROW + 8, width=max(value / top * room, 1 if value else 0)))
        chart.rows.append([label, fmt(value)])
    chart.height = len(rows) * ROW + 12
    return chart


def stacked(id: str, title: str, unit: str, series: list[str], rows: list[tuple[str, list[float]]]) -> Chart:
    """Horizontal bars split into parts (原创 and 转载 …), with a legend."""
    top = max((sum(v) for _, v in rows), default=0) or 1
    room = WIDTH - LABEL - 48
    chart = Chart(id, title, unit, "bars", [], series=series, columns=["", *series, "合计"])
    for i, (label, values) in enumerate(rows):
        bar = Bar(label, sum(values), f"{sum(values):g}", y=i * ROW + 30)
        x = LABEL
        for index, value in enumerate(values):
            width = value / top * room
            if width:
                bar.segments.append((x, width, index))
            x += width
        bar.width = x - LABEL
        chart.bars.append(bar)
        chart.rows.append([label, *(f"{v:g}" for v in values), f"{sum(values):g}"])
    chart.height = len(rows) * ROW + 34
    return chart


def columns(id: str, title: str, unit: str, rows: list[tuple[str, float]], fmt=lambda v: f"{v:g}") -> Chart:
    """Vertical columns, for a few years side by side."""
    top = max((v for _, v in rows), default=0) or 1
    height, base = 150, 170
    step = (WIDTH - 20) / max(len(rows), 1)
    chart = Chart(id, title, unit, "columns", [], columns=["", unit], height=base + 22)
    for i, (label, value) in enumerate(rows):
        h = value / top * height
        chart.bars.append(Bar(label, value, fmt(value), y=base - h, width=h,
                              segments=[(10 + i * step + step * 0.2, step * 0.6, 0)]))
        chart.rows.append([label, fmt(value)])
    return chart
