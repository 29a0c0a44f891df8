"""Charts drawn on the server as accessible SVG: no script, no CDN. Each chart has a title and a
description for screen readers and is always shown next to a table of the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from itfabrik.core.money import format_sek

WIDTH = 640
LABEL_W = 170
BAR_H = 22
GAP = 10


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[Decimal]]],
    series: Sequence[str],
) -> SafeString:
    """Horizontal bars, one group per row, one bar per series (at most three), with values."""
    colours = ("#1d4f91", "#b35900", "#2e7d32")
    values = [abs(v) for _label, vs in rows for v in vs]
    top = max(values, default=Decimal(0)) or Decimal(1)
    group_h = len(series) * BAR_H + GAP
    legend_h = 28
    height = legend_h + len(rows) * group_h + GAP
    span = WIDTH - LABEL_W - 130
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    x = LABEL_W
    for i, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="6" width="14" height="14" fill="{colours[i % 3]}"/>'
            f'<text x="{x + 20}" y="18" font-size="13" fill="#1a1a1a">{escape(name)}</text>'
        )
        x += 30 + 8 * len(name)
    for r, (label, vs) in enumerate(rows):
        y0 = legend_h + r * group_h
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y0 + len(series) * BAR_H / 2 + 5}" font-size="13" '
            f'text-anchor="end" fill="#1a1a1a">{escape(label)}</text>'
        )
        for i, v in enumerate(vs):
            w = int(span * abs(v) / top)
            y = y0 + i * BAR_H
            parts.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{max(w, 1)}" height="{BAR_H - 4}" '
                f'fill="{colours[i % 3]}"/>'
                f'<text x="{LABEL_W + max(w, 1) + 6}" y="{y + BAR_H - 8}" font-size="12" '
                f'fill="#1a1a1a">{escape(format_sek(v))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
