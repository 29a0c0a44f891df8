from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskReportsConfig(AppConfig):
    name = "itfabrik.deskreports"
    label = "deskreports"
    verbose_name = _("Rapporter för servicedesken")
