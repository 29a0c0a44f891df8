from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.network.choices import DeviceStatus, ImportKind


class NameDeviceForm(forms.Form):
    """Name a new device: the next free name for its site and type is taken on save."""

    site: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Plats"))
    device_type: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Enhetstyp")
    )
    manufacturer = forms.CharField(label=_("Tillverkare"), max_length=100, required=False)
    model = forms.CharField(label=_("Modell"), max_length=100, required=False)
    serial = forms.CharField(label=_("Serienummer"), max_length=50, required=False)
    description = forms.CharField(label=_("Beskrivning"), max_length=200, required=False)

    def __init__(self, *args: Any, sites: Any, types: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["site"].label_from_instance = lambda s: f"{s.name} ({s.code})"  # type: ignore[attr-defined]
        self.fields["device_type"].queryset = types  # type: ignore[attr-defined]
        self.fields["device_type"].label_from_instance = lambda t: f"{t.name} ({t.code})"  # type: ignore[attr-defined]
        self.fields["site"].error_messages["required"] = _("Välj en plats.")
        self.fields["device_type"].error_messages["required"] = _("Välj en enhetstyp.")


class CheckNameForm(forms.Form):
    name = forms.CharField(label=_("Namn att kontrollera"), max_length=200)


class DeviceEditForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=64)
    status = forms.ChoiceField(label=_("Status"), choices=DeviceStatus.choices)
    manufacturer = forms.CharField(label=_("Tillverkare"), max_length=100, required=False)
    model = forms.CharField(label=_("Modell"), max_length=100, required=False)
    serial = forms.CharField(label=_("Serienummer"), max_length=50, required=False)
    asset_tag = forms.CharField(label=_("Inventarienummer"), max_length=50, required=False)
    description = forms.CharField(label=_("Beskrivning"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Innehåll"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_("Kolumner som i NetBox massimport, t.ex. vid,name,site,status för VLAN."),
    )


class PatternForm(forms.Form):
    pattern = forms.CharField(
        label=_("Namnmönster"),
        max_length=120,
        help_text=_("Delar: {municipality}, {site}, {type}, {number:02}."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SiteForm(forms.Form):
    municipality: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Kommun")
    )
    code = forms.CharField(label=_("Platskod"), max_length=12)
    name = forms.CharField(label=_("Namn"), max_length=100)
    address = forms.CharField(label=_("Adress"), max_length=200, required=False)

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
