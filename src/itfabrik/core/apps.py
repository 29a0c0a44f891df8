from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "itfabrik.core"
    label = "core"
    verbose_name = _("Kärna")

    def ready(self) -> None:
        _api_messages()


def _api_messages() -> None:
    """The API's messages for too long text and a bad date, in our words and both languages.

    DRF's own Swedish translation says "Använde ett av dessa format" (a typo) and gives Python's
    format codes; its "no more than" does not name the limit the way the web form does.
    """
    from rest_framework import fields

    from .web.forms import DATE_FORMAT_MESSAGE

    fields.CharField.default_error_messages = {
        **fields.CharField.default_error_messages,
        "max_length": _("Texten är för lång: högst {max_length} tecken."),
    }
    fields.DateField.default_error_messages = {
        **fields.DateField.default_error_messages,
        "invalid": DATE_FORMAT_MESSAGE,
    }
