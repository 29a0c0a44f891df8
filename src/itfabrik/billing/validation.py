"""Input rules shared by services and selectors (the simulation validates a proposed key)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from itfabrik.core.errors import ValidationFailed, lazy_format
from itfabrik.tenancy.models import Cooperation, Membership

from .choices import KeyMethod
from .sources import method_available


def member_ids(cooperation: Cooperation) -> set[int]:
    return set(
        Membership.objects.filter(cooperation=cooperation).values_list("municipality_id", flat=True)
    )


def validate_percentages(
    *, cooperation: Cooperation, method: str, percentages: dict[str, Any] | None
) -> dict[str, str]:
    """Fixed percentages: one per member municipality id, each 0–100, summing to exactly 100.
    Other methods take none."""
    percentages = percentages or {}
    if method not in KeyMethod.values:
        raise ValidationFailed(fields={"method": [_("Okänd fördelningsmetod.")]})
    if not method_available(method):
        raise ValidationFailed(
            fields={
                "method": [_("Fördelningsmetoden är inte tillgänglig i den här installationen.")]
            }
        )
    if method != KeyMethod.PERCENTAGES:
        if percentages:
            raise ValidationFailed(
                fields={"percentages": [_("Procentsatser anges bara för fasta procentsatser.")]}
            )
        return {}
    members = member_ids(cooperation)
    out: dict[str, str] = {}
    errors: list[Any] = []
    for key, raw in percentages.items():
        try:
            mid = int(key)
            value = Decimal(str(raw).replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
        except (ValueError, InvalidOperation):
            errors.append(lazy_format(_("Ogiltig procentsats: %(value)s."), value=f"{key}={raw}"))
            continue
        if mid not in members:
            errors.append(lazy_format(_("%(id)s är ingen medlemskommun."), id=key))
        elif not Decimal(0) <= value <= Decimal(100):
            errors.append(_("Varje procentsats ska vara mellan 0 och 100."))
        else:
            out[str(mid)] = f"{value:f}"
    if not errors and sum((Decimal(v) for v in out.values()), Decimal(0)) != 100:
        errors.append(_("Procentsatserna ska summera till 100."))
    if errors:
        raise ValidationFailed(fields={"percentages": errors})
    return out
