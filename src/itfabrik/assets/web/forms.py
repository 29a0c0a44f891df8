from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.assets.choices import DeviceKind, DeviceState, Ownership, ReturnStatus, Rule
from itfabrik.core.klassa import Level
from itfabrik.core.web.forms import DateField


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Alla")), *choices]


class DeviceFilterForm(forms.Form):
    kommun = forms.TypedChoiceField(label=_("Kommun"), required=False, coerce=int, empty_value=None)
    steg = forms.ChoiceField(
        label=_("Livscykelsteg"), required=False, choices=_blank(DeviceState.choices)
    )
    typ = forms.ChoiceField(
        label=_("Enhetstyp"), required=False, choices=_blank(DeviceKind.choices)
    )
    agande = forms.ChoiceField(
        label=_("Ägandeform"), required=False, choices=_blank(Ownership.choices)
    )
    sok = forms.CharField(label=_("Serie- eller inventarienummer"), required=False, max_length=100)

    def __init__(self, *args: Any, municipalities: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Alla"))] + [(m.pk, m.name) for m in municipalities]
        self.fields["kommun"].choices = choices  # type: ignore[attr-defined]

    def selector_filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "municipality": d.get("kommun"),
            "state": d.get("steg") or None,
            "kind": d.get("typ") or None,
            "ownership": d.get("agande") or None,
        }


class DeviceForm(forms.Form):
    """Register or correct a device; the state is moved by the transition form, not here."""

    model = forms.TypedChoiceField(label=_("Modell"), coerce=int)
    owner_unit = forms.TypedChoiceField(label=_("Ägande enhet"), coerce=int)
    serial_number = forms.CharField(label=_("Serienummer"), max_length=100)
    asset_tag = forms.CharField(label=_("Inventarienummer"), max_length=50, required=False)
    name = forms.CharField(label=_("Enhetsnamn"), max_length=100, required=False)
    site = forms.CharField(label=_("Plats"), max_length=150, required=False)
    ownership = forms.ChoiceField(label=_("Ägandeform"), choices=Ownership.choices)
    lease = forms.TypedChoiceField(
        label=_("Leasingavtal"), coerce=int, required=False, empty_value=None
    )
    purchased_on = DateField(label=_("Inköpsdatum"), required=False)
    purchase_price = forms.DecimalField(
        label=_("Inköpspris (kr)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    os = forms.CharField(label=_("Operativsystem"), max_length=60, required=False)
    os_version = forms.CharField(label=_("Version"), max_length=60, required=False)
    managed = forms.BooleanField(label=_("Ansluten till enhetshantering"), required=False)
    local_admin = forms.BooleanField(label=_("Lokal administratör hittad"), required=False)
    security_level = forms.TypedChoiceField(
        label=_("Säkerhetsnivå (KLASSA)"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Inte satt")), *Level.choices],
    )
    moved_on = DateField(
        label=_("Ny ägande enhet från och med"),
        required=False,
        help_text=_(
            "När den ägande enheten byts: dagen den nya enheten tar över enheten och debiteras "
            "för den. Tomt: i dag."
        ),
    )
    model_changed_on = DateField(
        label=_("Ny modell från och med"),
        required=False,
        help_text=_(
            "När modellen byts: dagen enheten debiteras genom den nya modellens tjänst. "
            "Tomt: i dag."
        ),
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        models: Any = (),
        units: Any = (),
        leases: Any = (),
        editing: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        if not editing:
            # A new device starts its history where it is, as it is.
            del self.fields["moved_on"]
            del self.fields["model_changed_on"]
        choices = [("", "—")] + [(m.pk, str(m)) for m in models]
        self.fields["model"].choices = choices  # type: ignore[attr-defined]
        choices = [("", "—")] + [
            (u.pk, f"{u.municipality.name if u.municipality else ''} – {u.name}") for u in units
        ]
        self.fields["owner_unit"].choices = choices  # type: ignore[attr-defined]
        choices = [("", _("Inget"))] + [
            (le.pk, f"{le.municipality.name}: {le} ({le.ends_on})") for le in leases
        ]
        self.fields["lease"].choices = choices  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    target = forms.ChoiceField(label=_("Nytt steg"))
    occurred_on = DateField(label=_("Datum"), required=False)
    certificate = forms.CharField(
        label=_("Intyg om dataradering"),
        max_length=200,
        required=False,
        help_text=_("Krävs när enheten skrotas."),
    )
    note = forms.CharField(label=_("Anteckning"), max_length=500, required=False)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, allowed: Any = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        # Every state is accepted, so that a step the table does not allow gets the service's
        # message naming the allowed ones; the list offers only those.
        labels = dict(DeviceState.choices)
        self.fields["target"].choices = DeviceState.choices  # type: ignore[attr-defined]
        self.fields["target"].widget.choices = [(s, labels[s]) for s in allowed]


class ExceptionForm(forms.Form):
    rule = forms.ChoiceField(label=_("Regel"), choices=Rule.choices)
    decision = forms.CharField(
        label=_("Beslut"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    reference = forms.CharField(label=_("Diarienummer"), max_length=100, required=False)
    valid_until = DateField(label=_("Gäller till och med"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_(
            "Exporten från enhetshanteringen med kolumnerna Device name, Serial number, "
            "Manufacturer, Model, OS, OS version, Primary user UPN, Last check-in, Compliance, "
            "Ownership och Encrypted."
        ),
    )
    municipality = forms.TypedChoiceField(
        label=_("Kommun för rader utan primär användare"),
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, municipalities: Any = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = [("", "—")] + [(m.pk, m.name) for m in municipalities]
        self.fields["municipality"].choices = choices  # type: ignore[attr-defined]


class LeaseForm(forms.Form):
    municipality = forms.TypedChoiceField(label=_("Kommun"), coerce=int)
    lessor = forms.CharField(label=_("Leasegivare"), max_length=150)
    contract_number = forms.CharField(label=_("Avtalsnummer"), max_length=60)
    starts_on = DateField(label=_("Startdatum"))
    ends_on = DateField(label=_("Slutdatum"))
    monthly_cost = forms.DecimalField(
        label=_("Månadskostnad (kr)"), min_value=0, max_digits=12, decimal_places=2
    )
    buyout_price = forms.DecimalField(
        label=_("Utköpspris (kr)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    return_status = forms.ChoiceField(
        label=_("Återlämning"), choices=ReturnStatus.choices, required=False
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, municipalities: Any = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = [(m.pk, m.name) for m in municipalities]
        self.fields["municipality"].choices = choices  # type: ignore[attr-defined]


class ModelForm(forms.Form):
    manufacturer = forms.CharField(label=_("Tillverkare"), max_length=100)
    name = forms.CharField(label=_("Modell"), max_length=150)
    kind = forms.ChoiceField(label=_("Enhetstyp"), choices=DeviceKind.choices)
    end_of_support = DateField(label=_("Supporten upphör"), required=False)
    lease_months = forms.IntegerField(
        label=_("Standardlängd på leasing (månader)"), min_value=1, max_value=120
    )
    price = forms.DecimalField(
        label=_("Pris vid utbyte (kr)"), min_value=0, max_digits=12, decimal_places=2
    )


class ModelEditForm(ModelForm):
    is_active = forms.BooleanField(label=_("Aktiv (kan väljas för nya enheter)"), required=False)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


NOT_CHARGED = "none"


class ChargeMappingForm(forms.Form):
    """Charge a device kind, or one model, through a catalogue service (or not at all)."""

    kind = forms.ChoiceField(
        label=_("Enhetstyp"), choices=[("", "–"), *DeviceKind.choices], required=False
    )
    model = forms.TypedChoiceField(
        label=_("Modell (i stället för hela enhetstypen)"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    service = forms.ChoiceField(
        label=_("Tjänst i katalogen"),
        help_text=_("Priset per enhet och månad i den prislista som gäller."),
    )

    def __init__(self, *args: Any, models: Any = (), services: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "–"), *((m.pk, str(m)) for m in models)]  # type: ignore[attr-defined]
        self.fields["service"].choices = [  # type: ignore[attr-defined]
            ("", "–"),
            *((str(s.pk), s.name) for s in services),
            (NOT_CHARGED, _("Debiteras inte")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("kind") and not data.get("model"):
            self.add_error("kind", _("Välj en enhetstyp eller en modell."))
        return data
