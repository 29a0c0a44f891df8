from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.core.web.forms import DateField
from itfabrik.portfolio import rules
from itfabrik.portfolio.choices import BenefitKind, InitiativeState, StatusColour

RATINGS = [(i, str(i)) for i in range(rules.RATING_MIN, rules.RATING_MAX + 1)]
MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class MonthField(forms.DateField):
    """A month typed as ÅÅÅÅ-MM (the first day of it is stored)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Ange månaden som ÅÅÅÅ-MM.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("ÅÅÅÅ-MM"))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


class DecimalField(forms.DecimalField):
    """A number with a Swedish decimal comma or a point (a text field: a number field refuses
    the comma in many browsers)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        return super().to_python(value)


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök nummer eller namn"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Läge"), required=False)
    municipality = forms.TypedChoiceField(
        label=_("Kommun"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label=_("Sortera"),
        required=False,
        choices=[
            ("priority", _("Högst prioritet först")),
            ("code", _("Nummer")),
            ("start", _("Start")),
            ("state", _("Läge")),
        ],
    )

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Alla")), *InitiativeState.choices]  # type: ignore[attr-defined]
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla")),
            *[(m.pk, m.name) for m in municipalities],
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {k: data.get(k) or None for k in ("q", "state", "municipality")}


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Namn"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    business_case = forms.CharField(
        label=_("Nyttokalkyl"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Kostnader, nyttor och hur nyttan ska hämtas hem."),
    )
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Ägare"), queryset=None)
    all_municipalities = forms.BooleanField(
        label=_("Hela samverkan står bakom initiativet"), required=False
    )
    sponsors: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Finansierande kommuner"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj kommunerna när inte hela samverkan står bakom."),
    )
    start = DateField(label=_("Start"))
    end = DateField(label=_("Slut"), required=False)
    decision_reference = forms.CharField(
        label=_("Beslut"),
        required=False,
        max_length=20,
        help_text=_("Beslutets nummer, till exempel ITR-2026-014."),
    )
    budget = DecimalField(label=_("Budget (kr)"), required=False, min_value=0, **MONEY)
    value = forms.TypedChoiceField(label=_("Nytta (1–5)"), choices=RATINGS, coerce=int, initial=3)
    urgency = forms.TypedChoiceField(
        label=_("Angelägenhet (1–5)"), choices=RATINGS, coerce=int, initial=3
    )
    effort = forms.TypedChoiceField(
        label=_("Insats (1–5)"),
        choices=RATINGS,
        coerce=int,
        initial=3,
        help_text=_("Hög insats sänker prioriteten."),
    )
    risk = forms.TypedChoiceField(
        label=_("Risk (1–5)"),
        choices=RATINGS,
        coerce=int,
        initial=3,
        help_text=_("Hög risk sänker prioriteten."),
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owners: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["sponsors"].queryset = municipalities  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    state = forms.ChoiceField(label=_("Nytt läge"), choices=InitiativeState.choices)
    decision_reference = forms.CharField(
        label=_("Beslut"),
        required=False,
        max_length=20,
        help_text=_("Krävs för att godkänna, till exempel ITR-2026-014."),
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Delmål"), max_length=200)
    due = DateField(label=_("Datum"))
    done = forms.BooleanField(label=_("Klart"), required=False)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class StatusForm(forms.Form):
    period = MonthField(label=_("Månad"))
    colour = forms.ChoiceField(
        label=_("Status"), choices=StatusColour.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Kommentar"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"period": timezone.localdate().replace(day=1)})
        super().__init__(*args, **kwargs)


class BenefitForm(forms.Form):
    municipality: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kommun"), queryset=None
    )
    period = MonthField(label=_("Månad"))
    kind = forms.ChoiceField(label=_("Slag"), choices=BenefitKind.choices)
    measure = forms.CharField(label=_("Mått"), max_length=200)
    unit = forms.CharField(
        label=_("Enhet"),
        required=False,
        max_length=20,
        help_text=_(
            "För kvalitetsmått, till exempel procent eller dagar. Pengar i kr, tid i timmar."
        ),
    )
    planned = DecimalField(label=_("Planerat"), **MONEY)
    realised = DecimalField(label=_("Realiserat"), required=False, **MONEY)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Ansvarig"), queryset=None)
    comment = forms.CharField(label=_("Kommentar"), required=False, max_length=500)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owners: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class BenefitReportForm(forms.Form):
    realised = DecimalField(label=_("Realiserat"), required=False, **MONEY)
    comment = forms.CharField(label=_("Kommentar"), required=False, max_length=500)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class BenefitFilterForm(forms.Form):
    municipality = forms.TypedChoiceField(
        label=_("Kommun"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Slag"), required=False)
    period_from = MonthField(label=_("Från månad"), required=False)
    period_to = MonthField(label=_("Till månad"), required=False)
    mine = forms.BooleanField(label=_("Bara nyttor jag ansvarar för"), required=False)
    missing = forms.BooleanField(label=_("Bara nyttor utan realiserat värde"), required=False)

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla")),
            *[(m.pk, m.name) for m in municipalities],
        ]
        self.fields["kind"].choices = [("", _("Alla")), *BenefitKind.choices]  # type: ignore[attr-defined]


class FundingForm(forms.Form):
    amount = DecimalField(label=_("Belopp (kr)"), **MONEY)
    date = DateField(label=_("Datum"))
    decision_reference = forms.CharField(
        label=_("Beslut"),
        required=False,
        max_length=20,
        help_text=_("Krävs när fonden inte räcker, till exempel ITR-2026-014."),
    )
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=200)


class CriteriaForm(forms.Form):
    weight_value = forms.IntegerField(label=_("Vikt nytta"), min_value=0, max_value=10)
    weight_urgency = forms.IntegerField(label=_("Vikt angelägenhet"), min_value=0, max_value=10)
    weight_effort = forms.IntegerField(label=_("Vikt insats"), min_value=0, max_value=10)
    weight_risk = forms.IntegerField(label=_("Vikt risk"), min_value=0, max_value=10)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class PeriodForm(forms.Form):
    first = MonthField(label=_("Från månad"), required=False)
    last = MonthField(label=_("Till månad"), required=False)

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        first = dt.date(today.year, 1, 1)
        last = today.replace(day=1)
        if self.is_valid():
            first = self.cleaned_data.get("first") or first
            last = self.cleaned_data.get("last") or last
        if last < first:
            first, last = last, first
        return rules.month_start(first), rules.month_start(last)
