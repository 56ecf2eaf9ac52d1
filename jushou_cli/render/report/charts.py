"""Bar charts as geometry: where each bar, tick and label goes, in the units of an SVG viewBox.
The markup itself is the template `report/bar_chart.svg.j2`, so a town can restyle the charts
without touching code (STACK.md: hand-written SVG renders quickly, with text that can be
searched and copied, where matplotlib would add a large dependency and its import time).

Two shapes: `columns` (vertical bars, for a figure year over year) and `bars` (horizontal bars,
for a breakdown whose category names are long Japanese words).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

FONT_SIZE = 11.0
NO_DATA = "—"


def _number(value: int | None) -> int:
    return value or 0


def _shown(value: int | None) -> int | str:
    return NO_DATA if value is None else value


@dataclass(frozen=True, slots=True)
class Category:
    label: str
    value: int | None  # None: no data for it (a year before the repository's first record)
    short: str = ""  # used when `label` does not fit under its column (R6 for 令和6年度)
    highlight: bool = False  # the chosen year among earlier ones


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int | str  # 「—」 where there is no data (no bar is drawn)
    highlight: bool
    label: str  # as drawn (shortened when needed)
    title: str  # in full, for the SVG <title>
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    # the grid line runs from (x1, y1) to (x2, y2); the number is drawn at (text_x, text_y)
    x1: float
    y1: float
    x2: float
    y2: float
    text_x: float
    text_y: float


@dataclass(frozen=True, slots=True)
class BarChart:
    shape: str  # "columns" | "bars"
    title: str
    width: float
    height: float
    font_size: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    # the value axis (zero line)
    axis_x1: float
    axis_y1: float
    axis_x2: float
    axis_y2: float
    unit: str = "件"
    label_size: float = FONT_SIZE  # category labels: smaller when many columns share the width

    @property
    def empty(self) -> bool:
        return not self.bars or all(b.value in (0, NO_DATA) for b in self.bars)


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An estimate of drawn width: wide (CJK) characters one em, the rest a little over half."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.62 for c in text)


def fit(text: str, room: float, size: float = FONT_SIZE) -> str:
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def nice_scale(maximum: int, target_ticks: int = 5) -> tuple[int, int]:
    """(axis maximum, tick step), whole numbers: the step is 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return 1, 1
    raw = maximum / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return math.ceil(maximum / step) * step, int(step)


def columns(
    title: str, categories: Sequence[Category], width: float = 320, height: float = 190, unit: str = "件"
) -> BarChart:
    """Vertical bars side by side; the value axis on the left."""
    size = FONT_SIZE
    top_max, step = nice_scale(max((_number(c.value) for c in categories), default=0))
    # Room for a three-digit axis whatever the figures, so that charts with the same years side
    # by side have the same columns and the same labels.
    left = max(text_width(str(top_max), size), text_width("000", size)) + 10
    right, top, bottom = width - 6, size + 8, height - size - 10
    plot_h = bottom - top
    slot = (right - left) / max(len(categories), 1)
    bar_w = min(slot * 0.62, 44)
    room = slot - 6

    def fitting_size(labels: list[str]) -> float:
        widest = max((text_width(t, size) for t in labels), default=0.0)
        return min(size, size * room / widest) if widest else size

    drawn_labels = [c.label for c in categories]
    label_size = fitting_size(drawn_labels)
    if label_size < size * 0.85 and all(c.short for c in categories):
        drawn_labels = [c.short for c in categories]  # 令和6年度 → R6
        label_size = fitting_size(drawn_labels)
    label_size = round(max(label_size, size * 0.75), 2)

    def y_of(value: int | None) -> float:
        return bottom - plot_h * _number(value) / top_max

    bars = []
    for i, c in enumerate(categories):
        cx = left + slot * (i + 0.5)
        label = fit(drawn_labels[i], slot - 2, label_size)
        bars.append(
            Bar(
                x=round(cx - bar_w / 2, 2),
                y=round(y_of(c.value), 2),
                width=round(bar_w, 2),
                height=round(bottom - y_of(c.value), 2),
                value=_shown(c.value),
                highlight=c.highlight,
                label=label,
                title=f"{c.label} {c.value}{unit}" if c.value is not None else f"{c.label} データなし",
                label_x=round(cx, 2),
                label_y=round(bottom + size + 4, 2),
                value_x=round(cx, 2),
                value_y=round(y_of(c.value) - 3, 2),
            )
        )
    ticks = tuple(
        Tick(v, left, round(y_of(v), 2), right, round(y_of(v), 2), left - 4, round(y_of(v) + size * 0.35, 2))
        for v in range(0, top_max + 1, step)
    )
    return BarChart(
        "columns",
        title,
        width,
        height,
        size,
        tuple(bars),
        ticks,
        left,
        bottom,
        right,
        bottom,
        unit,
        label_size,
    )


def bars(title: str, categories: Sequence[Category], width: float = 480, unit: str = "件") -> BarChart:
    """Horizontal bars, one row per category, labels on the left; the value axis along the bottom."""
    size = FONT_SIZE
    row = size * 1.9
    label_room = min(max((text_width(c.label, size) for c in categories), default=0), width * 0.42)
    top_max, step = nice_scale(max((_number(c.value) for c in categories), default=0))
    left = label_room + 8
    right = width - text_width(str(top_max), size) - 8
    top = 4.0
    bottom = top + row * max(len(categories), 1)
    height = bottom + size + 8
    bar_h = row * 0.62

    def x_of(value: int | None) -> float:
        return left + (right - left) * _number(value) / top_max

    drawn = []
    for i, c in enumerate(categories):
        mid = top + row * (i + 0.5)
        drawn.append(
            Bar(
                x=round(left, 2),
                y=round(mid - bar_h / 2, 2),
                width=round(x_of(c.value) - left, 2),
                height=round(bar_h, 2),
                value=_shown(c.value),
                highlight=c.highlight,
                label=fit(c.label, label_room, size),
                title=f"{c.label} {c.value}{unit}" if c.value is not None else f"{c.label} データなし",
                label_x=round(left - 5, 2),
                label_y=round(mid + size * 0.36, 2),
                value_x=round(x_of(c.value) + 3, 2),
                value_y=round(mid + size * 0.36, 2),
            )
        )
    ticks = tuple(
        Tick(
            v,
            round(x_of(v), 2),
            top,
            round(x_of(v), 2),
            bottom,
            round(x_of(v), 2),
            round(bottom + size + 3, 2),
        )
        for v in range(0, top_max + 1, step)
    )
    return BarChart(
        "bars", title, width, round(height, 2), size, tuple(drawn), ticks, left, top, left, bottom, unit
    )
