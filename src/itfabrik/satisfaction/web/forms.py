from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.core.web.forms import DateField

from ..choices import Score
from ..selectors import _default_period
from ..services import MAX_COMMENT


class RatingForm(forms.Form):
    """The five buttons post `score`; the comment is optional and may come with the click."""

    score = forms.TypedChoiceField(
        label=_("Betyg"),
        choices=Score.choices,
        coerce=int,
        error_messages={"required": _("Välj ett betyg från 1 till 5.")},
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv gärna vad som var bra eller vad vi kan göra bättre."),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Vad har gjorts?"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PeriodForm(forms.Form):
    start = DateField(label=_("Från och med"), required=False)
    end = DateField(label=_("Till och med"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Slutdatumet får inte vara före startdatumet."))
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        start, end = _default_period()
        if self.is_bound and self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
        return start, end
