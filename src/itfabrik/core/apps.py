from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "itfabrik.core"
    label = "core"
    verbose_name = _("Kärna")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401  (registers the system checks)

        # Every installed app's contributions (core.registry); demo steps load with the demo.
        autodiscover_modules("permissions", "navigation")
        _our_messages()


TOO_LONG = _("Texten är för lång: högst %(limit_value)s tecken.")
TOO_LONG_API = _("Texten är för lång: högst {max_length} tecken.")
DATE_FORMAT = _("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-31.")


def _our_messages() -> None:
    """Too long text and a bad date, in our words, the same in the web forms and the API.

    Django's Swedish says "som mest 200 tecken (den har 5000)"; DRF's Swedish says "Använde ett
    av dessa format" (a typo) and gives Python's format codes. Set once here so that every form,
    model and serializer gives the same sentence with the limit named.
    """
    from django.core import validators
    from rest_framework import fields

    validators.MaxLengthValidator.message = TOO_LONG
    fields.CharField.default_error_messages = {
        **fields.CharField.default_error_messages,
        "max_length": TOO_LONG_API,
    }
    fields.DateField.default_error_messages = {
        **fields.DateField.default_error_messages,
        "invalid": DATE_FORMAT,
    }
