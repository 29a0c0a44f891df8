"""Charts drawn on the server as accessible SVG: no script, no CDN. Each chart has a title and a
description for screen readers and is always shown next to a table of the same figures.

The approach of billing's charts (billing/web/charts.py), with the value's text given by the
caller (per cent, a mean score) instead of kronor; billing's web module is not imported, since
no app imports another's web layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_W = 190
BAR_H = 22
GAP = 10


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Decimal | None]],
    scale: Decimal,
    fmt: Callable[[Decimal | None], str],
    colour: str = "#1d4f91",
) -> SafeString:
    """Horizontal bars, one per row, on a fixed scale (100 % or score 5), each with its value as
    text; a missing value (nothing resolved or rated) draws no bar and says so."""
    height = len(rows) * (BAR_H + GAP) + GAP
    span = WIDTH - LABEL_W - 110
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for r, (label, value) in enumerate(rows):
        y = GAP + r * (BAR_H + GAP)
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + BAR_H - 7}" font-size="13" text-anchor="end" '
            f'fill="#1a1a1a">{escape(label)}</text>'
        )
        w = 0 if value is None or scale <= 0 else int(span * min(value, scale) / scale)
        if w:
            parts.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR_H - 4}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{LABEL_W + w + 6}" y="{y + BAR_H - 7}" font-size="12" '
            f'fill="#1a1a1a">{escape(fmt(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
