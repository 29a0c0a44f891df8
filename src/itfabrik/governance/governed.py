"""What a decision may govern: a registry of kinds that apps fill (`register_governed_kind`).

A decision links to any registered object by content type and id (`GovernedLink`). Apps below
governance are registered here (price-list versions, allocation keys, service levels); an app above
registers its own kinds (an initiative, a risk acceptance) from its `apps.py` `ready()`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class GovernedKind:
    """`candidates(cooperation)` gives the objects of a cooperation that may be linked;
    `describe(obj)` the text kept on the link; `url(obj)` where to read the object (optional)."""

    key: str
    label: Any
    model: type[Model]
    candidates: Callable[[Any], QuerySet[Any]]
    describe: Callable[[Any], str] = str
    url: Callable[[Any], str | None] | None = None


_KINDS: dict[str, GovernedKind] = {}


def register_governed_kind(
    key: str,
    *,
    label: Any,
    model: type[Model],
    candidates: Callable[[Any], QuerySet[Any]],
    describe: Callable[[Any], str] = str,
    url: Callable[[Any], str | None] | None = None,
) -> None:
    existing = _KINDS.get(key)
    if existing is not None and existing.model is not model:
        raise ValueError(f"governed kind {key!r} is already registered for {existing.model}")
    _KINDS[key] = GovernedKind(key, label, model, candidates, describe, url)


def governed_kinds() -> list[GovernedKind]:
    return [_KINDS[k] for k in sorted(_KINDS)]


def governed_kind(key: str) -> GovernedKind | None:
    return _KINDS.get(key)


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
