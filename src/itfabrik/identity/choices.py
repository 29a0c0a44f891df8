from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    STANDARD = "standard", _("Standardkonto")
    PRIVILEGED = "privileged", _("Privilegierat konto")
    EXTERNAL = "external", _("Externt konto")
    SERVICE = "service", _("Tjänstekonto")


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Aktivt")
    DISABLED = "disabled", _("Spärrat")


class EntitlementKind(models.TextChoices):
    SYSTEM = "system", _("Behörighet i verksamhetssystem")
    GROUP = "group", _("Grupp")
    LICENCE = "licence", _("Licens")


class GrantSource(models.TextChoices):
    ROLE = "role", _("Via roll")
    DIRECT = "direct", _("Direkt tilldelning")
    # A member of a group the identity provider manages over SCIM (ADR 0038).
    PROVISIONED = "scim", _("Via identitetsleverantören (SCIM)")


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på godkännande")
    ACTIVE = "active", _("Aktiv")
    REJECTED = "rejected", _("Avslagen")
    REVOKED = "revoked", _("Borttagen")


LIVE_GRANT = (GrantStatus.PENDING, GrantStatus.ACTIVE)


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Väntar på godkännande")
    APPLIED = "applied", _("Genomförd")
    REJECTED = "rejected", _("Avslagen")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Pågår")
    CLOSED = "closed", _("Avslutad")


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Ej granskad")
    CONFIRMED = "confirmed", _("Bekräftad")
    REVOKED = "revoked", _("Återkallad")


class ViolationKind(models.TextChoices):
    PRIVILEGED_ON_STANDARD = (
        "privileged_on_standard",
        _("Privilegierad behörighet på standardkonto"),
    )
    MISSING_MFA = "missing_mfa", _("Privilegierat konto utan tvåfaktorsinloggning")
    NO_EMPLOYMENT = "no_employment", _("Aktivt konto utan aktiv anställning")
    EXTERNAL_EXPIRED = "external_expired", _("Externt konto efter slutdatum")
    DUPLICATE_PERSON = "duplicate_person", _("Trolig dubblett av person")
    SHARED_ACCOUNT = "shared_account", _("Delat konto")
