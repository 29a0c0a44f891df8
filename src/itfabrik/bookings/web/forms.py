from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.bookings.choices import BlockPart
from itfabrik.bookings.models import MAX_CAPACITY
from itfabrik.core.web.forms import DateField

MAX_ID = 2**63 - 1


class BookForm(forms.Form):
    """Book (or, with a booking's version, rebook) a visit: the block is chosen from the radio
    list of free blocks on the page."""

    block = forms.IntegerField(
        label=_("Pass"),
        min_value=1,
        max_value=MAX_ID,
        error_messages={"required": _("Välj ett pass.")},
    )
    note = forms.CharField(
        label=_("Meddelande till teknikern"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel var du sitter eller när du inte är på plats."),
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class CancelForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Skäl"), required=False, max_length=500)


class MarkForm(forms.Form):
    note = forms.CharField(label=_("Vad ska göras på plats?"), required=False, max_length=500)


class GenerateForm(forms.Form):
    technician: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Tekniker"), queryset=None
    )
    municipality: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kommun"), queryset=None
    )
    first = DateField(label=_("Från och med"))
    last = DateField(label=_("Till och med"))
    parts = forms.MultipleChoiceField(
        label=_("Pass"),
        choices=BlockPart.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[BlockPart.MORNING, BlockPart.AFTERNOON],
    )
    capacity = forms.IntegerField(
        label=_("Besök per pass"), min_value=1, max_value=MAX_CAPACITY, initial=2
    )

    def __init__(self, *args: Any, technicians: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class BlockEditForm(forms.Form):
    capacity = forms.IntegerField(label=_("Besök per pass"), min_value=1, max_value=MAX_CAPACITY)
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=200)
    is_open = forms.BooleanField(label=_("Öppet för bokning"), required=False)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
