from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailchannelConfig(AppConfig):
    name = "itfabrik.mailchannel"
    label = "mailchannel"
    verbose_name = _("E-postkanal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Replies and resolutions made on the service desk's own pages reach mail requesters.
        from itfabrik.servicedesk import hooks

        from . import services

        hooks.register_ticket_event(hooks.PUBLIC_REPLY, "mailchannel", services.on_public_reply)
        hooks.register_ticket_event(hooks.RESOLVED, "mailchannel", services.on_resolved)
