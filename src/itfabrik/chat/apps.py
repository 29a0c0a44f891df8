from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "itfabrik.chat"
    label = "chat"
    verbose_name = _("Chatt")
    default_auto_field = "django.db.models.BigAutoField"
