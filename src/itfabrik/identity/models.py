"""Identity and access of the municipalities' staff (R28).

A `Person` is a human the joint IT organisation manages accounts FOR; it is not an
`accounts.User` (a login to itfabrik itself), see ADR 0031. A person has employments (one or more
municipalities), exactly one standard account (a partial unique constraint), maybe privileged
accounts, and e-mail addresses per municipality of employment. Business roles of a municipality
(or unit) bundle entitlements; a grant gives an entitlement to an account, through a role or
directly (then approved and with an end date). Nothing is deleted: employments end, accounts
are disabled, grants are revoked.

The personal identity number is stored compact (ÅÅÅÅMMDDNNNN); the services never write it to
the audit trail in clear (only masked), and no page or endpoint puts it in an address.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from itfabrik.catalog.models import Order
from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from . import rules
from .choices import (
    AccountKind,
    AccountStatus,
    ChangeStatus,
    EntitlementKind,
    GrantSource,
    GrantStatus,
    ReviewDecision,
    ReviewStatus,
)


class NamingPolicy(VersionedModel):
    """How a cooperation names addresses and privileged accounts (one row per cooperation; the
    defaults apply where there is none)."""

    cooperation = models.OneToOneField(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    email_pattern = models.CharField(
        _("mönster för e-postadress"),
        max_length=60,
        default=rules.DEFAULT_PATTERN,
        help_text=_("{first} förnamn, {last} efternamn, {f} och {l} initialer."),
    )
    privileged_prefix = models.CharField(
        _("prefix för privilegierade konton"),
        max_length=10,
        default=rules.DEFAULT_PRIVILEGED_PREFIX,
    )

    class Meta:
        verbose_name = _("namnpolicy")
        verbose_name_plural = _("namnpolicyer")

    def __str__(self) -> str:
        return self.email_pattern


class Person(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    first_name = models.CharField(_("förnamn"), max_length=100)
    last_name = models.CharField(_("efternamn"), max_length=100)
    personal_number = models.CharField(_("personnummer"), max_length=12, blank=True)
    birth_date = models.DateField(_("födelsedatum"), null=True, blank=True)
    # The itfabrik login of this person, where they have one (a manager reviewing access).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inloggning i itfabrik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The scope of the person: the municipality of the first employment (the audit path and
    # the 404 of a person without a visible employment follow employments, not this).
    home = models.ForeignKey(
        OrgNode, verbose_name=_("hemkommun"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "personal_number"],
                condition=~Q(personal_number=""),
                name="identity_unique_personal_number",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="identity_person_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_personal_number(self) -> str:
        return rules.mask_personal_number(self.personal_number)


class Employment(VersionedModel):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="employments"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgNode, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("befattning"), max_length=150)
    start = models.DateField(_("startdatum"))
    end = models.DateField(_("slutdatum"), null=True, blank=True)
    business_role = models.ForeignKey(
        "BusinessRole",
        verbose_name=_("verksamhetsroll"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The joiner's catalogue order for the standard package (R14), where one was made.
    order = models.ForeignKey(
        Order,
        verbose_name=_("beställning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set by the leaver job once the accounts were disabled for this ending (idempotence).
    ended_processed = models.BooleanField(_("avslut genomfört"), default=False)

    class Meta:
        verbose_name = _("anställning")
        verbose_name_plural = _("anställningar")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="identity_employment_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "end"], name="identity_employment_person_idx"),
            models.Index(fields=["municipality", "end"], name="identity_employment_muni_idx"),
            models.Index(fields=["ended_processed", "end"], name="identity_employment_leave_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.title}"


class Account(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kontotyp"), max_length=12, choices=AccountKind.choices)
    username = models.CharField(_("användarnamn"), max_length=80)
    # The person who uses it (standard, privileged, external); a service account has an owner.
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("ägare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_accounts",
    )
    sponsor = models.ForeignKey(
        Person,
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_accounts",
    )
    expires_on = models.DateField(_("giltigt till"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    mfa_required = models.BooleanField(_("kräver tvåfaktorsinloggning"), default=True)
    mfa_enrolled = models.BooleanField(_("tvåfaktorsinloggning registrerad"), default=False)
    # Known to be used by several people (found in a review or a log analysis).
    is_shared = models.BooleanField(_("används av flera"), default=False)
    # The scope: the municipality the account belongs to (the person's home, the sponsor's).
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    disabled_on = models.DateField(_("spärrat"), null=True, blank=True)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    # Set by SCIM provisioning (ADR 0038): the identity provider's id of the account, and the day
    # the provider removed it (the row stays, disabled, as a record; SCIM no longer shows it).
    external_id = models.CharField(_("externt id"), max_length=255, blank=True)
    removed_on = models.DateField(_("borttaget av identitetsleverantören"), null=True, blank=True)
    # What the identity provider says of the account beyond its name (ADR 0038): the work phone
    # (SCIM phoneNumbers[type eq "work"]) and, as sent, the enterprise extension's organization
    # and department (they place the person: the employment is the record, these the source).
    work_phone = models.CharField(_("telefon (arbete)"), max_length=40, blank=True)
    provider_organization = models.CharField(
        _("organisation enligt identitetsleverantören"), max_length=200, blank=True
    )
    provider_department = models.CharField(
        _("avdelning enligt identitetsleverantören"), max_length=200, blank=True
    )
    # The enterprise extension's employeeNumber and manager, as sent (Entra ID's default mapping
    # sends both): a record of the provider's view, shown on the person; the manager is the
    # account the provider names, and is cleared if that account goes.
    provider_employee_number = models.CharField(
        _("anställningsnummer enligt identitetsleverantören"), max_length=100, blank=True
    )
    provider_manager = models.ForeignKey(
        "self",
        verbose_name=_("chef enligt identitetsleverantören"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("konto")
        verbose_name_plural = _("konton")
        ordering = ["username", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind=AccountKind.STANDARD),
                name="identity_one_standard_account",
            ),
            models.UniqueConstraint(
                fields=["cooperation", "username"], name="identity_unique_username"
            ),
            models.CheckConstraint(
                condition=~Q(kind=AccountKind.EXTERNAL)
                | (Q(sponsor__isnull=False) & Q(expires_on__isnull=False)),
                name="identity_external_sponsor_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AccountKind.SERVICE) | Q(owner__isnull=False),
                name="identity_service_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.SERVICE) | Q(person__isnull=False),
                name="identity_account_person",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "username"], name="identity_account_muni_idx"),
            models.Index(fields=["kind", "status"], name="identity_account_kind_idx"),
            models.Index(fields=["cooperation", "external_id"], name="identity_account_extid_idx"),
            # SCIM's `userName eq "…"` compares case-insensitively (iexact is UPPER() = UPPER()
            # on PostgreSQL), and so does the uniqueness check of a provisioned userName.
            models.Index(F("cooperation"), Upper("username"), name="identity_account_uname_ci_idx"),
        ]

    def __str__(self) -> str:
        return self.username


class MailAddress(TimestampedModel):
    """The address of a standard account in one municipality of employment (R28: one identity
    that still looks local)."""

    account = models.ForeignKey(
        Account, verbose_name=_("konto"), on_delete=models.PROTECT, related_name="addresses"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("e-postadress"), max_length=254, unique=True)

    class Meta:
        verbose_name = _("e-postadress")
        verbose_name_plural = _("e-postadresser")
        ordering = ["address"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "municipality"], name="identity_one_address_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.address


class LicencePool(VersionedModel):
    """Licences of one product bought under the one agreement (R28)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.CharField(_("produkt"), max_length=150)
    purchased = models.PositiveIntegerField(_("köpta"))
    monthly_price = models.DecimalField(
        _("pris per månad (kr)"), max_digits=10, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("licenspool")
        verbose_name_plural = _("licenspooler")
        ordering = ["product"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "product"], name="identity_unique_licence_product"
            )
        ]

    def __str__(self) -> str:
        return self.product


class Entitlement(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=150)
    kind = models.CharField(_("typ"), max_length=10, choices=EntitlementKind.choices)
    system = models.CharField(_("system"), max_length=150, blank=True)
    is_privileged = models.BooleanField(_("privilegierad"), default=False)
    licence_pool = models.ForeignKey(
        LicencePool,
        verbose_name=_("licenspool"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlements",
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    # The identity provider's id of a group provisioned over SCIM (ADR 0038).
    external_id = models.CharField(_("externt id"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("behörighet")
        verbose_name_plural = _("behörigheter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="identity_unique_entitlement"
            ),
            models.CheckConstraint(
                condition=~Q(kind=EntitlementKind.LICENCE) | Q(licence_pool__isnull=False),
                name="identity_licence_has_pool",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BusinessRole(VersionedModel):
    """A role defined locally by a municipality (or one of its units), e.g. home-care assistant
    in Mellerud; its owner approves when a person is given it."""

    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgNode,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("namn"), max_length=150)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rollägare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entitlements = models.ManyToManyField(
        Entitlement, verbose_name=_("behörigheter"), related_name="roles", blank=True
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("verksamhetsroll")
        verbose_name_plural = _("verksamhetsroller")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="identity_unique_role_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Grant(VersionedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("konto"), on_delete=models.PROTECT, related_name="grants"
    )
    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("behörighet"), on_delete=models.PROTECT, related_name="grants"
    )
    source = models.CharField(_("källa"), max_length=10, choices=GrantSource.choices)
    employment = models.ForeignKey(
        Employment,
        verbose_name=_("anställning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    status = models.CharField(_("status"), max_length=10, choices=GrantStatus.choices)
    valid_until = models.DateField(_("giltig till"), null=True, blank=True)
    reason = models.CharField(_("motivering"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("begärd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    ended_on = models.DateField(_("borttagen"), null=True, blank=True)

    class Meta:
        verbose_name = _("tilldelning")
        verbose_name_plural = _("tilldelningar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=GrantSource.DIRECT) | Q(valid_until__isnull=False),
                name="identity_direct_grant_end",
            ),
            models.UniqueConstraint(
                fields=["account", "entitlement"],
                condition=Q(status__in=["pending", "active"]),
                name="identity_one_live_grant",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "status"], name="identity_grant_account_idx"),
            models.Index(fields=["entitlement", "status"], name="identity_grant_ent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.entitlement_id}"


class RoleChange(VersionedModel):
    """A mover: an employment's business role to change, shown as a difference of entitlements
    and applied when the new role's owner (or the municipality's approver) approves."""

    employment = models.ForeignKey(
        Employment, verbose_name=_("anställning"), on_delete=models.PROTECT, related_name="+"
    )
    from_role = models.ForeignKey(
        BusinessRole,
        verbose_name=_("från roll"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_role = models.ForeignKey(
        BusinessRole, verbose_name=_("till roll"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("begärd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rollbyte")
        verbose_name_plural = _("rollbyten")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employment"],
                condition=Q(status="pending"),
                name="identity_one_pending_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employment_id}: {self.from_role_id} → {self.to_role_id}"


class ReviewCampaign(VersionedModel):
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=150)
    due = models.DateField(_("sista dag"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )

    class Meta:
        verbose_name = _("behörighetsgranskning")
        verbose_name_plural = _("behörighetsgranskningar")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class ReviewItem(VersionedModel):
    """One entitlement of one person in a campaign, decided by a manager of the person's unit."""

    campaign = models.ForeignKey(
        ReviewCampaign, verbose_name=_("granskning"), on_delete=models.PROTECT, related_name="items"
    )
    grant = models.ForeignKey(
        Grant, verbose_name=_("tilldelning"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgNode, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("beslut"), max_length=10, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granskad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("granskad"), null=True, blank=True)

    class Meta:
        verbose_name = _("granskningspost")
        verbose_name_plural = _("granskningsposter")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "grant"], name="identity_unique_review_item"
            )
        ]
        indexes = [
            models.Index(fields=["campaign", "unit", "decision"], name="identity_review_idx")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.grant_id}"


class ScimToken(TimestampedModel):
    """A bearer token of a SCIM client (e.g. Entra ID provisioning) of one cooperation (ADR 0038).

    Only a SHA-256 hash of the token is stored: the token is a long random string shown once, so
    a fast hash is enough (nothing to guess), and a lookup by hash is one indexed query."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=100)
    token_hash = models.CharField(_("kontrollsumma"), max_length=64, unique=True)
    prefix = models.CharField(_("början av nyckeln"), max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("SCIM-nyckel")
        verbose_name_plural = _("SCIM-nycklar")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def _register_constraint_messages() -> None:
    from itfabrik.core.constraints import register

    register(
        "identity_unique_personal_number",
        field="personal_number",
        message=lambda person, other: _("Det finns redan en person med det personnumret."),
    )
    register(
        "identity_employment_dates",
        field="end",
        message=lambda employment: _("Slutdatum kan inte vara före startdatum."),
    )
    register(
        "identity_one_standard_account",
        field="kind",
        message=lambda account, other: _("Personen har redan ett standardkonto."),
    )
    register(
        "identity_unique_username",
        field="username",
        message=lambda account, other: _("Användarnamnet är upptaget."),
    )
    register(
        "identity_external_sponsor_expiry",
        field="expires_on",
        message=lambda account: _("Ett externt konto måste ha en sponsor och ett slutdatum."),
    )
    register(
        "identity_service_owner",
        field="owner",
        message=lambda account: _("Ett tjänstekonto måste ha en ägare."),
    )
    register(
        "identity_account_person",
        field="person",
        message=lambda account: _("Välj personen som kontot tillhör."),
    )
    register(
        "identity_one_address_per_municipality",
        field="municipality",
        message=lambda address, other: _("Kontot har redan en adress i den kommunen."),
    )
    register(
        "identity_unique_licence_product",
        field="product",
        message=lambda pool, other: _("Det finns redan en licenspool för produkten."),
    )
    register(
        "identity_unique_entitlement",
        field="name",
        message=lambda ent, other: _("Det finns redan en behörighet med det namnet."),
    )
    register(
        "identity_licence_has_pool",
        field="licence_pool",
        message=lambda ent: _("En licens måste höra till en licenspool."),
    )
    register(
        "identity_unique_role_name",
        field="name",
        message=lambda role, other: _("Kommunen har redan en roll med det namnet."),
    )
    register(
        "identity_direct_grant_end",
        field="valid_until",
        message=lambda grant: _("En direkt tilldelning måste ha ett slutdatum."),
    )
    register(
        "identity_one_live_grant",
        field="entitlement",
        message=lambda grant, other: _("Kontot har redan den behörigheten."),
    )
    register(
        "identity_one_pending_change",
        field="to_role",
        message=lambda change, other: _("Anställningen har redan ett rollbyte som väntar."),
    )
    register(
        "identity_unique_review_item",
        field="grant",
        message=lambda item, other: _("Tilldelningen finns redan i granskningen."),
    )


_register_constraint_messages()
