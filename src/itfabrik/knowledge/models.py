"""The knowledge base: articles with their published versions, feedback, and deflections.

An `Article` holds its current text; every publication of it is kept as an `ArticleRevision`
("version N of date"), so the history can be read and earlier texts are never lost. Articles are
archived, never deleted. Feedback ("Hjälpte det här?") is given per published version, once per
person; a `Deflection` records that an article solved a person's problem without a ticket
(counted by the service desk's reports).

Search: on PostgreSQL an expression GIN index over the Swedish text-search vector of title,
summary and body; on SQLite the FTS5 table `knowledge_article_fts`, kept by the services. Both
are created by migration 0002 for their database only (ADR 0021).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itfabrik.catalog.models import ServiceArea
from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import ArticleKind, ArticleStatus, Audience

TITLE_MAX = 200
SUMMARY_MAX = 500
BODY_MAX = 20000
COMMENT_MAX = 1000
QUERY_MAX = 200
REFERENCE_MAX = 20


class Article(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("tjänsteområde"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("rubrik"), max_length=TITLE_MAX)
    summary = models.CharField(_("sammanfattning"), max_length=SUMMARY_MAX, blank=True)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    audience = models.CharField(
        _("målgrupp"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    municipality = models.ForeignKey(
        OrgNode,
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(
        _("slag"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.ARTICLE
    )
    # Known errors (ADR 0039): the reference of the problem ticket the article was published
    # from, and when that problem was resolved (NULL: the error is still there).
    source_reference = models.CharField(_("ärendenummer"), max_length=REFERENCE_MAX, blank=True)
    fixed_at = models.DateTimeField(_("åtgärdat"), null=True, blank=True)
    # The number of the current published version (0: never published).
    revision = models.PositiveIntegerField(_("publicerad version"), default=0)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artiklar")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["cooperation", "status", "-updated_at"]),
            models.Index(fields=["cooperation", "title"]),
            models.Index(fields=["cooperation", "-published_at"]),
            models.Index(fields=["area", "status"]),
            models.Index(fields=["cooperation", "kind", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(audience=Audience.MUNICIPALITY) & Q(municipality__isnull=False))
                | (~Q(audience=Audience.MUNICIPALITY) & Q(municipality__isnull=True)),
                name="knowledge_article_municipality_audience",
                violation_error_message=_("Ange kommun när målgruppen är en kommun, och bara då."),
            ),
            # One known-error article per problem: publishing again updates it.
            models.UniqueConstraint(
                fields=["cooperation", "source_reference"],
                condition=Q(kind=ArticleKind.KNOWN_ERROR),
                name="knowledge_one_article_per_known_error",
                violation_error_message=_("Problemet är redan publicerat som känt fel."),
            ),
            models.CheckConstraint(
                condition=Q(kind=ArticleKind.ARTICLE) | ~Q(source_reference=""),
                name="knowledge_known_error_has_reference",
                violation_error_message=_("Ett känt fel anger problemets ärendenummer."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(TimestampedModel):
    """One published text of an article ("version N"): kept for ever."""

    article = models.ForeignKey(
        Article, verbose_name=_("artikel"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("versionsnummer"))
    title = models.CharField(_("rubrik"), max_length=TITLE_MAX)
    summary = models.CharField(_("sammanfattning"), max_length=SUMMARY_MAX, blank=True)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    published_at = models.DateTimeField(_("publicerad"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("artikelversion")
        verbose_name_plural = _("artikelversioner")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="knowledge_unique_revision_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class ArticleFeedback(TimestampedModel):
    """ "Hjälpte det här?": one answer per person and published version (changeable)."""

    article = models.ForeignKey(
        Article, verbose_name=_("artikel"), on_delete=models.PROTECT, related_name="feedback"
    )
    revision = models.ForeignKey(
        ArticleRevision, verbose_name=_("version"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    helpful = models.BooleanField(_("hjälpte"))
    comment = models.TextField(_("kommentar"), blank=True, max_length=COMMENT_MAX)

    class Meta:
        verbose_name = _("återkoppling")
        verbose_name_plural = _("återkopplingar")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "user"], name="knowledge_one_feedback_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id}/{self.revision_id}: {self.helpful}"


class Deflection(models.Model):
    """A problem an article solved ("Det här löste mitt problem"): a ticket not needed."""

    occurred_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        OrgNode,
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("artikel"), on_delete=models.PROTECT, related_name="deflections"
    )
    query = models.CharField(_("sökning"), max_length=QUERY_MAX, blank=True)

    class Meta:
        verbose_name = _("löst utan ärende")
        verbose_name_plural = _("lösta utan ärende")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["cooperation", "occurred_at"]),
            models.Index(fields=["municipality", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.occurred_at:%Y-%m-%d}"
