from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import TimestampedModel


class AccessibilityReport(TimestampedModel):
    """A problem with accessibility reported through the accessibility statement (DOS-lagen).

    Until ADR 0019 this model lived in `core`; its rows were kept (migrations 0001 and 0002).
    """

    page_url = models.CharField(_("sida"), max_length=500, blank=True)
    description = models.TextField(_("beskrivning"), max_length=5000)
    contact_email = models.EmailField(_("e-post för svar"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporterad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    forwarded_at = models.DateTimeField(_("vidarebefordrad"), null=True, blank=True)

    class Meta:
        verbose_name = _("tillgänglighetsrapport")
        verbose_name_plural = _("tillgänglighetsrapporter")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.page_url}"
