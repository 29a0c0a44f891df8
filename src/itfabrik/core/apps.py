from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "itfabrik.core"
    label = "core"
    verbose_name = _("Kärna")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401  (registers the system checks)

        # Every installed app's contributions (core.registry); demo steps load with the demo.
        autodiscover_modules("permissions", "navigation")
