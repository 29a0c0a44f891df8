from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "itfabrik.assets"
    label = "assets"
    verbose_name = _("Enheter")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registered with billing: deployed devices, charged through the catalogue (a source).
        from . import charging  # noqa: F401
