from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "itfabrik.bookings"
    label = "bookings"
    verbose_name = _("Besöksbokning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A ticket resolved on any page frees the visit still ahead of it (ADR 0052).
        from itfabrik.servicedesk import hooks

        from . import services

        hooks.register_ticket_event(hooks.RESOLVED, "bookings", services.on_resolved)
