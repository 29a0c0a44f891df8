from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.knowledge.choices import ArticleKind, ArticleOrdering, ArticleStatus, Audience
from itfabrik.knowledge.models import BODY_MAX, COMMENT_MAX, QUERY_MAX, SUMMARY_MAX, TITLE_MAX


class HelpSearchForm(forms.Form):
    q = forms.CharField(label=_("Vad behöver du hjälp med?"), required=False, max_length=QUERY_MAX)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *ArticleKind.choices])


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=TITLE_MAX)
    summary = forms.CharField(
        label=_("Sammanfattning"),
        required=False,
        max_length=SUMMARY_MAX,
        help_text=_("En mening som visas i sökträffarna."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Markdown: ## rubrik, **fetstil**, *kursiv*, 1. numrerad lista, - punktlista, "
            "[länktext](adress). HTML visas som text."
        ),
    )
    area = forms.TypedChoiceField(label=_("Tjänsteområde"), coerce=int)
    audience = forms.ChoiceField(label=_("Målgrupp"), choices=Audience.choices)
    municipality = forms.TypedChoiceField(
        label=_("Kommun"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Bara när målgruppen är en kommun."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self, *args: Any, areas: list[Any], municipalities: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.pk, a.name) for a in areas]  # type: ignore[attr-defined]
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            ("", "–"),
            *[(m.pk, m.name) for m in municipalities],
        ]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        label=_("Hjälpte det här?"),
        choices=[("yes", _("Ja")), ("no", _("Nej"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeflectionForm(forms.Form):
    q = forms.CharField(required=False, max_length=QUERY_MAX, widget=forms.HiddenInput)


class ArticleFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False, max_length=QUERY_MAX)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alla")), *ArticleStatus.choices]
    )
    audience = forms.ChoiceField(
        label=_("Målgrupp"), required=False, choices=[("", _("Alla")), *Audience.choices]
    )
    area = forms.TypedChoiceField(
        label=_("Tjänsteområde"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Slag"), required=False, choices=[("", _("Alla")), *ArticleKind.choices]
    )
    ordering = forms.ChoiceField(
        label=_("Sortering"), required=False, choices=ArticleOrdering.choices
    )

    def __init__(self, *args: Any, areas: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla")),
            *[(a.pk, a.name) for a in areas],
        ]
