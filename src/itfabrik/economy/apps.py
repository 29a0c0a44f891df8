from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "itfabrik.economy"
    label = "economy"
    verbose_name = _("Ekonomisk baslinje")
    default_auto_field = "django.db.models.BigAutoField"
