from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who may read a published article."""

    EVERYONE = "everyone", _("Alla i samverkan")
    MUNICIPALITY = "municipality", _("En kommun")
    STAFF = "staff", _("Endast IT-organisationens personal")


class ArticleKind(models.TextChoices):
    """An ordinary help article, or a known error published from a problem ticket (ADR 0039)."""

    ARTICLE = "article", _("Artikel")
    KNOWN_ERROR = "known_error", _("Känt fel")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publicerad")
    ARCHIVED = "archived", _("Arkiverad")


class ArticleOrdering(models.TextChoices):
    """Sort orders of the staff list (each backed by an index)."""

    UPDATED = "-updated_at", _("Senast ändrad")
    TITLE = "title", _("Rubrik")
    PUBLISHED = "-published_at", _("Senast publicerad")
