"""Money in SEK as Decimal with öre precision, and exact splitting of one amount into parts.

No Django import: pure rules, tested with hypothesis.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ORE = Decimal("0.01")


class MoneyError(ValueError):
    pass


def to_money(value: Decimal | int | str) -> Decimal:
    """Parse a value into a Decimal rounded to öre. Floats are refused: they are not exact."""
    if isinstance(value, float):
        raise MoneyError("float is not accepted for money; use Decimal or str")
    if isinstance(value, str):
        value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise MoneyError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise MoneyError(f"not a finite amount: {value!r}")
    try:
        return amount.quantize(ORE, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # more digits than any amount has (e.g. "1e999999")
        raise MoneyError(f"not an amount: {value!r}") from exc


def split(amount: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split `amount` in proportion to `weights` so that the parts sum to `amount` exactly.

    Largest-remainder method in öre: every part gets the floor of its exact share, then the öre
    left over go one each to the parts with the largest remainders (ties to the earliest part,
    so the result is deterministic).
    """
    if not weights:
        raise MoneyError("cannot split into zero parts")
    w = [Decimal(x) for x in weights]
    if any(x < 0 for x in w):
        raise MoneyError("weights must not be negative")
    total_w = sum(w, Decimal(0))
    if total_w == 0:
        raise MoneyError("weights must not all be zero")
    amount = to_money(amount)
    sign = -1 if amount < 0 else 1
    cents = int((abs(amount) / ORE).to_integral_value())
    exact = [Decimal(cents) * x / total_w for x in w]
    floors = [int(e) for e in exact]  # exact >= 0, so int() is floor
    left = cents - sum(floors)
    order = sorted(range(len(w)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(sign * c) * ORE).quantize(ORE) for c in floors]


def split_equally(amount: Decimal, parts: int) -> list[Decimal]:
    return split(amount, [1] * parts)


def format_sek(amount: Decimal) -> str:
    """Swedish format: space as thousands separator, comma as decimal separator."""
    q = to_money(amount)
    sign = "−" if q < 0 else ""
    whole, _, frac = f"{abs(q):.2f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    nbsp = "\u00a0"
    return sign + nbsp.join(groups) + "," + frac + nbsp + "kr"
