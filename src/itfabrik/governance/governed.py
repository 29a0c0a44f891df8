"""What a decision may govern: a registry of kinds that apps fill (`register_governed_kind`).

A decision links to any registered object by content type and id (`GovernedLink`). Apps below
governance are registered here (price-list versions, allocation keys, service levels); an app above
registers its own kinds (an initiative, a risk acceptance) from its `apps.py` `ready()` through
`core.registry.register_governed_kind` (apps of governance's layer may not import governance), so
the registry itself lives in core and this module re-exports it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from itfabrik.core.registry import (
    GovernedKind,
    governed_kind,
    governed_kinds,
    register_governed_kind,
)

__all__ = ["GovernedKind", "governed_kind", "governed_kinds", "register_governed_kind"]


def _register_builtin() -> None:
    from itfabrik.billing.models import AllocationKey
    from itfabrik.catalog.models import PriceList
    from itfabrik.servicedesk.models import SlaPolicy

    register_governed_kind(
        "price_list",
        label=_("Prislista"),
        model=PriceList,
        candidates=lambda coop: PriceList.objects.filter(cooperation=coop).order_by("-valid_from"),
        describe=lambda p: (
            f"{p.name} ({p.valid_from.isoformat()}–{p.valid_to.isoformat() if p.valid_to else ''})"
        ),
        url=lambda p: reverse("catalog:manage_price_list_detail", args=[p.pk]),
    )
    register_governed_kind(
        "allocation_key",
        label=_("Fördelningsnyckel"),
        model=AllocationKey,
        candidates=lambda coop: (
            AllocationKey.objects.filter(pool__cooperation=coop)
            .select_related("pool")
            .order_by("pool__name", "-valid_from")
        ),
        describe=lambda k: (
            f"{k.pool.name}: {k.get_method_display()} från {k.valid_from.isoformat()}"
        ),
    )
    register_governed_kind(
        "service_level",
        label=_("Servicenivå (SLA)"),
        model=SlaPolicy,
        candidates=lambda coop: SlaPolicy.objects.filter(cooperation=coop, is_active=True).order_by(
            "priority", "service_tier"
        ),
        describe=str,
        url=lambda p: reverse("servicedesk:manage_policy", args=[p.pk]),
    )


_register_builtin()
