from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from itfabrik.billing.choices import KeyMethod, PoolKind
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


class PoolCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=PoolKind.choices)
    code = forms.SlugField(label=_("Kod"), max_length=30, help_text=_("T.ex. bas-it."))
    name = forms.CharField(label=_("Namn"), max_length=100)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PoolEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Namn"), max_length=100)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PoolCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closed_after = forms.DateField(
        label=_("Stängs efter"),
        help_text=_("Den sista dagen i den sista månaden som ska debiteras, t.ex. 2026-12-31."),
    )


class BudgetForm(forms.Form):
    # 0: the editor saw no budget for the year (a second submit then finds one: a conflict).
    version = forms.IntegerField(widget=forms.HiddenInput, initial=0)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("Årsbudget (kr)"), max_digits=14, decimal_places=2, min_value=0, localize=True
    )
    note = forms.CharField(label=_("Anmärkning"), max_length=200, required=False)


def _municipality_fields(form: forms.Form, municipalities: list[Any], help_text: Any) -> None:
    for m in municipalities:
        form.fields[f"pct_{m.pk}"] = forms.DecimalField(
            label=_("Procent för %(name)s") % {"name": m.name},
            required=False,
            max_digits=5,
            decimal_places=2,
            min_value=0,
            max_value=100,
            help_text=help_text,
        )


class KeyForm(forms.Form):
    method = forms.ChoiceField(label=_("Fördelningsmetod"))
    valid_from = forms.DateField(
        label=_("Gäller från"), help_text=_("Den första i en månad, t.ex. 2027-01-01.")
    )
    valid_to = forms.DateField(
        label=_("Gäller till"),
        required=False,
        help_text=_("Den sista i en månad; tomt: tills vidare."),
    )
    decision_reference = forms.CharField(
        label=_("Beslut"),
        max_length=100,
        help_text=_("Beslutet som antog nyckeln, t.ex. ITR-2026-014."),
    )

    def __init__(self, *args: Any, municipalities: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = available_methods()  # type: ignore[attr-defined]
        self.municipalities = municipalities or []
        _municipality_fields(self, self.municipalities, _("Bara för fasta procentsatser."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == KeyMethod.PERCENTAGES:
            values = [data.get(f"pct_{m.pk}") for m in self.municipalities]
            total = sum((v for v in values if v is not None), Decimal(0))
            if total != 100:
                raise forms.ValidationError(
                    _("Procentsatserna ska summera till 100; nu är summan %(total)s.")
                    % {"total": f"{total:.2f}".replace(".", ",")}
                )
        return data

    def percentages(self) -> dict[str, str]:
        if self.cleaned_data.get("method") != KeyMethod.PERCENTAGES:
            return {}
        return {
            str(m.pk): str(self.cleaned_data.get(f"pct_{m.pk}") or 0) for m in self.municipalities
        }


class KeyEndForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Gäller till"), help_text=_("Den sista dagen i en månad, t.ex. 2026-12-31.")
    )


class UsageFilterForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Kommun"), required=False)
    used_from = forms.DateField(label=_("Från datum"), required=False)
    used_to = forms.DateField(label=_("Till datum"), required=False)
    q = forms.CharField(label=_("Tjänst eller text"), required=False, max_length=100)

    def __init__(self, *args: Any, municipalities: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("Alla"))] + [  # type: ignore[attr-defined]
            (str(m.pk), m.name) for m in municipalities or []
        ]


class CreditForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till krediteringen"), max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "UTF-8, semikolon- eller kommaseparerad, med rubrikraden "
            "kommunkod;kostnadsstalle;tjanst;beskrivning;antal;a_pris;datum."
        ),
    )


class SpendForm(forms.Form):
    initiative = forms.CharField(label=_("Initiativ"), max_length=200)
    reference = forms.CharField(
        label=_("Referens"),
        max_length=100,
        required=False,
        help_text=_("T.ex. initiativets nummer i portföljen eller ett beslut."),
    )
    amount = forms.DecimalField(
        label=_("Belopp (kr)"), max_digits=14, decimal_places=2, localize=True
    )
    spent_on = forms.DateField(label=_("Datum"))


class LedgerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    voucher_series = forms.CharField(label=_("Verifikationsserie"), max_length=10)
    shared_account = forms.CharField(label=_("Konto gemensamma kostnader"), max_length=10)
    consumption_account = forms.CharField(label=_("Konto förbrukning"), max_length=10)
    fund_account = forms.CharField(label=_("Konto digitaliseringsfond"), max_length=10)
    counter_account = forms.CharField(label=_("Motkonto"), max_length=10)
