from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "itfabrik.identity"
    label = "identity"
    verbose_name = _("Identitet och behörighet")
    default_auto_field = "django.db.models.BigAutoField"
