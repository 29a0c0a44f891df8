"""Forms of the catalogue management pages (areas, services, packages, price lists).

Choices are filled by the view from scoped selectors; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.catalog.choices import Approval, OrderableBy, PriceModel, ServiceTier, UserKind
from itfabrik.catalog.rules import MAX_QUANTITY
from itfabrik.core.web.forms import DateField


def _choices(rows: list[Any], label: Any = str, empty: Any = None) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = [("", empty)] if empty is not None else []
    return out + [(r.pk, label(r)) for r in rows]


class VersionForm(forms.Form):
    """The version the person read: a concurrent change is refused, not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class CooperationChoiceMixin:
    """A cooperation field only for those who manage more than one catalogue."""

    fields: dict[str, forms.Field]

    def set_cooperations(self, cooperations: list[Any]) -> None:
        if len(cooperations) > 1:
            self.fields["cooperation"] = forms.TypedChoiceField(
                label=_("Samverkan"),
                coerce=int,
                choices=_choices(cooperations),
                help_text=_("Valen nedan hör till den samverkan som sidan visades för."),
            )
            self.order_fields(["cooperation"])  # type: ignore[attr-defined]


class AreaForm(CooperationChoiceMixin, VersionForm):
    name = forms.CharField(label=_("Namn"), max_length=100)
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sort_order = forms.IntegerField(
        label=_("Sorteringsordning"),
        min_value=0,
        max_value=32767,
        initial=100,
        help_text=_("Lägre tal visas först i katalogen."),
    )


class ServiceForm(CooperationChoiceMixin, VersionForm):
    area = forms.TypedChoiceField(label=_("Tjänsteområde"), coerce=int)
    name = forms.CharField(label=_("Namn"), max_length=150)
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    owner_node = forms.TypedChoiceField(
        label=_("Ägande team"), coerce=int, required=False, empty_value=None
    )
    owner_user = forms.TypedChoiceField(
        label=_("Tjänsteägare"), coerce=int, required=False, empty_value=None
    )
    tier = forms.ChoiceField(
        label=_("Servicenivå"), choices=ServiceTier.choices, initial=ServiceTier.STANDARD
    )
    price_model = forms.ChoiceField(label=_("Prismodell"), choices=PriceModel.choices)
    unit_of_measure = forms.CharField(
        label=_("Enhet"), max_length=40, help_text=_("Det som räknas, t.ex. dator, licens, timme.")
    )
    orderable_by = forms.ChoiceField(
        label=_("Får beställas av"), choices=OrderableBy.choices, initial=OrderableBy.ORDERERS
    )
    approval = forms.ChoiceField(
        label=_("Godkännande"), choices=Approval.choices, initial=Approval.NONE
    )
    is_addon = forms.BooleanField(
        label=_("Tillval (kräver godkännande)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        areas: list[Any],
        teams: list[Any],
        owners: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _choices(areas)  # type: ignore[attr-defined]
        self.fields["owner_node"].choices = _choices(teams, empty=_("Inget team"))  # type: ignore[attr-defined]
        self.fields["owner_user"].choices = _choices(  # type: ignore[attr-defined]
            owners, label=lambda u: u.get_full_name() or u.username, empty=_("Ingen")
        )


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök namn eller beskrivning"), required=False, max_length=100)
    area = forms.TypedChoiceField(
        label=_("Tjänsteområde"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Aktiva")), ("closed", _("Avslutade")), ("all", _("Alla"))],
    )
    tier = forms.ChoiceField(label=_("Servicenivå"), required=False)

    def __init__(self, *args: Any, areas: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _choices(areas, empty=_("Alla områden"))  # type: ignore[attr-defined]
        self.fields["tier"].choices = [("", _("Alla")), *ServiceTier.choices]  # type: ignore[attr-defined]

    def is_active(self) -> bool | None:
        state = self.cleaned_data.get("state") or "active"
        return {"active": True, "closed": False}.get(state)


class PackageForm(CooperationChoiceMixin, VersionForm):
    name = forms.CharField(label=_("Namn"), max_length=150)
    user_kind = forms.ChoiceField(label=_("Typ av användare"), choices=UserKind.choices)
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PackageCreateForm(PackageForm):
    """A package is never empty: it starts with its first service."""

    service = forms.TypedChoiceField(label=_("Första tjänsten i paketet"), coerce=int)
    quantity = forms.IntegerField(label=_("Antal"), min_value=1, max_value=MAX_QUANTITY, initial=1)

    def __init__(self, *args: Any, services: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = _choices(services)  # type: ignore[attr-defined]


class PackageItemForm(VersionForm):
    service = forms.TypedChoiceField(label=_("Tjänst"), coerce=int)
    quantity = forms.IntegerField(
        label=_("Antal"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        help_text=_("Ett positivt heltal. Finns tjänsten redan i paketet ändras antalet."),
    )

    def __init__(self, *args: Any, services: list[Any], **kwargs: Any) -> None:
        # Shown on the same page as the package's own form: ids must not clash.
        kwargs.setdefault("auto_id", "item_%s")
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = _choices(services)  # type: ignore[attr-defined]


class PriceListCopyForm(forms.Form):
    source = forms.TypedChoiceField(
        label=_("Utgå från"),
        coerce=int,
        help_text=_("Den nya versionen börjar med den här versionens priser."),
    )
    name = forms.CharField(label=_("Namn"), max_length=100)
    valid_from = DateField(label=_("Gäller från"))
    valid_to = DateField(label=_("Gäller till"), required=False)
    decision_reference = forms.CharField(
        label=_("Beslut"), max_length=200, help_text=_("Beslutet som fastställde prislistan.")
    )
    end_source = forms.BooleanField(
        label=_("Avsluta versionen jag utgår från dagen före"), required=False, initial=True
    )

    def __init__(self, *args: Any, sources: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = _choices(  # type: ignore[attr-defined]
            sources,
            label=lambda p: (
                f"{p.name} ({p.valid_from:%Y-%m-%d}–"
                f"{p.valid_to.isoformat() if p.valid_to else '…'})"
            ),
        )


class PriceListNewForm(CooperationChoiceMixin, forms.Form):
    """The very first price list of a catalogue, empty: its prices are set on its page."""

    name = forms.CharField(label=_("Namn"), max_length=100)
    valid_from = DateField(label=_("Gäller från"))
    valid_to = DateField(label=_("Gäller till"), required=False)
    decision_reference = forms.CharField(
        label=_("Beslut"), max_length=200, help_text=_("Beslutet som fastställde prislistan.")
    )


class PriceListEditForm(VersionForm):
    name = forms.CharField(label=_("Namn"), max_length=100)
    valid_from = DateField(label=_("Gäller från"))
    valid_to = DateField(label=_("Gäller till"), required=False)
    decision_reference = forms.CharField(label=_("Beslut"), max_length=200)

    def __init__(self, *args: Any, started: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if started:
            # In force: the start stays (the service refuses it anyway); show it, do not send it.
            self.fields["valid_from"].disabled = True
            self.fields["valid_from"].help_text = _(
                "Prislistan har börjat gälla: startdatumet och priserna ligger fast. Den kan "
                "avslutas med ett slutdatum från i dag."
            )


class PriceForm(VersionForm):
    service = forms.TypedChoiceField(label=_("Tjänst"), coerce=int)
    amount = forms.DecimalField(
        label=_("Pris (kr)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text=_("I kronor, t.ex. 57,50."),
    )

    def __init__(self, *args: Any, services: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "price_%s")
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = _choices(services)  # type: ignore[attr-defined]


class RemoveForm(VersionForm):
    service = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CloseForm(VersionForm):
    """Close (or reopen) an area, a service or a package."""
