from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "itfabrik.network"
    label = "network"
    verbose_name = _("Nätverksstandard")
    default_auto_field = "django.db.models.BigAutoField"
