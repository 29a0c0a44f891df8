from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "itfabrik.servicedesk"
    label = "servicedesk"
    verbose_name = _("Servicedesk")
    default_auto_field = "django.db.models.BigAutoField"
