"""The business-system register (R30, R31, R33) and KLASSA classification (R27, R31).

A `System` belongs to the cooperation; each municipality that uses it has a `SystemUse` with its
own system owner (the business owns its processes) and number of users. Capabilities come from
a managed vocabulary (`Capability`), so that "Lärplattform" in Bengtsfors and in Åmål is the same
word and duplicates can be found by a query. Systems and information assets carry the four KLASSA
aspects (core.klassa, 0-4; Spårbarhet only where personal data are involved). A `Requirement`
applies to an object when the level of its aspect reaches the requirement's level; an
`Assessment` is the self-assessment of one requirement for one system, and a gap carries the
action that closes it. Nothing is deleted: systems, capabilities and requirements are closed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from itfabrik.core import klassa
from itfabrik.core.models import TimestampedModel, VersionedModel
from itfabrik.tenancy.models import Cooperation, OrgNode

from .choices import Compliance, Hosting, ProgrammeStatus


def _level_field(label: Any) -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        choices=klassa.Level.choices,
        validators=[MinValueValidator(klassa.MIN_LEVEL), MaxValueValidator(klassa.MAX_LEVEL)],
    )


class Classified(models.Model):
    """The KLASSA levels of an object: each aspect, and the highest as the summary."""

    confidentiality = _level_field(_("konfidentialitet"))
    integrity = _level_field(_("riktighet"))
    availability = _level_field(_("tillgänglighet"))
    traceability = _level_field(_("spårbarhet"))
    personal_data = models.BooleanField(_("behandlar personuppgifter"), default=False)

    class Meta:
        abstract = True

    def levels(self) -> dict[str, int | None]:
        return {
            klassa.Aspect.CONFIDENTIALITY: self.confidentiality,
            klassa.Aspect.INTEGRITY: self.integrity,
            klassa.Aspect.AVAILABILITY: self.availability,
            klassa.Aspect.TRACEABILITY: self.traceability if self.personal_data else None,
        }

    @property
    def klassa_summary(self) -> klassa.Level | None:
        return klassa.summary(self.levels().values())

    @property
    def is_classified(self) -> bool:
        return self.confidentiality is not None


class Capability(VersionedModel):
    """One word of the controlled vocabulary of capabilities ("Lärplattform", "Ekonomi")."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=120)
    description = models.CharField(_("beskrivning"), max_length=500, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("förmåga")
        verbose_name_plural = _("förmågor")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "name"], name="systems_unique_capability"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class System(Classified, VersionedModel):
    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    supplier = models.CharField(_("leverantör"), max_length=200, blank=True)
    contract_end = models.DateField(_("avtalet löper ut"), null=True, blank=True)
    hosting = models.CharField(_("drift"), max_length=10, choices=Hosting.choices)
    status = models.CharField(
        _("programstatus"),
        max_length=15,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.MAPPED,
    )
    capabilities = models.ManyToManyField(
        Capability, verbose_name=_("förmågor"), related_name="systems", blank=True
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("verksamhetssystem")
        verbose_name_plural = _("verksamhetssystem")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "name"], name="systems_unique_name"),
        ]
        indexes = [
            models.Index(fields=["cooperation", "name"], name="systems_list_idx"),
            models.Index(fields=["hosting", "status"], name="systems_hosting_idx"),
            models.Index(fields=["contract_end"], name="systems_contract_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class SystemUse(VersionedModel):
    """A municipality's use of a system: its own system owner and number of users."""

    system = models.ForeignKey(
        System, verbose_name=_("system"), on_delete=models.PROTECT, related_name="uses"
    )
    municipality = models.ForeignKey(
        OrgNode, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.CharField(_("systemägare"), max_length=200)
    users = models.PositiveIntegerField(_("antal användare"), default=0)
    is_active = models.BooleanField(_("används"), default=True)

    class Meta:
        verbose_name = _("användning")
        verbose_name_plural = _("användningar")
        ordering = ["municipality__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["system", "municipality"], name="systems_unique_use"),
        ]
        indexes = [models.Index(fields=["municipality", "is_active"], name="systems_use_idx")]

    def __str__(self) -> str:
        return f"{self.system_id} @ {self.municipality_id}"


class Integration(TimestampedModel):
    source = models.ForeignKey(
        System, verbose_name=_("från system"), on_delete=models.PROTECT, related_name="outgoing"
    )
    target = models.ForeignKey(
        System, verbose_name=_("till system"), on_delete=models.PROTECT, related_name="incoming"
    )
    description = models.CharField(_("vad som överförs"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrationer")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="systems_unique_integration"),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="systems_integration_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class InformationAsset(Classified, VersionedModel):
    """An information asset ("Elevdokumentation", "Ekonomisk redovisning") with its KLASSA
    levels, optionally kept in a system."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.CharField(_("beskrivning"), max_length=500, blank=True)
    system = models.ForeignKey(
        System,
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("informationstillgång")
        verbose_name_plural = _("informationstillgångar")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "name"], name="systems_unique_asset"),
        ]

    def __str__(self) -> str:
        return self.name


class Requirement(VersionedModel):
    """One requirement of the configurable requirement set: it applies to an object whose level
    on `aspect` is at least `level`."""

    cooperation = models.ForeignKey(
        Cooperation, verbose_name=_("samverkan"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("kod"), max_length=20)
    aspect = models.CharField(_("aspekt"), max_length=20, choices=klassa.Aspect.choices)
    level = models.PositiveSmallIntegerField(
        _("gäller från nivå"),
        choices=klassa.Level.choices,
        validators=[MinValueValidator(klassa.MIN_LEVEL), MaxValueValidator(klassa.MAX_LEVEL)],
    )
    text = models.CharField(_("krav"), max_length=500)
    is_active = models.BooleanField(_("aktivt"), default=True)

    class Meta:
        verbose_name = _("krav")
        verbose_name_plural = _("krav")
        ordering = ["aspect", "level", "code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cooperation", "code"], name="systems_unique_req"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Assessment(VersionedModel):
    """The self-assessment of one requirement for one system; a gap (partly or not met) carries
    the action that closes it, with its owner and due date."""

    system = models.ForeignKey(
        System, verbose_name=_("system"), on_delete=models.PROTECT, related_name="assessments"
    )
    requirement = models.ForeignKey(
        Requirement, verbose_name=_("krav"), on_delete=models.PROTECT, related_name="+"
    )
    compliance = models.CharField(_("bedömning"), max_length=10, choices=Compliance.choices)
    comment = models.CharField(_("kommentar"), max_length=500, blank=True)
    action = models.CharField(_("åtgärd"), max_length=500, blank=True)
    action_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig för åtgärden"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action_due = models.DateField(_("åtgärdas senast"), null=True, blank=True)
    action_done = models.BooleanField(_("åtgärdad"), default=False)

    class Meta:
        verbose_name = _("självskattning")
        verbose_name_plural = _("självskattningar")
        ordering = ["requirement__aspect", "requirement__level", "requirement__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "requirement"], name="systems_unique_assessment"
            ),
        ]
        indexes = [
            models.Index(fields=["compliance", "action_done", "action_due"], name="systems_gap_idx")
        ]

    def __str__(self) -> str:
        return f"{self.system_id}/{self.requirement_id}"


def _register_constraint_messages() -> None:
    from itfabrik.core.constraints import register

    register(
        "systems_unique_capability",
        field="name",
        message=lambda obj, other: _("Förmågan finns redan i listan."),
    )
    register(
        "systems_unique_name",
        field="name",
        message=lambda obj, other: _("Det finns redan ett system med det namnet."),
    )
    register(
        "systems_unique_use",
        field="municipality",
        message=lambda obj, other: _("Kommunen är redan registrerad som användare av systemet."),
    )
    register(
        "systems_unique_integration",
        field="target",
        message=lambda obj, other: _("Integrationen finns redan."),
    )
    register(
        "systems_integration_not_self",
        field="target",
        message=lambda obj: _("Ett system kan inte integreras med sig självt."),
    )
    register(
        "systems_unique_asset",
        field="name",
        message=lambda obj, other: _("Det finns redan en informationstillgång med det namnet."),
    )
    register(
        "systems_unique_req",
        field="code",
        message=lambda obj, other: _("Det finns redan ett krav med den koden."),
    )
    register(
        "systems_unique_assessment",
        field="requirement",
        message=lambda obj, other: _("Kravet är redan bedömt för systemet."),
    )


_register_constraint_messages()
