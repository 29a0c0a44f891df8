from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from itfabrik.billing.choices import KeyMethod
from itfabrik.billing.sources import available_methods

PERIOD = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Ange perioden som ÅÅÅÅ-MM, t.ex. 2026-01."))


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("Period (ÅÅÅÅ-MM)"),
        max_length=7,
        validators=[PERIOD],
        help_text=_("T.ex. 2026-12."),
    )


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class SimulationForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    method = forms.ChoiceField(label=_("Fördelningsnyckel att simulera"), choices=KeyMethod.choices)

    def __init__(self, *args: Any, municipalities: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = available_methods()  # type: ignore[attr-defined]
        self.municipalities = municipalities or []
        for m in self.municipalities:
            self.fields[f"pct_{m.pk}"] = forms.DecimalField(
                label=_("Procent för %(name)s") % {"name": m.name},
                required=False,
                max_digits=5,
                decimal_places=2,
                help_text=_("Bara för fasta procentsatser."),
            )

    def percentages(self) -> dict[str, str]:
        if self.cleaned_data.get("method") != KeyMethod.PERCENTAGES:
            return {}
        return {
            str(m.pk): str(self.cleaned_data.get(f"pct_{m.pk}") or 0) for m in self.municipalities
        }
