from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "itfabrik.bookings"
    label = "bookings"
    verbose_name = _("Besöksbokning")
    default_auto_field = "django.db.models.BigAutoField"
