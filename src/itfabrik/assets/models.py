"""The device register (R23, R25-R27): the model catalogue, devices through their lifecycle,
leases and the devices on them, compliance exceptions, and imports of device-management exports.

A device belongs to a municipality (its owning unit's), which is what scopes it; `municipality`
is stored on the device so that the list filtered by municipality and state and sorted by lease
end is one index range. `lease_end` and `kind` are copied from the lease and the model for the
same reason; the services keep them in step. Nothing is deleted: a device ends returned or
disposed, a lease is ended with its return status, an exception expires or is withdrawn.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itfabrik.core.klassa import Level
from itfabrik.core.models import VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import DeviceKind, DeviceState, ImportStatus, Ownership, ReturnStatus, Rule


class DeviceModel(VersionedModel):
    """A model of the catalogue: what a device is, how long it is leased and supported, and
    what replacing it costs."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    manufacturer = models.CharField(_("tillverkare"), max_length=100)
    name = models.CharField(_("modell"), max_length=150)
    kind = models.CharField(_("enhetstyp"), max_length=20, choices=DeviceKind.choices)
    end_of_support = models.DateField(_("supporten upphör"), null=True, blank=True)
    lease_months = models.PositiveSmallIntegerField(
        _("standardlängd på leasing (månader)"), default=36, validators=[MinValueValidator(1)]
    )
    price = models.DecimalField(
        _("pris vid utbyte"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("enhetsmodell")
        verbose_name_plural = _("enhetsmodeller")
        ordering = ["manufacturer", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "manufacturer", "name"], name="assets_unique_model"
            )
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.name}"


class Lease(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    lessor = models.CharField(_("leasegivare"), max_length=150)
    contract_number = models.CharField(_("avtalsnummer"), max_length=60)
    starts_on = models.DateField(_("startdatum"))
    ends_on = models.DateField(_("slutdatum"))
    monthly_cost = models.DecimalField(
        _("månadskostnad"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    buyout_price = models.DecimalField(
        _("utköpspris"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    return_status = models.CharField(
        _("återlämning"), max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.RUNNING
    )

    class Meta:
        verbose_name = _("leasingavtal")
        verbose_name_plural = _("leasingavtal")
        ordering = ["ends_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "lessor", "contract_number"], name="assets_unique_lease"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="assets_lease_dates"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "ends_on"], name="assets_lease_end_idx")]

    def __str__(self) -> str:
        return f"{self.lessor} {self.contract_number}"


class Device(VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    owner_unit = models.ForeignKey(
        OrgNode,
        verbose_name=_("ägande enhet"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Enheten (kostnadsstället) som enheten debiteras."),
    )
    model = models.ForeignKey(
        DeviceModel, verbose_name=_("modell"), on_delete=models.PROTECT, related_name="devices"
    )
    kind = models.CharField(_("enhetstyp"), max_length=20, choices=DeviceKind.choices)
    manufacturer = models.CharField(_("tillverkare"), max_length=100)
    serial_number = models.CharField(_("serienummer"), max_length=100)
    asset_tag = models.CharField(_("inventarienummer"), max_length=50, blank=True)
    name = models.CharField(_("enhetsnamn"), max_length=100, blank=True)
    site = models.CharField(_("plats"), max_length=150, blank=True)
    current_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nuvarande användare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="devices",
    )
    state = models.CharField(
        _("livscykelsteg"),
        max_length=20,
        choices=DeviceState.choices,
        default=DeviceState.NEEDS_ANALYSIS,
    )
    state_since = models.DateField(_("i steget sedan"), null=True, blank=True)
    ownership = models.CharField(
        _("ägandeform"), max_length=10, choices=Ownership.choices, default=Ownership.LEASED
    )
    lease = models.ForeignKey(
        Lease,
        verbose_name=_("leasingavtal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
    )
    lease_end = models.DateField(_("leasingen slutar"), null=True, blank=True)
    purchased_on = models.DateField(_("inköpsdatum"), null=True, blank=True)
    purchase_price = models.DecimalField(
        _("inköpspris"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    os = models.CharField(_("operativsystem"), max_length=60, blank=True)
    os_version = models.CharField(_("version"), max_length=60, blank=True)
    encrypted = models.BooleanField(_("krypterad"), null=True, blank=True)
    managed = models.BooleanField(_("ansluten till enhetshantering"), default=False)
    last_check_in = models.DateTimeField(_("senaste kontakt"), null=True, blank=True)
    mdm_compliance = models.CharField(_("efterlevnad enligt MDM"), max_length=30, blank=True)
    local_admin = models.BooleanField(_("lokal administratör hittad"), default=False)
    security_level = models.PositiveSmallIntegerField(
        _("säkerhetsnivå (KLASSA)"), null=True, blank=True, choices=Level.choices
    )
    erasure_certificate = models.CharField(_("intyg om dataradering"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["lease_end", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "manufacturer", "serial_number"],
                name="assets_unique_serial",
            ),
            models.UniqueConstraint(
                fields=["cooperation", "asset_tag"],
                condition=~Q(asset_tag=""),
                name="assets_unique_asset_tag",
            ),
        ]
        indexes = [
            # The device list: a municipality's devices in a state, soonest lease end first.
            models.Index(
                fields=["municipality", "state", "lease_end", "id"], name="assets_list_idx"
            ),
            models.Index(fields=["municipality", "lease_end", "id"], name="assets_mun_end_idx"),
            models.Index(fields=["municipality", "kind", "state"], name="assets_kind_idx"),
            models.Index(fields=["current_user", "state"], name="assets_user_idx"),
        ]

    def __str__(self) -> str:
        return self.asset_tag or f"{self.manufacturer} {self.serial_number}"


class DeviceEvent(models.Model):
    """One step of a device's history: a lifecycle transition (or its registration), dated."""

    device = models.ForeignKey(
        Device, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="events"
    )
    from_state = models.CharField(_("från"), max_length=20, choices=DeviceState.choices, blank=True)
    to_state = models.CharField(_("till"), max_length=20, choices=DeviceState.choices)
    occurred_on = models.DateField(_("datum"))
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("anteckning"), max_length=500, blank=True)
    # The owning unit from this step on: the history says who had the device when, which is what
    # charging by the day needs (a move between units is a step that keeps the state). Empty on
    # rows written before units were recorded: the device's unit then.
    owner_unit = models.ForeignKey(
        OrgNode,
        verbose_name=_("ägande enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The model from this step on: a change of model is a dated step (it may change the
    # catalogue service the device is charged through). Empty: the model of the step before (a
    # transition or a move keeps the model); on the first steps, the device's model.
    model = models.ForeignKey(
        DeviceModel,
        verbose_name=_("modell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["device", "-occurred_on"], name="assets_event_idx")]

    def __str__(self) -> str:
        return f"{self.device_id}: {self.from_state} → {self.to_state}"


class ComplianceException(VersionedModel):
    """A decision that a device may break one rule of the policy until a date."""

    device = models.ForeignKey(
        Device, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="exceptions"
    )
    rule = models.CharField(_("regel"), max_length=20, choices=Rule.choices)
    decision = models.TextField(_("beslut"))
    reference = models.CharField(_("diarienummer"), max_length=100, blank=True)
    valid_until = models.DateField(_("gäller till och med"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beviljat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("gäller"), default=True)

    class Meta:
        verbose_name = _("undantag")
        verbose_name_plural = _("undantag")
        ordering = ["valid_until", "pk"]
        indexes = [
            models.Index(fields=["device", "rule", "valid_until"], name="assets_exception_idx")
        ]

    def __str__(self) -> str:
        return f"{self.device_id} {self.rule} → {self.valid_until}"


class ChargeMapping(VersionedModel):
    """Which catalogue service a deployed device is charged through, each month, to its owning
    unit (issue 9, point 8): per device kind, or per model (a model's mapping wins over its
    kind's). No service means "not charged" (e.g. monitors included in the workplace), which
    silences the billing run's warning about devices without a service. Removed mappings stay,
    inactive (public records)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("enhetstyp"), max_length=20, choices=DeviceKind.choices)
    model = models.ForeignKey(
        DeviceModel,
        verbose_name=_("modell"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="charge_mappings",
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("katalogtjänst"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("gäller"), default=True)

    class Meta:
        verbose_name = _("debitering av enhetstyp")
        verbose_name_plural = _("debitering av enhetstyper")
        ordering = ["kind", "model__manufacturer", "model__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "kind"],
                condition=Q(model__isnull=True),
                name="assets_one_mapping_per_kind",
            ),
            models.UniqueConstraint(
                fields=["cooperation", "model"],
                condition=Q(model__isnull=False),
                name="assets_one_mapping_per_model",
            ),
        ]

    def __str__(self) -> str:
        what = str(self.model) if self.model_id else self.get_kind_display()
        return f"{what} → {self.service or '–'}"


class DeviceImport(VersionedModel):
    """A device-management export: checked at once (every row's action and errors), then
    written whole by the worker when the user confirms."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        OrgNode,
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("fil"), max_length=200)
    # The file's rows as read (header first), so the worker need not parse it again.
    content = models.JSONField(_("innehåll"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    rows = models.PositiveIntegerField(_("rader"), default=0)
    written = models.PositiveIntegerField(_("skrivna"), default=0)
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    report = models.JSONField(_("rader och fel"), default=list, blank=True)
    message = models.TextField(_("meddelande"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("import av enheter")
        verbose_name_plural = _("importer av enheter")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cooperation", "-created_at"], name="assets_import_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


def _register_constraint_messages() -> None:
    from itfabrik.core.constraints import register

    register(
        "assets_unique_model",
        field="name",
        message=lambda m, other: _("Modellen finns redan i katalogen."),
    )
    register(
        "assets_unique_lease",
        field="contract_number",
        message=lambda lease, other: _("Leasegivaren har redan ett avtal med det numret."),
    )
    register(
        "assets_lease_dates",
        field="ends_on",
        message=lambda lease: _("Avtalet måste sluta efter att det börjar."),
    )
    register(
        "assets_unique_serial",
        field="serial_number",
        message=lambda d, other: _("Tillverkaren har redan en enhet med det serienumret."),
    )
    register(
        "assets_one_mapping_per_kind",
        field="kind",
        message=lambda m, other: _("Enhetstypen har redan en tjänst."),
    )
    register(
        "assets_one_mapping_per_model",
        field="model",
        message=lambda m, other: _("Modellen har redan en tjänst."),
    )
    register(
        "assets_unique_asset_tag",
        field="asset_tag",
        message=lambda d, other: _("Inventarienumret används redan."),
    )


_register_constraint_messages()
