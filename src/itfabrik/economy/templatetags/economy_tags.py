from __future__ import annotations

from decimal import Decimal

from django import template

from itfabrik.core.money import format_sek

register = template.Library()


@register.filter
def kronor(value: Decimal | None) -> str:
    """An amount in Swedish format ("12 496 743,00 kr"); nothing as a dash."""
    return "–" if value is None else format_sek(value)


@register.filter
def pct(value: Decimal | None) -> str:
    """A share in per cent with its two decimals and a decimal comma ("1,82 %")."""
    return "–" if value is None else f"{value:.2f} %".replace(".", ",")
