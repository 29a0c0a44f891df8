from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from itfabrik.core.actors import Actor
from itfabrik.core.models import TimestampedModel, VersionedModel

from . import validation
from .choices import NodeKind, ServiceLine


class Cooperation(VersionedModel):  # type: ignore[django-manager-missing]
    """A cooperation of municipalities sharing one IT organisation ("IT-samverkan")."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=50, unique=True)
    root = models.OneToOneField(
        "OrgNode",
        verbose_name=_("översta delen av organisationen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperation_root_of",
    )
    host = models.ForeignKey(
        "OrgNode",
        verbose_name=_("värdkommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_cooperations",
    )
    currency = models.CharField(_("valuta"), max_length=3, default="SEK")

    class Meta:
        verbose_name = _("samverkan")
        verbose_name_plural = _("samverkningar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrgNode(MP_Node, VersionedModel):  # type: ignore[django-manager-missing]
    """One node of the organisation tree: cooperation → municipality → administration → unit.

    The joint IT organisation and its teams are nodes too. `path` (materialised path, from
    treebeard) makes "this node and everything below it" a single indexed prefix match, which is
    what every permission check and scoped list uses.
    """

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=NodeKind.choices)
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="nodes"
    )
    # Mirrors the tree path's parent so that lists can show it without a query per row.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("överordnad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children_set",
    )
    municipality = models.ForeignKey(
        "self",
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Den kommun som den här delen av organisationen hör till (sätts automatiskt)."),
    )
    municipal_code = models.CharField(_("kommunkod"), max_length=4, blank=True)
    organisation_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    email_domain = models.CharField(_("e-postdomän"), max_length=253, blank=True)
    cost_centre = models.CharField(_("kostnadsställe"), max_length=20, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    closed_on = models.DateField(_("avvecklad"), null=True, blank=True)

    class Meta:
        verbose_name = _("del av organisationen")
        verbose_name_plural = _("delar av organisationen")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["cooperation", "kind", "name"]),
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["municipality", "kind"]),
            models.Index(fields=["name"]),
            # No extra index on path: it is unique, and for a unique varchar Django already adds
            # the varchar_pattern_ops index that LIKE 'prefix%' needs on PostgreSQL.
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipal_code"],
                condition=~Q(municipal_code=""),
                name="tenancy_unique_municipal_code",
            ),
            models.UniqueConstraint(
                fields=["municipality", "cost_centre"],
                condition=~Q(cost_centre=""),
                name="tenancy_unique_cost_centre_per_municipality",
            ),
            # Open siblings are told apart by name (closed ones keep theirs, for history).
            models.UniqueConstraint(
                Lower("name"),
                "parent",
                condition=Q(is_active=True),
                name="tenancy_unique_open_sibling_name",
                violation_error_message=_("Det finns redan en enhet med det namnet här."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.kind == NodeKind.MUNICIPALITY:
            if not validation.MUNICIPAL_CODE_RE.match(self.municipal_code or ""):
                errors.setdefault("municipal_code", []).append(
                    _("Kommunkoden ska vara fyra siffror, t.ex. 1492.")
                )
            if self.organisation_number:
                try:
                    self.organisation_number = validation.normalise_organisation_number(
                        self.organisation_number
                    )
                except ValueError as exc:
                    errors.setdefault("organisation_number", []).append(
                        _("Organisationsnumret har fel format (NNNNNN-NNNN).")
                        if str(exc) == "format"
                        else _("Organisationsnumrets kontrollsiffra stämmer inte.")
                    )
            if self.email_domain and not validation.EMAIL_DOMAIN_RE.match(self.email_domain):
                errors.setdefault("email_domain", []).append(
                    _("Ange en giltig e-postdomän, t.ex. amal.se.")
                )
        else:
            for f in ("municipal_code", "organisation_number", "email_domain"):
                if getattr(self, f):
                    errors.setdefault(f, []).append(_("Gäller bara kommuner."))
        if self.cost_centre:
            if self.kind != NodeKind.UNIT:
                errors.setdefault("cost_centre", []).append(
                    _("Kostnadsställe anges bara på enheter.")
                )
            elif not validation.COST_CENTRE_RE.match(self.cost_centre):
                errors.setdefault("cost_centre", []).append(
                    _("Kostnadsstället får bara innehålla bokstäver, siffror och - _ . (högst 20).")
                )
        if not (self.name or "").strip():
            errors.setdefault("name", []).append(_("Namnet får inte vara tomt."))
        if errors:
            raise ValidationError(errors)


class Membership(VersionedModel):
    """A municipality's membership of a cooperation over time. Joining and leaving keep history."""

    cooperation = models.ForeignKey(
        Cooperation,
        verbose_name=_("samverkan"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    municipality = models.ForeignKey(
        OrgNode,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="memberships",
        limit_choices_to={"kind": NodeKind.MUNICIPALITY},
    )
    joined_on = models.DateField(_("medlem från"))
    left_on = models.DateField(_("medlem till"), null=True, blank=True)
    decision_reference = models.CharField(_("beslut (diarienummer)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["municipality__name", "-joined_on"]
        indexes = [models.Index(fields=["municipality", "joined_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="tenancy_membership_left_after_joined",
            )
        ]

    def __str__(self) -> str:
        end = self.left_on.isoformat() if self.left_on else "…"
        return f"{self.municipality} {self.joined_on.isoformat()}–{end}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


MAX_INHABITANTS = 10_000_000  # Sweden's whole population is about 10.5 million


def inhabitants_limit_message() -> Any:
    """ "Ange högst 10 000 000 invånare." with the number grouped the way the language writes it."""
    from django.utils.formats import number_format
    from django.utils.functional import lazy

    from itfabrik.core.errors import lazy_format

    limit = lazy(lambda: number_format(MAX_INHABITANTS, force_grouping=True), str)()
    return lazy_format(_("Ange högst %(max)s invånare."), max=limit)


class InhabitantCount(TimestampedModel):
    """Inhabitants of a municipality on 31 December of a year (SCB)."""

    municipality = models.ForeignKey(
        OrgNode,
        verbose_name=_("kommun"),
        on_delete=models.CASCADE,
        related_name="inhabitant_counts",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    inhabitants = models.PositiveIntegerField(_("invånare"))
    source = models.CharField(_("källa"), max_length=100, default="SCB")

    class Meta:
        verbose_name = _("invånarantal")
        verbose_name_plural = _("invånarantal")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="tenancy_one_count_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.inhabitants}"


class Position(VersionedModel):
    """A position ("tjänst") in the joint IT organisation, placed in a team."""

    team = models.ForeignKey(
        OrgNode, verbose_name=_("team"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("befattning"), max_length=200)
    line = models.CharField(_("linje"), max_length=20, choices=ServiceLine.choices)
    specialisation = models.CharField(_("inriktning"), max_length=100, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("innehavare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
    )
    # A position is closed, never deleted: who held what, when, stays in the record.
    closed_on = models.DateField(_("avslutad"), null=True, blank=True)

    class Meta:
        verbose_name = _("tjänst")
        verbose_name_plural = _("tjänster")
        ordering = ["team__path", "title", "id"]

    def __str__(self) -> str:
        return self.title


# Readable messages for the constraints above (core.constraints): field, sentence, and whether
# the actor may be told which object already holds the value.
def _sees_node(actor: Actor, node: Any) -> bool:
    from itfabrik.core import permissions

    from .permissions import VIEW_NODE

    return permissions.can(actor, VIEW_NODE, node)


def _register_constraint_messages() -> None:
    from itfabrik.core.constraints import register
    from itfabrik.core.errors import lazy_format

    def municipal_code(node: OrgNode, other: OrgNode | None) -> Any:
        if other is None:
            return lazy_format(
                _("Kommunkoden %(code)s används redan av en annan kommun."),
                code=node.municipal_code,
            )
        return lazy_format(
            _("Kommunkoden %(code)s används redan av %(other)s."),
            code=node.municipal_code,
            other=other.name,
        )

    def cost_centre(node: OrgNode, other: OrgNode | None) -> Any:
        if other is None:
            return lazy_format(
                _("Kostnadsställe %(code)s används redan i kommunen."), code=node.cost_centre
            )
        return lazy_format(
            _("Kostnadsställe %(code)s används redan av %(other)s."),
            code=node.cost_centre,
            other=other.name,
        )

    register(
        "tenancy_unique_municipal_code",
        field="municipal_code",
        message=municipal_code,
        visible=_sees_node,
    )
    register(
        "tenancy_unique_cost_centre_per_municipality",
        field="cost_centre",
        message=cost_centre,
        visible=_sees_node,
    )
    register(
        "tenancy_unique_open_sibling_name",
        field="name",
        # node_create/node_update name the sibling first; this is the database's last word.
        message=lambda node, other=None: _("Det finns redan en enhet med det namnet här."),
    )
    register(
        "tenancy_membership_left_after_joined",
        field="left_on",
        message=lambda membership: _("Slutdatum kan inte vara före startdatum."),
    )
    register(
        "tenancy_one_count_per_year",
        field="year",
        message=lambda count, other: lazy_format(
            _("Det finns redan ett invånarantal för %(year)s."), year=count.year
        ),
    )


_register_constraint_messages()
