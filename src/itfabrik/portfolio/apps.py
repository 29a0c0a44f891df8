from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "itfabrik.portfolio"
    label = "portfolio"
    verbose_name = _("Digitaliseringsportfölj")
    default_auto_field = "django.db.models.BigAutoField"
