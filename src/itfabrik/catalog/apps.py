from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "itfabrik.catalog"
    label = "catalog"
    verbose_name = _("Tjänstekatalog och beställningar")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import charging  # noqa: F401  (registers the subscriptions with billing)
        from . import key_bases  # noqa: F401  (registers the devices key basis with billing)
