from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.mailchannel.choices import Outcome, Source


class InboundFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Utfall"), required=False, choices=[("", _("Alla")), *Outcome.choices]
    )
    source = forms.ChoiceField(
        label=_("Källa"), required=False, choices=[("", _("Alla")), *Source.choices]
    )
    q = forms.CharField(label=_("Sök"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Ordning"),
        required=False,
        choices=[("newest", _("Nyast först")), ("oldest", _("Äldst först"))],
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Svar till anmälaren"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )


class ResolveForm(forms.Form):
    body = forms.CharField(
        label=_("Lösning (skickas till anmälaren)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
