from typing import Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "itfabrik.portfolio"
    label = "portfolio"
    verbose_name = _("Digitaliseringsportfölj")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A decision of the IT council may govern an initiative (issue 11). Governance is in
        # this app's layer, so the kind is registered through core's registry.
        from itfabrik.core.registry import register_governed_kind

        from .models import Initiative

        def candidates(cooperation: Any) -> Any:
            return Initiative.objects.filter(cooperation=cooperation).order_by("code")

        register_governed_kind(
            "initiative",
            label=_("Initiativ"),
            model=Initiative,
            candidates=candidates,
            describe=str,
            url=lambda i: reverse("portfolio:detail", args=[i.pk]),
        )
