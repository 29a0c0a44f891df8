from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailchannelConfig(AppConfig):
    name = "itfabrik.mailchannel"
    label = "mailchannel"
    verbose_name = _("E-postkanal")
    default_auto_field = "django.db.models.BigAutoField"
