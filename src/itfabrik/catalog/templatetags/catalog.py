from __future__ import annotations

from decimal import Decimal

from django import template

from itfabrik.core.money import format_sek

register = template.Library()


@register.filter
def sek(value: Decimal | None) -> str:
    """An amount in Swedish format ("1 450,00 kr"); a dash when there is none."""
    return "–" if value is None else format_sek(value)
