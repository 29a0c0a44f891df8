from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    name = "itfabrik.accessibility"
    label = "accessibility"
    verbose_name = _("Tillgänglighet")
    default_auto_field = "django.db.models.BigAutoField"
