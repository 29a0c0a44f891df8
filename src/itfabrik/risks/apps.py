from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "itfabrik.risks"
    label = "risks"
    verbose_name = _("Risker")
    default_auto_field = "django.db.models.BigAutoField"
