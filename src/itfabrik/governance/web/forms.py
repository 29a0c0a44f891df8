from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.core.web.forms import DateField
from itfabrik.governance.choices import (
    AmendmentKind,
    DecisionScope,
    DecisionStatus,
    MatterKind,
    MemberRole,
    NeedKind,
)

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MeetingCreateForm(forms.Form):
    held_on = DateField(label=_("Datum"))
    location = forms.CharField(label=_("Plats"), required=False, max_length=150)


class MeetingEditForm(VersionForm):
    held_on = DateField(label=_("Datum"))
    location = forms.CharField(label=_("Plats"), required=False, max_length=150)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("planned", _("Planerat")),
            ("held", _("Genomfört")),
            ("cancelled", _("Inställt")),
        ],
    )
    attendees = forms.CharField(label=_("Närvarande"), required=False, widget=TEXTAREA)
    minutes = forms.CharField(label=_("Protokoll, allmänt"), required=False, widget=TEXTAREA)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(label=_("Underlag"), required=False, widget=TEXTAREA)


class AgendaItemEditForm(VersionForm):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(label=_("Underlag"), required=False, widget=TEXTAREA)
    minutes = forms.CharField(label=_("Protokollstext"), required=False, widget=TEXTAREA)


class MemberForm(forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Person"), queryset=None)
    role = forms.ChoiceField(label=_("Roll"), choices=MemberRole.choices)
    represents = forms.CharField(label=_("Representerar"), required=False, max_length=150)
    valid_from = DateField(label=_("Från"))

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users  # type: ignore[attr-defined]


class MemberEndForm(VersionForm):
    valid_to = DateField(label=_("Sista dag"))


class MatterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=MatterKind.choices)
    need_kind = forms.ChoiceField(label=_("Gäller"), choices=NeedKind.choices)
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(label=_("Beskrivning"), widget=TEXTAREA)


class PrepareForm(VersionForm):
    target_forum: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("För beslut i"), queryset=None
    )
    proposal_text = forms.CharField(label=_("Förslag till beslut"), widget=TEXTAREA)

    def __init__(self, *args: Any, forums: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_forum"].queryset = forums  # type: ignore[attr-defined]


def _link_choices(groups: list[tuple[Any, list[tuple[str, str]]]]) -> list[Any]:
    return [(str(label), items) for label, items in groups if items]


class DecisionForm(forms.Form):
    meeting: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Möte"), queryset=None, empty_label=None
    )
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    text = forms.CharField(label=_("Beslutstext"), widget=TEXTAREA)
    scope = forms.ChoiceField(label=_("Omfattning"), choices=DecisionScope.choices)
    municipality: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kommun"),
        queryset=None,
        required=False,
        help_text=_("Bara när beslutet gäller en kommun."),
    )
    decided_on = DateField(label=_("Beslutsdatum"), required=False)

    def __init__(
        self,
        *args: Any,
        meetings: Any,
        municipalities: Any,
        link_groups: list[tuple[Any, list[tuple[str, str]]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.link_values = {v for _label, items in link_groups for v, _text in items}
        self.fields["decided_on"].help_text = _("ÅÅÅÅ-MM-DD. Tomt: mötets datum.")

    def link_pairs(self) -> list[tuple[str, int]]:
        """The checked "what the decision governs" boxes (rendered by the template, one fieldset
        per kind); an unknown value is an error on the form."""
        out = []
        for value in self.data.getlist("links") if hasattr(self.data, "getlist") else []:
            if value not in self.link_values:
                self.add_error(None, _("Okänt objekt att länka till."))
                continue
            kind, _sep, pk = value.partition(":")
            out.append((kind, int(pk)))
        return out


class DecisionEditForm(VersionForm):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    text = forms.CharField(label=_("Beslutstext"), widget=TEXTAREA)
    decided_on = DateField(label=_("Beslutsdatum"))


class StatusForm(VersionForm):
    status = forms.ChoiceField(label=_("Ny status"), choices=DecisionStatus.choices)


class LinkForm(forms.Form):
    target = forms.ChoiceField(label=_("Objekt"))

    def __init__(
        self, *args: Any, link_groups: list[tuple[Any, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = _link_choices(link_groups)  # type: ignore[attr-defined]


class DecisionFilterForm(forms.Form):
    forum: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Forum"), queryset=None, required=False, empty_label=_("Alla")
    )
    scope = forms.ChoiceField(
        label=_("Omfattning"), choices=[("", _("Alla")), *DecisionScope.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alla")), *DecisionStatus.choices], required=False
    )
    q = forms.CharField(label=_("Sök nummer eller rubrik"), required=False, max_length=100)

    def __init__(self, *args: Any, forums: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums  # type: ignore[attr-defined]


class AgreementForm(VersionForm):
    class_fields = (
        "title",
        "background",
        "purpose",
        "starts_on",
        "ends_on",
        "extension_terms",
        "commitments",
        "scope_and_documents",
        "compensation",
        "payment_terms",
        "disputes",
        "amendment_procedure",
        "notice_months",
        "exit_process",
        "exit_fee",
        "veto",
        "governance",
        "budget",
        "cost_distribution",
        "allocation_keys",
        "investments",
        "insight",
        "archiving",
        "insurance",
        "evaluation",
        "appendices",
    )

    def __init__(self, *args: Any, keys: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from itfabrik.governance.models import Agreement

        for name in self.class_fields:
            if name == "allocation_keys":
                self.fields[name] = forms.ModelMultipleChoiceField(
                    label=_("Fördelningsnycklar"),
                    queryset=keys,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
                continue
            model_field: Any = Agreement._meta.get_field(name)
            if name in ("starts_on", "ends_on"):
                self.fields[name] = DateField(
                    label=model_field.verbose_name, required=name == "starts_on"
                )
            elif name == "notice_months":
                self.fields[name] = forms.IntegerField(
                    label=model_field.verbose_name, min_value=0, max_value=120
                )
            elif name == "title":
                self.fields[name] = forms.CharField(label=model_field.verbose_name, max_length=200)
            else:
                self.fields[name] = forms.CharField(
                    label=model_field.verbose_name, required=False, widget=TEXTAREA
                )


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=AmendmentKind.choices)
    effective_on = DateField(label=_("Gäller från"))
    municipality: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kommun"),
        queryset=None,
        required=False,
        help_text=_("När en kommun ansluter eller lämnar."),
    )
    decision_number = forms.CharField(
        label=_("Beslutsnummer"), required=False, max_length=30, help_text=_("T.ex. SR-2026-002.")
    )
    description = forms.CharField(label=_("Beskrivning"), widget=TEXTAREA)
    apply = forms.BooleanField(label=_("Verkställ nu (parter och medlemskap)"), required=False)

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class EvaluationForm(forms.Form):
    due_on = DateField(label=_("Datum"))
    description = forms.CharField(label=_("Vad utvärderas"), max_length=300)


class EvaluationDoneForm(VersionForm):
    done_on = DateField(label=_("Genomförd"))
    outcome = forms.CharField(label=_("Resultat"), widget=TEXTAREA)
