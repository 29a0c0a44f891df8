from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "itfabrik.knowledge"
    label = "knowledge"
    verbose_name = _("Kunskapsbank")
    default_auto_field = "django.db.models.BigAutoField"
