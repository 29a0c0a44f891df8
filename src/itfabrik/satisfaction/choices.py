from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("Portalen")
    LINK = "link", _("Länk i e-post")
    API = "api", _("API")


class Score(models.IntegerChoices):
    VERY_BAD = 1, _("1 – mycket missnöjd")
    BAD = 2, _("2 – missnöjd")
    NEUTRAL = 3, _("3 – varken eller")
    GOOD = 4, _("4 – nöjd")
    VERY_GOOD = 5, _("5 – mycket nöjd")


class Dimension(models.TextChoices):
    """What a satisfaction report groups the resolved tickets by."""

    MUNICIPALITY = "municipality", _("Kommun")
    GROUP = "group", _("Grupp")
    SERVICE = "service", _("Tjänst")
    MONTH = "month", _("Månad")
