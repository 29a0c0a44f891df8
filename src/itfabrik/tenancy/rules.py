"""Pure rules of the organisation. No Django import."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal

from itfabrik.core.money import split


def population_shares(inhabitants: Mapping[Hashable, int]) -> dict[Hashable, Decimal]:
    """Each member's share of the total population in percent, two decimals, summing to 100.00."""
    keys = list(inhabitants)
    if not keys or sum(inhabitants.values()) <= 0:
        return {}
    parts = split(Decimal("100.00"), [inhabitants[k] for k in keys])
    return dict(zip(keys, parts, strict=True))
