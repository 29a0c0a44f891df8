from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import TimestampedModel

from .choices import Role


class User(AbstractUser):
    """A person who signs in. Identity is constant; what they may do comes from role assignments."""

    # Credential events recorded on the account (`services.credential_event`) are not columns:
    # the audit trail's display takes their labels from here.
    AUDIT_LABELS: ClassVar[dict[str, Any]] = {
        "api_token": _("API-nyckel"),
        "two_factor": _("Tvåfaktorsinloggning"),
        "password": _("Lösenord"),
        # A refused attempt (AuditAction.REFUSE), e.g. a username that cannot be had.
        "attempt": _("Försök"),
        "refused": _("Nekat på grund av"),
    }

    home_unit = models.ForeignKey(
        "tenancy.OrgNode",
        verbose_name=_("arbetsplats"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    # Empty: no choice made, the browser's or the site's language applies.
    preferred_language = models.CharField(
        _("språk"), max_length=5, choices=settings.LANGUAGES, blank=True, default=""
    )
    is_vip = models.BooleanField(_("prioriterad person (VIP)"), default=False)
    # OpenID Connect: who the identity provider says this is, by a claim that never changes
    # (Entra ID's `oid`, else `sub`). Set at the first sign-in, matched on every one after it.
    oidc_issuer = models.CharField(_("OIDC-utfärdare"), max_length=255, blank=True, default="")
    oidc_subject = models.CharField(
        _("OIDC-identitet"), max_length=255, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="accounts_unique_oidc_identity",
            )
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username


class RoleAssignment(TimestampedModel):
    """User × role × organisation node × recursive: the only source of what a user may do."""

    # Keys of a refused grant or end (AuditAction.REFUSE) that are not columns, for the display.
    AUDIT_LABELS: ClassVar[dict[str, Any]] = {
        "attempt": _("Försök"),
        "refused": _("Nekat på grund av"),
        "error": _("Svar"),
    }

    user = models.ForeignKey(
        User, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    node = models.ForeignKey(
        "tenancy.OrgNode",
        verbose_name=_("del av organisationen"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    recursive = models.BooleanField(
        _("gäller underliggande"),
        default=True,
        help_text=_("Gäller även allt som ligger under den valda delen av organisationen."),
    )
    # The first day the role gives access. A role can be granted ahead of the day it starts.
    valid_from = models.DateField(_("gäller från"), default=timezone.localdate)
    valid_until = models.DateField(_("gäller till"), null=True, blank=True)

    class Meta:
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "node"], name="accounts_unique_assignment"
            )
        ]
        indexes = [models.Index(fields=["role", "node"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} @ {self.node}"


class ActiveAssignmentQ:
    """Assignments by where a day falls in their time: started and not ended (active), not ended
    (active or still to come)."""

    @staticmethod
    def on(day: object) -> Q:
        return Q(valid_from__lte=day) & ActiveAssignmentQ.not_ended(day)

    @staticmethod
    def not_ended(day: object) -> Q:
        return Q(valid_until__isnull=True) | Q(valid_until__gte=day)


def _register_constraint_messages() -> None:
    from itfabrik.core.constraints import register

    register(
        "accounts_unique_assignment",
        field="role",
        message=lambda assignment, other: _("Användaren har redan den rollen där."),
    )
    # Never says whose account: the identity is a credential.
    register(
        "accounts_unique_oidc_identity",
        field="oidc_subject",
        message=lambda user, other: _("Inloggningsidentiteten hör redan till ett annat konto."),
    )


_register_constraint_messages()
