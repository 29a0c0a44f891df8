"""Charts drawn on the server as accessible SVG: no script, no CDN (R-WCAG, no network at run
time). Every app's figures use this one helper so that they all read the same way to a screen
reader: the SVG is an image (role="img") labelled by its <title> and described by its <desc>,
every bar has its value written beside it (so no figure depends on colour or length alone), and
the page always shows a table of the same figures next to the chart.

What differs between apps is a parameter: how a value is written (kronor, per cent, a count, a
score), the scale (largest value, or fixed such as 100 % or score 5) and the colours."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Value = Decimal | int | None
Formatter = Callable[[Value], str]

# Each at least 3:1 against white (WCAG 1.4.11); series are told apart by the legend and the
# written value as well, never by colour alone.
COLOURS = ("#1d4f91", "#b35900", "#2e7d32", "#6a1b9a")
TEXT = "#1a1a1a"
WIDTH = 680
LABEL_W = 210
# Room right of the longest bar for its written value ("−1 234 567,00 kr").
VALUE_W = 130
BAR_H = 22
GAP = 10
LEGEND_H = 28


def count(value: Value) -> str:
    """A whole number as it is; a missing value as a dash."""
    return "–" if value is None else str(value)


def percent(value: Value) -> str:
    """A share in per cent with one decimal and a Swedish decimal comma: "66,7 %"."""
    return "–" if value is None else f"{value:.1f} %".replace(".", ",")


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Sequence[Value]]],
    series: Sequence[str] = (),
    fmt: Formatter = count,
    top: Decimal | int | None = None,
    colours: Sequence[str] = COLOURS,
) -> SafeString:
    """Horizontal bars: one group per row, one bar per value in the row (the i-th value of every
    row belongs to the i-th series and gets the i-th colour), each followed by `fmt(value)`.

    `series` names the bars in a legend; leave it empty for a single unnamed series. `top` fixes
    the scale (100 for shares, 5 for a score) and longer values are drawn to the end of it; by
    default the largest absolute value fills the width. A missing value (None) draws no bar but
    still writes `fmt(None)`; a zero draws a hairline so the row visibly has a value.

    `chart_id` must be unique on the page: it names the title and description elements."""
    bars = len(series) or max((len(vs) for _label, vs in rows), default=1) or 1
    values = [abs(Decimal(v)) for _label, vs in rows for v in vs if v is not None]
    scale = Decimal(top) if top is not None else (max(values, default=Decimal(0)) or Decimal(1))
    legend_h = LEGEND_H if series else 0
    group_h = bars * BAR_H + GAP
    height = legend_h + len(rows) * group_h + GAP
    span = WIDTH - LABEL_W - VALUE_W
    palette = [str(escape(c)) for c in colours or COLOURS]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    x = LABEL_W
    for i, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="6" width="14" height="14" fill="{palette[i % len(palette)]}"/>'
            f'<text x="{x + 20}" y="18" font-size="13" fill="{TEXT}">{escape(name)}</text>'
        )
        x += 30 + 8 * len(name)
    for r, (label, vs) in enumerate(rows):
        y0 = legend_h + GAP + r * group_h
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y0 + bars * BAR_H / 2 + 2}" font-size="13" '
            f'text-anchor="end" fill="{TEXT}">{escape(label)}</text>'
        )
        for i, v in enumerate(vs):
            y = y0 + i * BAR_H
            w = 0
            if v is not None:
                if scale > 0:
                    w = int(span * min(abs(Decimal(v)), scale) / scale)
                w = max(w, 1)
                parts.append(
                    f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR_H - 4}" '
                    f'fill="{palette[i % len(palette)]}"/>'
                )
            parts.append(
                f'<text x="{LABEL_W + w + 6}" y="{y + BAR_H - 8}" font-size="12" '
                f'fill="{TEXT}">{escape(fmt(v))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
