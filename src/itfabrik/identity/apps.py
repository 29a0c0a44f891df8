from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "itfabrik.identity"
    label = "identity"
    verbose_name = _("Identitet och behörighet")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A sign-in with OpenID Connect is matched to the provisioned account (issue 10, point 9).
        from itfabrik.accounts.oidc import register_account_matcher

        from .oidc import match_provisioned_account

        register_account_matcher(match_provisioned_account)
