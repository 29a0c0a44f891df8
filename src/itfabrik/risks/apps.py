from typing import Any

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "itfabrik.risks"
    label = "risks"
    verbose_name = _("Risker")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A decision may accept a risk (issue 11): only a risk whose treatment is "accept" may
        # be linked. Governance is in this app's layer, so the kind goes through core's registry.
        from itfabrik.core.registry import register_governed_kind

        from .choices import Treatment
        from .models import Risk

        def candidates(cooperation: Any) -> Any:
            return Risk.objects.filter(
                cooperation=cooperation, treatment=Treatment.ACCEPT
            ).order_by("-score", "pk")

        def refusal(cooperation: Any, object_id: int) -> Any:
            if Risk.objects.filter(cooperation=cooperation, pk=object_id).exists():
                return _(
                    "Risken är inte accepterad: bara en risk vars hantering är ”Acceptera” kan "
                    "länkas som riskacceptans."
                )
            return None

        register_governed_kind(
            "risk_acceptance",
            label=_("Riskacceptans"),
            model=Risk,
            candidates=candidates,
            describe=lambda r: f"{r.title} ({r.score})",
            url=lambda r: reverse("risks:detail", args=[r.pk]),
            refusal=refusal,
        )
