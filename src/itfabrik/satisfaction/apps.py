from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "itfabrik.satisfaction"
    label = "satisfaction"
    verbose_name = _("Nöjdhet")
    default_auto_field = "django.db.models.BigAutoField"
