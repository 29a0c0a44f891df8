from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsConfig(AppConfig):
    name = "itfabrik.systems"
    label = "systems"
    verbose_name = _("Verksamhetssystem")
    default_auto_field = "django.db.models.BigAutoField"
