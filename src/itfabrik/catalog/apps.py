from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "itfabrik.catalog"
    label = "catalog"
    verbose_name = _("Tjänstekatalog och beställningar")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registered with billing: the subscriptions (a charge source), devices (a key basis).
        from . import charging, key_bases  # noqa: F401
