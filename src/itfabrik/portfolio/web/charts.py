"""The portfolio's two figures, drawn like core.web.charts (server-side SVG, role="img" with a
title and a description, every mark labelled in text, the same palette) for the two shapes the
shared bar chart does not draw: a roadmap (bars along a time axis) and a value/effort matrix.
The page always shows the same figures as a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from itfabrik.core.web.charts import COLOURS, TEXT

WIDTH = 680
LABEL_W = 230
ROW_H = 24
TOP = 28


@dataclass(frozen=True)
class RoadmapBar:
    label: str
    start: dt.date
    end: dt.date
    # Index into the palette (one per state), named in the legend.
    series: int


def _x(day: dt.date, first: dt.date, last: dt.date, span: int) -> float:
    total = max((last - first).days, 1)
    return LABEL_W + span * (min(max(day, first), last) - first).days / total


def roadmap(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[RoadmapBar],
    series: Sequence[str],
    first: dt.date,
    last: dt.date,
) -> SafeString:
    """A bar per initiative from its start to its end on a time axis with a tick per year."""
    span = WIDTH - LABEL_W - 10
    height = TOP + len(bars) * ROW_H + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    x = 10
    for i, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="6" width="14" height="14" fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{x + 20}" y="18" font-size="13" fill="{TEXT}">{escape(name)}</text>'
        )
        x += 30 + 8 * len(name)
    bottom = TOP + len(bars) * ROW_H
    for year in range(first.year, last.year + 2):
        day = dt.date(year, 1, 1)
        if not first <= day <= last:
            continue
        px = _x(day, first, last, span)
        parts.append(
            f'<line x1="{px:.1f}" y1="{TOP}" x2="{px:.1f}" y2="{bottom}" stroke="#767676" '
            f'stroke-dasharray="3 3"/>'
            f'<text x="{px:.1f}" y="{bottom + 16}" font-size="12" text-anchor="middle" '
            f'fill="{TEXT}">{year}</text>'
        )
    for r, bar in enumerate(bars):
        y = TOP + r * ROW_H
        x0 = _x(bar.start, first, last, span)
        x1 = max(_x(bar.end, first, last, span), x0 + 2)
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + ROW_H - 8}" font-size="12" text-anchor="end" '
            f'fill="{TEXT}">{escape(bar.label)}</text>'
            f'<rect x="{x0:.1f}" y="{y + 3}" width="{x1 - x0:.1f}" height="{ROW_H - 8}" '
            f'fill="{COLOURS[bar.series % len(COLOURS)]}"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@dataclass(frozen=True)
class Point:
    label: str
    value: int
    effort: int


def value_effort(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[Point],
    value_label: str,
    effort_label: str,
) -> SafeString:
    """A 5×5 matrix: effort across, value up; each cell lists the numbers of its initiatives, so
    the chart reads the same without colour (quick wins: high value, low effort, top left)."""
    cell = 90
    left, top = 70, 20
    size = cell * 5
    height = top + size + 50
    width = left + size + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    cells: dict[tuple[int, int], list[str]] = {}
    for p in points:
        cells.setdefault((p.effort, p.value), []).append(p.label)
    for effort in range(1, 6):
        for value in range(1, 6):
            x = left + (effort - 1) * cell
            y = top + (5 - value) * cell
            quick = value >= 4 and effort <= 2
            fill = "#e8f0fa" if quick else "#ffffff"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" '
                f'stroke="#767676"/>'
            )
            for n, label in enumerate(cells.get((effort, value), [])[:5]):
                parts.append(
                    f'<circle cx="{x + 10}" cy="{y + 14 + n * 16}" r="5" fill="{COLOURS[0]}"/>'
                    f'<text x="{x + 19}" y="{y + 18 + n * 16}" font-size="11" '
                    f'fill="{TEXT}">{escape(label)}</text>'
                )
            extra = len(cells.get((effort, value), [])) - 5
            if extra > 0:
                parts.append(
                    f'<text x="{x + 19}" y="{y + 18 + 5 * 16}" font-size="11" '
                    f'fill="{TEXT}">+{extra}</text>'
                )
    for i in range(1, 6):
        parts.append(
            f'<text x="{left + (i - 0.5) * cell:.0f}" y="{top + size + 16}" font-size="12" '
            f'text-anchor="middle" fill="{TEXT}">{i}</text>'
            f'<text x="{left - 8}" y="{top + (5.5 - i) * cell:.0f}" font-size="12" '
            f'text-anchor="end" fill="{TEXT}">{i}</text>'
        )
    parts.append(
        f'<text x="{left + size / 2:.0f}" y="{top + size + 40}" font-size="13" '
        f'text-anchor="middle" fill="{TEXT}">{escape(effort_label)}</text>'
        f'<text x="14" y="{top + size / 2:.0f}" font-size="13" text-anchor="middle" '
        f'fill="{TEXT}" transform="rotate(-90 14 {top + size / 2:.0f})">'
        f"{escape(value_label)}</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
