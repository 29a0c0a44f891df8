from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.core.web.forms import DateField

MAX_ID = 2**63 - 1


class HireForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    personal_number = forms.CharField(
        label=_("Personnummer"),
        max_length=20,
        required=False,
        help_text=_("ÅÅÅÅMMDD-NNNN. Visas bara för dem som behöver det."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Enhet"), queryset=None, empty_label=_("Välj enhet")
    )
    title = forms.CharField(label=_("Befattning"), max_length=150)
    start = DateField(label=_("Startdatum"))
    end = DateField(label=_("Slutdatum"), required=False)
    business_role: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Verksamhetsroll"), queryset=None, required=False, empty_label=_("Ingen roll")
    )

    def __init__(self, *args: Any, units: Any, roles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].label_from_instance = lambda n: (  # type: ignore[attr-defined]
            f"{n.municipality.name if n.municipality_id else ''} – {n.name}"
        )
        self.fields["business_role"].queryset = roles  # type: ignore[attr-defined]
        self.fields["business_role"].label_from_instance = lambda r: (  # type: ignore[attr-defined]
            f"{r.municipality.name} – {r.name}"
        )


class EmploymentEndForm(forms.Form):
    end = DateField(label=_("Sista anställningsdag"))
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class RoleChangeForm(forms.Form):
    to_role: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Ny roll"), queryset=None, empty_label=_("Välj roll")
    )

    def __init__(self, *args: Any, roles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_role"].queryset = roles  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class CampaignForm(forms.Form):
    municipality: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kommun"), queryset=None, empty_label=_("Välj kommun")
    )
    name = forms.CharField(label=_("Namn"), max_length=150)
    due = DateField(label=_("Sista dag"))

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Semikolonavgränsad, UTF-8. Kolumner: förnamn;efternamn;personnummer;"
            "enhet (kostnadsställe);befattning;startdatum;slutdatum"
        ),
    )
    dry_run = forms.BooleanField(label=_("Provkör (inget sparas)"), required=False, initial=True)


class DirectGrantForm(forms.Form):
    account: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Konto"), queryset=None, empty_label=_("Välj konto")
    )
    entitlement: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Behörighet"), queryset=None, empty_label=_("Välj behörighet")
    )
    valid_until = DateField(label=_("Giltig till"))
    reason = forms.CharField(label=_("Motivering"), max_length=300)

    def __init__(self, *args: Any, accounts: Any, entitlements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["entitlement"].queryset = entitlements  # type: ignore[attr-defined]
