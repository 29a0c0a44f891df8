from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "itfabrik.tenancy"
    label = "tenancy"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from itfabrik.core.registry import set_cooperation_resolver

        from .selectors import current_cooperation_get

        set_cooperation_resolver(current_cooperation_get)
