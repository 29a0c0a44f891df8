from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimestampedModel):
    """A business object whose concurrent edits are detected by a version number.

    A writer sends the version it read; `core.services.update_versioned` refuses the write with a
    Conflict when the row has moved on, so no edit is silently overwritten.
    """

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("Skapad")
    UPDATE = "update", _("Ändrad")
    DELETE = "delete", _("Borttagen")
    # An attempt a service refused (e.g. a role grant beyond the granter's own rights): nothing
    # changed, but the security officer must be able to see who tried what.
    REFUSE = "refuse", _("Nekad")


class AuditEntry(models.Model):
    """Who changed which business object when, with its values before and after.

    Append-only. `scope_path` is the organisation-tree path of the node the object belongs to, so
    the audit trail is scoped with the same prefix rule as everything else, without a join.
    """

    occurred_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too: the record must still say who it was if the account is ever removed.
    actor_repr = models.CharField(_("utförd av (namn)"), max_length=200)
    action = models.CharField(_("händelse"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("objekttyp"), max_length=100)
    object_id = models.CharField(_("objekt-id"), max_length=64)
    object_repr = models.CharField(_("objekt"), max_length=300)
    scope_path = models.CharField(_("organisationsväg"), max_length=255, blank=True)
    before = models.JSONField(_("före"), null=True, blank=True)
    after = models.JSONField(_("efter"), null=True, blank=True)
    changed_fields = models.JSONField(_("ändrade fält"), default=list, blank=True)
    request_id = models.CharField(_("anrops-id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("granskningspost")
        verbose_name_plural = _("granskningsposter")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-occurred_at"]),
            models.Index(fields=["scope_path", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
            models.Index(
                fields=["scope_path"],
                name="core_audit_scope_like",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"
        )

    @property
    def object_label(self) -> str:
        """`object_repr` in the reader's language where it names a choice (a role's name).

        The text was stored in the writer's language ("… – Beställare @ …"); the value behind the
        label is in before/after, so the label is swapped for the one of the active language.
        """
        from django.apps import apps
        from django.utils import translation

        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_repr
        data = {**(self.before or {}), **(self.after or {})}
        text = self.object_repr
        for field in model._meta.concrete_fields:
            if not field.choices or field.attname not in data:
                continue
            label = dict(field.flatchoices).get(data[field.attname])
            if label is None:
                continue
            wanted = str(label)
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    stored = str(label)
                if stored != wanted and stored in text:
                    text = text.replace(stored, wanted)
        return text
