"""The service catalogue (areas, services, packages, versioned price lists) and ordering (orders,
lines, subscriptions).

Everything belongs to a cooperation; orders and subscriptions also to the unit (an `OrgNode`)
they are for, which is what scopes them. Nothing is hard-deleted: records are retired
(`is_active=False`) or ended (`end_date`), and every change is audited by the services.

For billing: a `Subscription` row is one quantity of one service for one unit over an inclusive
period `start_date`..`end_date` (open when None). A change of quantity ends the row and starts a
new one, so every day has exactly the quantity that was in force. The price of a day is the price
of the service in the `PriceList` valid on that day (`selectors.price_list_in_force_get`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import (
    Approval,
    LineDecision,
    OrderableBy,
    OrderKind,
    OrderStatus,
    PriceModel,
    ServiceTier,
    UserKind,
)


class ServiceArea(VersionedModel):
    """A service area ("tjänsteområde"), e.g. Infrastruktur or IT-arbetsplats (R13)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=100)
    description = models.TextField(_("beskrivning"), blank=True, max_length=2000)
    sort_order = models.PositiveSmallIntegerField(_("sorteringsordning"), default=100)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("tjänsteområde")
        verbose_name_plural = _("tjänsteområden")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "name"], name="catalog_unique_area_name")
        ]

    def __str__(self) -> str:
        return self.name


class Service(VersionedModel):
    """A service of the catalogue that a unit can order (or that is part of a package)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("tjänsteområde"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(_("namn"), max_length=150)
    description = models.TextField(_("beskrivning"), blank=True, max_length=4000)
    owner_node = models.ForeignKey(
        OrgNode,
        verbose_name=_("ägande team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tjänsteägare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tier = models.CharField(
        _("servicenivå"), max_length=20, choices=ServiceTier.choices, default=ServiceTier.STANDARD
    )
    price_model = models.CharField(_("prismodell"), max_length=20, choices=PriceModel.choices)
    unit_of_measure = models.CharField(_("enhet"), max_length=40)
    orderable_by = models.CharField(
        _("får beställas av"),
        max_length=20,
        choices=OrderableBy.choices,
        default=OrderableBy.ORDERERS,
    )
    approval = models.CharField(
        _("godkännande"), max_length=20, choices=Approval.choices, default=Approval.NONE
    )
    is_addon = models.BooleanField(_("tillval"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("katalogtjänst")
        verbose_name_plural = _("katalogtjänster")
        ordering = ["area__sort_order", "name"]
        indexes = [models.Index(fields=["cooperation", "is_active", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="catalog_unique_service_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Package(VersionedModel):
    """A standard package per kind of user, made of services with quantities (R14)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=150)
    description = models.TextField(_("beskrivning"), blank=True, max_length=4000)
    user_kind = models.CharField(_("typ av användare"), max_length=20, choices=UserKind.choices)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("paket")
        verbose_name_plural = _("paket")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="catalog_unique_package_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def monthly_price(self) -> Decimal | None:
        """The sum of the items' current prices × quantities, from a `package_list` row (its
        items carry `price`); None when an item has no price in the current list."""
        total = Decimal("0.00")
        for item in self.items.all():
            price = getattr(item, "price", None)
            if price is None:
                return None
            total += price * item.quantity
        return total


class PackageItem(TimestampedModel):
    package = models.ForeignKey(
        Package, verbose_name=_("paket"), on_delete=models.PROTECT, related_name="items"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("katalogtjänst"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(_("antal"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("paketinnehåll")
        verbose_name_plural = _("paketinnehåll")
        ordering = ["package", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "service"], name="catalog_unique_package_service"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="catalog_item_quantity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.service}"


class PriceList(VersionedModel):
    """One version of the cooperation's prices, valid over an inclusive period; versions of a
    cooperation never overlap (checked by the service under a lock on the cooperation)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=100)
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    decision_reference = models.CharField(_("beslut"), max_length=200)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("prislista")
        verbose_name_plural = _("prislistor")
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["cooperation", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="catalog_pricelist_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Price(TimestampedModel):
    """The price of one service in one price-list version, in SEK (Decimal, öre)."""

    price_list = models.ForeignKey(
        PriceList, verbose_name=_("prislista"), on_delete=models.PROTECT, related_name="prices"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("katalogtjänst"),
        on_delete=models.PROTECT,
        related_name="prices",
    )
    amount = models.DecimalField(
        _("pris (kr)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("pris")
        verbose_name_plural = _("priser")
        ordering = ["price_list", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "service"], name="catalog_one_price_per_service"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="catalog_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.amount}"


class Order(VersionedModel):
    """An order for one unit: new services, a change of quantity or a cancellation (R15)."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgNode, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("typ"), max_length=10, choices=OrderKind.choices, default=OrderKind.NEW
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    approval = models.CharField(
        _("godkännande"), max_length=20, choices=Approval.choices, default=Approval.NONE
    )
    note = models.TextField(_("meddelande"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beställd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    decision_note = models.TextField(_("motivering"), blank=True, max_length=2000)
    delivered_on = models.DateField(_("levererad"), null=True, blank=True)

    class Meta:
        verbose_name = _("beställning")
        verbose_name_plural = _("beställningar")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["created_by", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"B-{self.pk or 0:05d}"


class OrderLine(TimestampedModel):
    """A service or a package in a quantity; for a change or cancel order, the subscription it
    acts on (with the new quantity for a change)."""

    order = models.ForeignKey(
        Order, verbose_name=_("beställning"), on_delete=models.PROTECT, related_name="lines"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("katalogtjänst"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    package = models.ForeignKey(
        Package,
        verbose_name=_("paket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subscription = models.ForeignKey(
        "Subscription",
        verbose_name=_("prenumeration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_lines",
    )
    quantity = models.PositiveIntegerField(_("antal"), validators=[MinValueValidator(1)])
    approval = models.CharField(
        _("godkännande"), max_length=20, choices=Approval.choices, default=Approval.NONE
    )
    decision = models.CharField(
        _("beslut"), max_length=10, choices=LineDecision.choices, default=LineDecision.PENDING
    )

    class Meta:
        verbose_name = _("beställningsrad")
        verbose_name_plural = _("beställningsrader")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(service__isnull=False) & Q(package__isnull=True))
                | (Q(service__isnull=True) & Q(package__isnull=False)),
                name="catalog_line_service_xor_package",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="catalog_line_quantity_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.service or self.package}"


class Subscription(TimestampedModel):
    """A unit's active use of a service: `quantity` from `start_date` to `end_date` inclusive.

    Rows are never changed except for setting `end_date` once: a new quantity is a new row.
    """

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgNode, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("katalogtjänst"),
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    quantity = models.PositiveIntegerField(_("antal"), validators=[MinValueValidator(1)])
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    order_line = models.ForeignKey(
        OrderLine,
        verbose_name=_("beställningsrad"),
        on_delete=models.PROTECT,
        related_name="subscriptions",
    )
    package = models.ForeignKey(
        Package,
        verbose_name=_("via paket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        OrderLine,
        verbose_name=_("avslutad genom"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ended_subscriptions",
    )

    class Meta:
        verbose_name = _("prenumeration")
        verbose_name_plural = _("prenumerationer")
        ordering = ["unit__path", "service__name", "start_date", "id"]
        indexes = [
            models.Index(fields=["unit", "service", "start_date"]),
            models.Index(fields=["cooperation", "start_date", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="catalog_subscription_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="catalog_subscription_quantity_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.quantity} × {self.service}"
