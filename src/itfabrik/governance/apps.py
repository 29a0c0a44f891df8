from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "itfabrik.governance"
    label = "governance"
    verbose_name = _("Styrning och samverkan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The kinds of object a decision may govern that live below this app (R5).
        from . import governed  # noqa: F401
