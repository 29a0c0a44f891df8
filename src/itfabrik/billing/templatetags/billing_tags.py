from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from itfabrik.core.money import format_sek

register = template.Library()


@register.filter
def sek(value: Decimal | None) -> str:
    return "" if value is None else format_sek(value)


@register.simple_tag
def line_source(line: Any) -> SafeString:
    """Where a line comes from, in words: the pool and key version, or the usage record."""
    src = line.source or {}
    if src.get("type") == "pool_allocation":
        return format_html(
            _("{pool}: {key}; {days} av {month} medlemsdagar; månadens belopp {amount}"),
            pool=src.get("cost_pool_name", ""),
            key=src.get("key", ""),
            days=src.get("member_days", ""),
            month=src.get("days_in_month", ""),
            amount=format_sek(Decimal(src.get("month_amount", "0"))),
        )
    if src.get("type") == "usage_record":
        text = _("Förbrukningspost %(id)s, %(date)s") % {
            "id": src.get("usage_record"),
            "date": src.get("used_on", ""),
        }
        if src.get("corrects"):
            text += " " + _("(rättar post %(id)s)") % {"id": src["corrects"]}
        return format_html("{}", text)
    if src.get("summary"):  # a source from another app that words itself (e.g. devices)
        return format_html("{}", src["summary"])
    return format_html("{}", "–")


@register.filter
def get_item(mapping: dict[str, Any] | None, key: Any) -> Any:
    """A fixed-percentage key's value for a municipality (the JSON keys are strings)."""
    return (mapping or {}).get(str(key))
