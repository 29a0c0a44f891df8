"""The economy's forms. Amounts and percentages are read as text and parsed by the services, so
that "12 496 743,50" is accepted and a wrong value gets the same message on the page as in the
API (naming the category and the value)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.economy.choices import FigureBasis
from itfabrik.economy.models import FIRST_YEAR, LAST_YEAR


def _number(label: Any, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class FiguresForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    net_cost = _number(_("Kommunens nettokostnad (kr)"))
    source = forms.CharField(label=_("Källa"), max_length=300, required=False)

    def __init__(self, *args: Any, categories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for c in categories:
            self.fields[f"cost_{c.pk}"] = _number(
                _("%(name)s (kr)") % {"name": c.name}, required=False
            )

    def costs(self, categories: list[Any]) -> dict[int, Any]:
        return {c.pk: self.cleaned_data.get(f"cost_{c.pk}") or "0" for c in categories}


class ScenarioForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Namn"), max_length=120)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    benchmark_percent = _number(
        _("Riktmärke: IT-kostnad som andel av nettokostnaden (%)"),
        help_text=_("Rikssnittet är 2,5 %. Mellan 0 och 100."),
    )
    is_default = forms.BooleanField(label=_("Förval på baslinjesidan"), required=False)
    is_active = forms.BooleanField(label=_("Aktivt"), required=False, initial=True)

    def __init__(self, *args: Any, categories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for c in categories:
            self.fields[f"rate_{c.pk}"] = _number(
                _("Besparing på %(name)s (%%)") % {"name": c.name}, required=False
            )

    def rates(self, categories: list[Any]) -> dict[int, Any]:
        return {c.pk: self.cleaned_data.get(f"rate_{c.pk}") or "0" for c in categories}


class TimelineEntryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    operating_cost = _number(_("Driftkostnad (kr)"))
    investment_cost = _number(_("Investering (kr)"))
    basis = forms.ChoiceField(label=_("Underlag"), choices=FigureBasis.choices)
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False)


class ProjectCostForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    amount = _number(_("Gemensamma projektkostnader (kr)"))
    basis = forms.ChoiceField(label=_("Underlag"), choices=FigureBasis.choices)
    note = forms.CharField(label=_("Anteckning"), max_length=300, required=False)


class NewFiguresForm(forms.Form):
    municipality = forms.TypedChoiceField(label=_("Kommun"), coerce=int)
    year = forms.IntegerField(label=_("År"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    net_cost = _number(_("Kommunens nettokostnad (kr)"))
    source = forms.CharField(label=_("Källa"), max_length=300, required=False)

    def __init__(
        self, *args: Any, categories: list[Any], municipalities: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.pk, m.name) for m in municipalities]  # type: ignore[attr-defined]
        for c in categories:
            self.fields[f"cost_{c.pk}"] = _number(
                _("%(name)s (kr)") % {"name": c.name}, required=False
            )

    def costs(self, categories: list[Any]) -> dict[int, Any]:
        return {c.pk: self.cleaned_data.get(f"cost_{c.pk}") or "0" for c in categories}


class CategoryForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Namn"), max_length=100)
    position = forms.IntegerField(label=_("Ordning"), min_value=0, max_value=999, initial=0)
    default_savings_percent = _number(
        _("Förvald besparingspotential (%)"), help_text=_("Mellan 0 och 100.")
    )
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)
