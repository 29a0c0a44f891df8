"""Forms of the service desk's configuration pages (groups, matrix, calendars, policies, VIPs)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.web.widgets import PersonSearchField
from itfabrik.core.actors import Actor
from itfabrik.core.web.forms import DateField
from itfabrik.servicedesk import selectors
from itfabrik.servicedesk.calendars import DAY_NAMES, EVES, format_hours, parse_hours
from itfabrik.servicedesk.choices import EscalationTrigger, GroupKind, Level, Priority


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False, max_length=100)
    active = forms.ChoiceField(
        label=_("Visa"),
        required=False,
        choices=[("1", _("Aktiva")), ("0", _("Avslutade")), ("all", _("Alla"))],
    )


def person_field(**kwargs: Any) -> PersonSearchField:
    """A person of the managed cooperations, chosen by search (leads, members, VIPs)."""
    return PersonSearchField(
        url_name="servicedesk:manageable_user_search",
        search=selectors.manageable_user_search_list,
        get=selectors.manageable_user_get,
        **kwargs,
    )


class GroupForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Namn"), max_length=100)
    kind = forms.ChoiceField(label=_("Typ"), choices=GroupKind.choices)
    lead = person_field(label=_("Teamledare"), required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)

    def __init__(self, *args: Any, actor: Actor, lead: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].actor = actor  # type: ignore[attr-defined]
        # The current lead reads as a name, and stays accepted even if out of scope now.
        self.fields["lead"].set_initial_person(lead, current=True)  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    user = person_field(label=_("Person"))

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].actor = actor  # type: ignore[attr-defined]


class MatrixForm(forms.Form):
    """The 3×3 table: one select per impact × urgency."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for impact, impact_label in Level.choices:
            for urgency, urgency_label in Level.choices:
                self.fields[f"{impact}_{urgency}"] = forms.ChoiceField(
                    label=_("Påverkan %(impact)s, brådska %(urgency)s")
                    % {"impact": impact_label, "urgency": urgency_label},
                    choices=Priority.choices,
                )

    def cells(self) -> dict[tuple[str, str], str]:
        return {(i, u): self.cleaned_data[f"{i}_{u}"] for i in Level.values for u in Level.values}


def hours_text(periods: Any) -> str:
    return "" if not periods else format_hours(periods).replace("–", "-")


class HoursField(forms.CharField):
    """Opening hours typed as "08:00-12:00, 13:00-16:30"; empty is closed."""

    default_error_messages = {
        "invalid": _("Skriv öppettiderna som 08:00-16:30 (flera med komma), eller lämna tomt.")
    }

    def to_python(self, value: Any) -> list[list[str]]:  # type: ignore[override]
        text = (super().to_python(value) or "").replace("–", "-").strip()
        if not text:
            return []
        out: list[list[str]] = []
        try:
            for part in text.split(","):
                opens, closes = (p.strip() for p in part.split("-"))
                out.append([opens.zfill(5), closes.zfill(5)])
            parse_hours(out)
        except (ValueError, TypeError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return out

    def prepare_value(self, value: Any) -> Any:
        return hours_text(value) if isinstance(value, list) else value


class CalendarForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Namn"), max_length=100)
    swedish_holidays = forms.BooleanField(label=_("Stängt på helgdagar"), required=False)
    eves = forms.MultipleChoiceField(
        label=_("Stängda aftnar"),
        required=False,
        choices=[(e, e) for e in EVES],
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, day in enumerate(DAY_NAMES):
            self.fields[f"day_{n}"] = HoursField(
                label=day.capitalize(),
                required=False,
                max_length=100,
                help_text=_("Till exempel 08:00-16:30. Tomt: stängt."),
            )

    def week(self) -> list[list[list[str]]]:
        return [self.cleaned_data[f"day_{n}"] for n in range(7)]


class CalendarDayForm(forms.Form):
    date = DateField(label=_("Datum"))
    hours = HoursField(
        label=_("Öppettider"),
        required=False,
        max_length=100,
        help_text=_("Tomt: stängt hela dagen. Annars de förkortade tiderna, t.ex. 08:00-12:00."),
    )
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=200)


class PolicyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Namn"), max_length=100)
    priority = forms.ChoiceField(label=_("Prioritet"), choices=Priority.choices)
    response_minutes = forms.IntegerField(
        label=_("Första svar (arbetsminuter)"), min_value=1, max_value=525600
    )
    resolution_minutes = forms.IntegerField(
        label=_("Lösning (arbetsminuter)"), min_value=1, max_value=525600
    )
    calendar: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kalender"), queryset=None
    )
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)

    def __init__(self, *args: Any, calendars: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["calendar"].queryset = calendars  # type: ignore[attr-defined]
        if editing:
            # The priority names the policy; a different priority is a new policy.
            self.fields["priority"].disabled = True


class VipForm(forms.Form):
    user = person_field(label=_("Person"))
    reason = forms.CharField(label=_("Skäl"), max_length=200)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].actor = actor  # type: ignore[attr-defined]


class EscalationRuleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Namn"), max_length=100)
    trigger = forms.ChoiceField(label=_("När"), choices=EscalationTrigger.choices)
    priorities = forms.MultipleChoiceField(
        label=_("Prioriteter"),
        choices=Priority.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen vald: alla prioriteter."),
    )
    groups: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Grupper"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen vald: alla grupper."),
    )
    notify = forms.BooleanField(
        label=_("Meddela handläggaren och gruppens teamledare"), required=False, initial=True
    )
    raise_priority = forms.BooleanField(label=_("Höj prioriteten ett steg"), required=False)
    reassign_to: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Flytta till gruppen"), queryset=None, required=False
    )
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups  # type: ignore[attr-defined]
        self.fields["reassign_to"].queryset = groups  # type: ignore[attr-defined]


class RoutingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    learning_url = forms.URLField(
        label=_("Lärplattformens adress"),
        required=False,
        assume_scheme="https",
        help_text=_("Utbildningsfrågor besvaras med en länk hit."),
    )
    training_keywords = forms.CharField(
        label=_("Nyckelord i rubriken"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ett eller flera ord, åtskilda med komma, t.ex. hur gör jag, utbildning."),
    )
    training_services = forms.TypedMultipleChoiceField(
        label=_("Tjänster som gäller utbildning"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    training_reply = forms.CharField(
        label=_("Svarstext"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tomt: ett standardsvar. Adressen läggs alltid till sist."),
    )
    replace_incidents = forms.IntegerField(
        label=_("Föreslå utbyte efter antal incidenter"),
        required=False,
        min_value=2,
        max_value=100,
        help_text=_("Tomt: inget förslag om utbyte."),
    )
    replace_days = forms.IntegerField(
        label=_("inom antal dagar"), min_value=1, max_value=3650, initial=90
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["training_services"].choices = [  # type: ignore[attr-defined]
            (s.pk, s.name) for s in services
        ]
