from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.core.web.forms import DateField
from itfabrik.risks.choices import Category, Treatment

SCALE = [(str(v), str(v)) for v in range(1, 6)]
OPTIONAL_SCALE = [("", _("Ej bedömd")), *SCALE]


def _scale(label: Any, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE if required else OPTIONAL_SCALE,
        coerce=int,
        empty_value=None,
        required=required,
        error_messages={"invalid_choice": _("Ange ett heltal från 1 till 5.")},
    )


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scope: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Omfattning"), queryset=None
    )
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Riskägare"), queryset=None, required=False
    )
    probability = _scale(_("Sannolikhet (1–5)"))
    consequence = _scale(_("Konsekvens (1–5)"))
    residual_probability = _scale(_("Kvarvarande sannolikhet"), required=False)
    residual_consequence = _scale(_("Kvarvarande konsekvens"), required=False)
    treatment = forms.ChoiceField(label=_("Hantering"), choices=Treatment.choices)
    decision = forms.CharField(
        label=_("Beslut"),
        max_length=30,
        required=False,
        help_text=_("Beslutets nummer, till exempel ITR-2026-014. Krävs för att acceptera."),
    )
    treatment_note = forms.CharField(
        label=_("Om hanteringen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    review_months = forms.IntegerField(
        label=_("Följs upp var (månader)"), min_value=1, max_value=36, initial=6
    )
    next_review = DateField(label=_("Nästa uppföljning"), required=False)
    systems: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("System"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    services: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Tjänster i katalogen"), queryset=None, required=False
    )
    initiatives: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Initiativ"), queryset=None, required=False
    )
    is_open = forms.BooleanField(
        label=_("Öppen (avmarkera för att stänga)"), required=False, initial=True
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        scopes: Any,
        owners: Any,
        systems: Any,
        services: Any,
        initiatives: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = scopes  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["systems"].queryset = systems  # type: ignore[attr-defined]
        self.fields["services"].queryset = services  # type: ignore[attr-defined]
        self.fields["initiatives"].queryset = initiatives  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Åtgärd"), max_length=500)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Ansvarig"), queryset=None)
    due = DateField(label=_("Klart senast"))

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    held_on = DateField(label=_("Datum"))
    risks: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Risker att poängsätta"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, risks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risks"].queryset = risks  # type: ignore[attr-defined]
