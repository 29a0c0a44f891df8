from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    page_url = forms.CharField(
        label=_("Vilken sida gäller det?"),
        max_length=500,
        required=False,
        help_text=_("Klistra in adressen eller beskriv sidan."),
    )
    description = forms.CharField(
        label=_("Beskriv problemet"),
        max_length=5000,
        widget=forms.Textarea,
    )
    contact_email = forms.EmailField(
        label=_("Din e-postadress (om du vill ha svar)"),
        required=False,
    )
