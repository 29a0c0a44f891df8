"""The financing model (R7–R10): cost pools with versioned allocation keys, usage records, the
digitalisation fund's spending, and the monthly invoice bases ("fakturaunderlag") with their
lines. Money is Decimal in SEK with öre precision (ADR 0011)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import ImportStatus, InvoiceStatus, KeyMethod, LineKind, PoolKind, RunStatus


class CostPool(VersionedModel):
    """A shared cost (Bas-IT) or the digitalisation fund, split between the members by a key."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("typ"), max_length=10, choices=PoolKind.choices)
    code = models.SlugField(_("kod"), max_length=30)
    name = models.CharField(_("namn"), max_length=100)
    description = models.TextField(_("beskrivning"), blank=True)
    # A closed pool is charged up to and including this day (the last of a month), never after;
    # its budgets, keys and lines stay as they were.
    closed_after = models.DateField(_("stängd efter"), null=True, blank=True)

    class Meta:
        verbose_name = _("kostnadspool")
        verbose_name_plural = _("kostnadspooler")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "code"], name="billing_pool_code")
        ]

    def __str__(self) -> str:
        return self.name


class PoolBudget(VersionedModel):
    """A pool's amount for a year, charged monthly (a twelfth each, split to the öre)."""

    pool = models.ForeignKey(CostPool, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    note = models.CharField(_("anmärkning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")
        ordering = ["pool", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "year"], name="billing_one_budget_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="billing_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.pool} {self.year}"


class AllocationKey(TimestampedModel):
    """How a pool is split between the members, valid for whole months from `valid_from` to
    `valid_to` (inclusive; open-ended when empty), adopted by a decision. Versions of one pool
    never overlap."""

    pool = models.ForeignKey(CostPool, on_delete=models.PROTECT, related_name="keys")
    method = models.CharField(_("metod"), max_length=20, choices=KeyMethod.choices)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    decision_reference = models.CharField(_("beslut"), max_length=100)
    # Fixed percentages: {"<municipality id>": "25.00", …}, summing to 100.
    percentages = models.JSONField(_("procentsatser"), default=dict, blank=True)

    class Meta:
        verbose_name = _("fördelningsnyckel")
        verbose_name_plural = _("fördelningsnycklar")
        ordering = ["pool", "-valid_from"]
        indexes = [models.Index(fields=["pool", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="billing_key_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.decision_reference})"


class UsageRecord(TimestampedModel):
    """One use of a service by a unit ("per use": hours, on-site visits, deliveries), charged to
    the unit's cost centre. Never deleted: a correction is a credit (negative quantity) that
    `corrects` the original, plus a new record."""

    unit = models.ForeignKey(
        OrgNode, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    cost_centre = models.CharField(_("kostnadsställe"), max_length=20)
    service = models.CharField(_("tjänst"), max_length=200)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    quantity = models.DecimalField(_("antal"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("à-pris"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    used_on = models.DateField(_("datum"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("rättar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    is_credit = models.BooleanField(_("kreditering"), default=False)
    import_reference = models.CharField(_("import"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("förbrukningspost")
        verbose_name_plural = _("förbrukningsposter")
        ordering = ["-used_on", "-id"]
        indexes = [
            models.Index(fields=["municipality", "used_on"]),
            models.Index(fields=["unit", "used_on"]),
            # The usage list's order, and the billing run's range on the month.
            models.Index(fields=["-used_on", "-id"], name="billing_usage_recent"),
        ]
        constraints = [
            # One credit per record: a record is corrected once; the new record may be corrected.
            models.UniqueConstraint(
                fields=["corrects"], condition=Q(is_credit=True), name="billing_one_credit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.used_on} {self.service} {self.quantity}"


class FundSpending(TimestampedModel):
    """Money spent from the digitalisation fund on an initiative."""

    pool = models.ForeignKey(CostPool, on_delete=models.PROTECT, related_name="spendings")
    initiative = models.CharField(_("initiativ"), max_length=200)
    reference = models.CharField(_("referens"), max_length=100, blank=True)
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    spent_on = models.DateField(_("datum"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("fondutgift")
        verbose_name_plural = _("fondutgifter")
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_spending_positive")
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.amount}"


class LedgerSettings(VersionedModel):
    """A municipality's accounts and voucher series for the SIE 4 export."""

    municipality = models.OneToOneField(
        OrgNode, on_delete=models.CASCADE, related_name="billing_ledger"
    )
    voucher_series = models.CharField(_("verifikationsserie"), max_length=10, default="I")
    shared_account = models.CharField(
        _("konto gemensamma kostnader"), max_length=10, default="6540"
    )
    consumption_account = models.CharField(_("konto förbrukning"), max_length=10, default="6550")
    fund_account = models.CharField(_("konto digitaliseringsfond"), max_length=10, default="6560")
    counter_account = models.CharField(_("motkonto"), max_length=10, default="2440")

    class Meta:
        verbose_name = _("bokföringsinställning")
        verbose_name_plural = _("bokföringsinställningar")

    def __str__(self) -> str:
        return str(self.municipality)


class UsageImport(VersionedModel):
    """A CSV file of usage records: checked at once (every bad row listed, nothing written),
    then, when the user confirms, written by the worker with its progress on the import's page.
    """

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("fil"), max_length=200)
    content = models.TextField(_("innehåll"))
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED
    )
    rows = models.PositiveIntegerField(_("rader"), default=0)
    written = models.PositiveIntegerField(_("skrivna"), default=0)
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    errors = models.JSONField(_("fel"), default=list, blank=True)
    message = models.TextField(_("meddelande"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("import av förbrukning")
        verbose_name_plural = _("importer av förbrukning")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cooperation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class BillingRun(TimestampedModel):
    """One monthly billing run, done by the worker; its status and progress show on its page."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=7)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    message = models.TextField(_("meddelande"), blank=True)
    # What the charge sources could not charge (BillingContext.warn), replaced by each run.
    warnings = models.JSONField(_("varningar"), default=list, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("faktureringskörning")
        verbose_name_plural = _("faktureringskörningar")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cooperation", "period"])]

    def __str__(self) -> str:
        return f"{self.period} ({self.get_status_display()})"


class Invoice(VersionedModel):
    """A municipality's invoice basis for a month: draft → approved (locked) → exported."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=7)
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    total = models.DecimalField(_("summa"), max_digits=14, decimal_places=2, default=0)
    # The total split by kind, written with the lines: the cost dashboard reads a few hundred
    # invoices instead of summing hundreds of thousands of lines (bench/billing.py).
    shared_total = models.DecimalField(
        _("gemensam kostnad"), max_digits=14, decimal_places=2, default=0
    )
    fund_total = models.DecimalField(
        _("digitaliseringsfond"), max_digits=14, decimal_places=2, default=0
    )
    consumption_total = models.DecimalField(
        _("förbrukning och rättelser"), max_digits=14, decimal_places=2, default=0
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    exported_at = models.DateTimeField(_("exporterad"), null=True, blank=True)

    class Meta:
        verbose_name = _("fakturaunderlag")
        verbose_name_plural = _("fakturaunderlag")
        ordering = ["-period", "municipality__name"]
        indexes = [models.Index(fields=["period", "municipality"])]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period"], name="billing_one_invoice_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.period}"


class InvoiceLine(models.Model):
    """One line of an invoice basis, traceable to its source: a pool and key version, or a usage
    record."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("rad"))
    kind = models.CharField(_("typ"), max_length=12, choices=LineKind.choices)
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    unit = models.ForeignKey(
        OrgNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cost_centre = models.CharField(_("kostnadsställe"), max_length=20, blank=True)
    cost_pool = models.ForeignKey(
        CostPool, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField(_("tjänst"), max_length=200, blank=True)
    description = models.CharField(_("text"), max_length=300)
    quantity = models.DecimalField(_("antal"), max_digits=12, decimal_places=2, null=True)
    unit_price = models.DecimalField(_("à-pris"), max_digits=14, decimal_places=2, null=True)
    allocation_key = models.ForeignKey(
        AllocationKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    usage_record = models.ForeignKey(
        UsageRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    source = models.JSONField(_("källa"), default=dict)

    class Meta:
        verbose_name = _("fakturarad")
        verbose_name_plural = _("fakturarader")
        ordering = ["invoice", "position"]
        indexes = [models.Index(fields=["invoice", "kind"])]

    def __str__(self) -> str:
        return self.description
