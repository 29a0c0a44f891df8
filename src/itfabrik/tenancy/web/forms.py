from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.core.web.forms import DateField
from itfabrik.tenancy.choices import NodeKind, ServiceLine
from itfabrik.tenancy.models import MAX_INHABITANTS, inhabitants_limit_message


class NodeFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök namn eller kostnadsställe"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Typ"), required=False)
    municipality = forms.TypedChoiceField(
        label=_("Kommun"), required=False, coerce=int, empty_value=None
    )
    inactive = forms.BooleanField(label=_("Visa avvecklade"), required=False)

    def __init__(self, *args: Any, municipalities: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Alla typer")), *NodeKind.choices]  # type: ignore[attr-defined]
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla kommuner")),
            *[(m.pk, m.name) for m in municipalities or []],
        ]


class NodeEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Namn"), max_length=200)
    municipal_code = forms.CharField(label=_("Kommunkod"), max_length=4, required=False)
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=11,
        required=False,
        help_text=_("Tio siffror, NNNNNN-NNNN."),
    )
    email_domain = forms.CharField(label=_("E-postdomän"), max_length=253, required=False)
    cost_centre = forms.CharField(label=_("Kostnadsställe"), max_length=20, required=False)

    MUNICIPAL_ONLY = ("municipal_code", "organisation_number", "email_domain")

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind != NodeKind.MUNICIPALITY:
            for name in self.MUNICIPAL_ONLY:
                del self.fields[name]
        if kind != NodeKind.UNIT:
            del self.fields["cost_centre"]


class NodeCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"))
    name = forms.CharField(label=_("Namn"), max_length=200)
    cost_centre = forms.CharField(
        label=_("Kostnadsställe"),
        max_length=20,
        required=False,
        help_text=_("Gäller enheter. Används vid fakturering."),
    )

    def __init__(self, *args: Any, allowed_kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k, NodeKind(k).label) for k in allowed_kinds
        ]


class InhabitantsForm(forms.Form):
    year = forms.IntegerField(label=_("År (31 december)"), min_value=1900, max_value=2100)
    inhabitants = forms.IntegerField(
        label=_("Invånare"),
        min_value=0,
        max_value=MAX_INHABITANTS,
        error_messages={"max_value": inhabitants_limit_message()},
    )
    source = forms.CharField(label=_("Källa"), max_length=100, initial="SCB")


class JoinForm(forms.Form):
    municipality = forms.TypedChoiceField(label=_("Kommun"), coerce=int)
    joined_on = DateField(label=_("Medlem från"))
    decision_reference = forms.CharField(
        label=_("Beslut (diarienummer)"), max_length=100, required=False
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.pk, m.name) for m in candidates]  # type: ignore[attr-defined]


class HostForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    host = forms.TypedChoiceField(label=_("Värdkommun"), coerce=int)

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].choices = [(m.pk, m.name) for m in members]  # type: ignore[attr-defined]


class LeaveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    left_on = DateField(label=_("Medlem till och med"))
    decision_reference = forms.CharField(
        label=_("Beslut (diarienummer)"), max_length=100, required=False
    )


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = DateField(
        label=_("Avvecklad från och med"),
        help_text=_("ÅÅÅÅ-MM-DD. Enheten finns kvar i historiken men kan inte väljas längre."),
    )


class CooperationForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    slug = forms.SlugField(
        label=_("Kortnamn"),
        max_length=50,
        help_text=_("Små bokstäver, siffror och bindestreck, t.ex. dalsland."),
    )
    root_name = forms.CharField(
        label=_("Namn på organisationsträdets rot"),
        max_length=200,
        required=False,
        help_text=_("Tomt: samma som samverkans namn."),
    )


class PositionForm(forms.Form):
    """A position's fields. `version` is present when an existing position is changed."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Befattning"), max_length=200)
    line = forms.ChoiceField(label=_("Linje"), choices=ServiceLine.choices)
    specialisation = forms.CharField(label=_("Inriktning"), max_length=100, required=False)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    holder = forms.TypedChoiceField(
        label=_("Innehavare"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Lämna tomt för en vakant tjänst."),
    )

    def __init__(self, *args: Any, teams: list[Any], people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]  # type: ignore[attr-defined]
        self.fields["holder"].choices = [  # type: ignore[attr-defined]
            ("", _("Vakant")),
            *[(p.pk, f"{p} ({p.username})") for p in people],
        ]


class PositionCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = DateField(label=_("Avslutas från och med"))
