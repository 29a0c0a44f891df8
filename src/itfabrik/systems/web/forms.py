from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.core import klassa
from itfabrik.core.web.forms import DateField
from itfabrik.systems.choices import Compliance, Hosting, ProgrammeStatus

LEVEL_CHOICES = [("", _("Ej bedömd"))] + [(str(v), label) for v, label in klassa.Level.choices]


class SystemForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    supplier = forms.CharField(label=_("Leverantör"), max_length=200, required=False)
    hosting = forms.ChoiceField(label=_("Drift"), choices=Hosting.choices)
    status = forms.ChoiceField(label=_("Programstatus"), choices=ProgrammeStatus.choices)
    contract_end = DateField(label=_("Avtalet löper ut"), required=False)
    capabilities: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Förmågor"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(
        label=_("Aktiv (avmarkera för att avsluta)"), required=False, initial=True
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, capabilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capabilities"].queryset = capabilities  # type: ignore[attr-defined]


class ClassifyForm(forms.Form):
    """The KLASSA levels: a select per aspect, so a level outside 0-4 cannot be chosen; a
    forged one is refused by the field and by the service."""

    confidentiality = forms.TypedChoiceField(
        label=_("Konfidentialitet"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    integrity = forms.TypedChoiceField(
        label=_("Riktighet"), choices=LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )
    availability = forms.TypedChoiceField(
        label=_("Tillgänglighet"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    personal_data = forms.BooleanField(label=_("Behandlar personuppgifter"), required=False)
    traceability = forms.TypedChoiceField(
        label=_("Spårbarhet"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Bara när personuppgifter behandlas."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class UseForm(forms.Form):
    municipality: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kommun"), queryset=None
    )
    owner = forms.CharField(label=_("Systemägare i kommunen"), max_length=200)
    users = forms.IntegerField(label=_("Antal användare"), min_value=0, max_value=1_000_000)

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class IntegrationForm(forms.Form):
    target: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Till system"), queryset=None
    )
    description = forms.CharField(label=_("Vad som överförs"), max_length=300, required=False)

    def __init__(self, *args: Any, systems: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = systems  # type: ignore[attr-defined]


class AssessmentForm(forms.Form):
    requirement = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    compliance = forms.ChoiceField(label=_("Bedömning"), choices=Compliance.choices)
    comment = forms.CharField(label=_("Kommentar"), max_length=500, required=False)
    action = forms.CharField(
        label=_("Åtgärd"),
        max_length=500,
        required=False,
        help_text=_("Vid brist: vad som ska göras. Tomt ger ”Uppfyll kravet”."),
    )
    action_due = DateField(label=_("Åtgärdas senast"), required=False)


class CapabilityForm(forms.Form):
    name = forms.CharField(label=_("Förmåga"), max_length=120)
    description = forms.CharField(label=_("Beskrivning"), max_length=500, required=False)


class RequirementForm(forms.Form):
    code = forms.CharField(label=_("Kod"), max_length=20)
    aspect = forms.ChoiceField(label=_("Aspekt"), choices=klassa.Aspect.choices)
    level = forms.TypedChoiceField(
        label=_("Gäller från nivå"),
        choices=[(str(v), lab) for v, lab in klassa.Level.choices],
        coerce=int,
    )
    text = forms.CharField(label=_("Krav"), max_length=500)


class AssetForm(ClassifyForm):
    name = forms.CharField(label=_("Namn"), max_length=200)
    system: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("System"), queryset=None, required=False
    )
    version = None  # type: ignore[assignment]

    field_order = ["name", "system"]

    def __init__(self, *args: Any, systems: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems  # type: ignore[attr-defined]


class PlannedForm(forms.Form):
    capabilities: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Förmågor som det planerade systemet ska ha"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en förmåga.")},
    )

    def __init__(self, *args: Any, capabilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capabilities"].queryset = capabilities  # type: ignore[attr-defined]
