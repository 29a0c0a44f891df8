"""Report charts drawn on the server as accessible SVG: no script, no CDN. The approach of
billing/web/charts.py, generalised to counts and shares and up to four series; each chart has
a title and a description for screen readers and is always shown beside its table.

(A candidate for core: billing's chart differs only in the value format and the colours.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Each at least 3:1 against white (WCAG 1.4.11) and told apart by the legend and the value.
COLOURS = ("#1d4f91", "#b35900", "#2e7d32", "#6a1b9a")
WIDTH = 680
LABEL_W = 210
BAR_H = 20
GAP = 10


def percent(value: Decimal | int | None) -> str:
    return "–" if value is None else f"{value:.1f} %".replace(".", ",")


def count(value: Decimal | int | None) -> str:
    return "–" if value is None else str(value)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[Decimal | int | None]]],
    series: Sequence[str],
    fmt: Callable[[Decimal | int | None], str] = count,
    top: Decimal | int | None = None,
) -> SafeString:
    """Horizontal bars, one group per row, one bar per series, each with its value written
    out (so no figure depends on colour or length alone). `top` fixes the scale (100 for
    shares); by default the largest value."""
    values = [abs(Decimal(v)) for _label, vs in rows for v in vs if v is not None]
    biggest = max(values, default=Decimal(0))
    scale = Decimal(top) if top is not None else (biggest or Decimal(1))
    group_h = len(series) * BAR_H + GAP
    legend_h = 28
    height = legend_h + len(rows) * group_h + GAP
    span = WIDTH - LABEL_W - 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    x = LABEL_W
    for i, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="6" width="14" height="14" fill="{COLOURS[i % 4]}"/>'
            f'<text x="{x + 20}" y="18" font-size="13" fill="#1a1a1a">{escape(name)}</text>'
        )
        x += 30 + 7 * len(name)
    for r, (label, vs) in enumerate(rows):
        y0 = legend_h + r * group_h
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y0 + len(series) * BAR_H / 2 + 5}" font-size="13" '
            f'text-anchor="end" fill="#1a1a1a">{escape(label)}</text>'
        )
        for i, v in enumerate(vs):
            w = 0 if v is None else int(span * abs(Decimal(v)) / scale)
            y = y0 + i * BAR_H
            parts.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{max(w, 1)}" height="{BAR_H - 4}" '
                f'fill="{COLOURS[i % 4]}"/>'
                f'<text x="{LABEL_W + max(w, 1) + 6}" y="{y + BAR_H - 8}" font-size="12" '
                f'fill="#1a1a1a">{escape(fmt(v))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
