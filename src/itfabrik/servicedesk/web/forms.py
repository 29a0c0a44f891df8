from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itfabrik.accounts.web.widgets import PersonSearchField
from itfabrik.core.actors import Actor
from itfabrik.servicedesk import selectors
from itfabrik.servicedesk.choices import (
    Channel,
    EntryKind,
    Level,
    Nis2Step,
    Priority,
    TicketStatus,
    TicketType,
)

DATETIME_FORMAT = "%Y-%m-%d %H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed as ÅÅÅÅ-MM-DD TT:MM in Swedish time, whatever the browser's locale."""

    widget = forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"})
    input_formats = [DATETIME_FORMAT, "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("ÅÅÅÅ-MM-DD TT:MM"))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime(DATETIME_FORMAT)
        return value


def _choices(choices: Any, empty: Any = None) -> list[tuple[str, Any]]:
    out = list(choices)
    return [("", empty), *out] if empty is not None else out


class PhoneTicketForm(forms.Form):
    """The agent's form for a call or a visit: everything reachable with Tab, no mouse needed."""

    requester = PersonSearchField(
        label=_("Anmälare"),
        url_name="servicedesk:requester_search",
        search=selectors.requester_search_list,
        get=selectors.requester_get,
        error_messages={
            "required": _("Sök och välj anmälaren i listan."),
            "none": _("Ingen person som du kan registrera ärenden för heter så."),
        },
    )
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    impact = forms.ChoiceField(
        label=_("Påverkan"),
        choices=Level.choices,
        initial=Level.LOW,
        help_text=_("Hög: många eller hela organisationen. Medel: en grupp. Låg: en person."),
    )
    urgency = forms.ChoiceField(label=_("Brådska"), choices=Level.choices, initial=Level.MEDIUM)
    type = forms.ChoiceField(
        label=_("Typ"), choices=TicketType.choices, initial=TicketType.INCIDENT
    )
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices, initial=Channel.PHONE)
    service = forms.TypedChoiceField(
        label=_("Tjänst"), required=False, coerce=int, empty_value=None
    )
    device_reference = forms.CharField(
        label=_("Enhet (inventarie- eller serienummer)"), max_length=100, required=False
    )
    reported_at = LocalDateTimeField(label=_("Anmäld"))

    def __init__(self, *args: Any, actor: Actor, services: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requester"].actor = actor  # type: ignore[attr-defined]
        self.fields["service"].choices = [("", _("Ingen vald"))] + [  # type: ignore[attr-defined]
            (s.pk, s.name) for s in services
        ]


class TicketEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    type = forms.ChoiceField(label=_("Typ"), choices=TicketType.choices)
    impact = forms.ChoiceField(label=_("Påverkan"), choices=Level.choices)
    urgency = forms.ChoiceField(label=_("Brådska"), choices=Level.choices)
    service = forms.TypedChoiceField(
        label=_("Tjänst"), required=False, coerce=int, empty_value=None
    )
    group = forms.TypedChoiceField(label=_("Grupp"), required=False, coerce=int, empty_value=None)
    assignee = forms.TypedChoiceField(
        label=_("Handläggare"), required=False, coerce=int, empty_value=None
    )
    device_reference = forms.CharField(
        label=_("Enhet (inventarie- eller serienummer)"), max_length=100, required=False
    )

    def __init__(
        self, *args: Any, services: list[Any], groups: list[Any], people: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("Ingen vald"))] + [  # type: ignore[attr-defined]
            (s.pk, s.name) for s in services
        ]
        self.fields["group"].choices = [("", _("Ingen"))] + [  # type: ignore[attr-defined]
            (g.pk, g.name) for g in groups
        ]
        self.fields["assignee"].choices = [("", _("Ingen"))] + [  # type: ignore[attr-defined]
            (u.pk, str(u)) for u in people
        ]


class ProblemForm(forms.Form):
    """A problem's root cause, workaround and known-error mark (docs/adr/0039)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    root_cause = forms.CharField(
        label=_("Grundorsak"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    workaround = forms.CharField(
        label=_("Tillfällig lösning"),
        help_text=_("Det användarna och handläggarna kan göra tills felet är åtgärdat."),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_known_error = forms.BooleanField(label=_("Känt fel"), required=False)


class KnownErrorPublishForm(forms.Form):
    """ "Publicera som känt fel": how the article reads and who reads it."""

    title = forms.CharField(label=_("Artikelns rubrik"), max_length=200)
    summary = forms.CharField(
        label=_("Sammanfattning (symptomet som användarna ser)"), max_length=500, required=False
    )
    audience = forms.ChoiceField(
        label=_("Målgrupp"),
        choices=[
            ("everyone", _("Alla i samverkan")),
            ("staff", _("Endast IT-organisationens personal")),
        ],
    )
    area = forms.TypedChoiceField(
        label=_("Tjänsteområde"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, areas: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", _("Tjänstens område")),
            *[(a.pk, a.name) for a in areas],
        ]


class ProblemLinkForm(forms.Form):
    """Link an incident to the problem behind it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    problem = forms.TypedChoiceField(
        label=_("Problem"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, problems: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = [  # type: ignore[attr-defined]
            ("", _("Inget problem")),
            *[
                (
                    p.pk,
                    f"{p.reference} {p.title}"
                    + (f" – {_('känt fel')}" if p.is_known_error else ""),
                )
                for p in problems
            ],
        ]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=EntryKind.choices,
        initial=EntryKind.PUBLIC,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PortalReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Ditt svar"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PortalReportForm(forms.Form):
    title = forms.CharField(
        label=_("Vad gäller det?"),
        max_length=200,
        help_text=_('En kort rubrik, t.ex. "Skrivaren skriver inte ut".'),
    )
    description = forms.CharField(
        label=_("Beskriv problemet"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Vad hände, när och vad har du provat?"),
    )
    impact = forms.ChoiceField(
        label=_("Hur många berörs?"),
        choices=[
            (Level.LOW, _("Bara jag")),
            (Level.MEDIUM, _("Min arbetsgrupp")),
            (Level.HIGH, _("Många eller hela verksamheten")),
        ],
        initial=Level.LOW,
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label=_("Hur brådskande är det?"),
        choices=[
            (Level.LOW, _("Det kan vänta några dagar")),
            (Level.MEDIUM, _("Jag behöver hjälp i dag")),
            (Level.HIGH, _("Jag kan inte arbeta alls")),
        ],
        initial=Level.MEDIUM,
        widget=forms.RadioSelect,
    )
    device_reference = forms.CharField(
        label=_("Vilken dator eller enhet gäller det?"),
        max_length=100,
        required=False,
        help_text=_("Inventarienumret på etiketten, om du har det."),
    )


class QueueFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Grupp"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    priority = forms.ChoiceField(
        label=_("Prioritet"), required=False, choices=_choices(Priority.choices, _("Alla"))
    )
    q = forms.CharField(label=_("Sök ärendenummer eller rubrik"), required=False, max_length=100)
    nis2 = forms.BooleanField(label=_("NIS2-frister"), required=False)

    def __init__(self, *args: Any, groups: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            ("", _("Mina grupper")),
            ("all", _("Alla grupper")),
            *[(str(g.pk), g.name) for g in groups],
        ]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla öppna")),
            *[(s.value, s.label) for s in TicketStatus],
        ]


class BulkForm(forms.Form):
    """The queue's bulk action: assign the chosen tickets, or move them to a status."""

    tickets = forms.TypedMultipleChoiceField(
        label=_("Ärenden"), coerce=int, choices=[], required=True
    )
    action = forms.ChoiceField(
        label=_("Åtgärd"),
        choices=[("assign", _("Tilldela")), ("status", _("Ändra status"))],
    )
    group = forms.TypedChoiceField(label=_("Grupp"), coerce=int, required=False, empty_value=None)
    assignee = forms.TypedChoiceField(
        label=_("Handläggare"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=_("Ny status"), required=False)

    def __init__(self, *args: Any, groups: list[Any], people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        data = args[0] if args else None
        ids = data.getlist("tickets") if data is not None and hasattr(data, "getlist") else []
        self.fields["tickets"].choices = [(i, i) for i in ids]  # type: ignore[attr-defined]
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            ("", _("Ingen ändring")),
            *[(g.pk, g.name) for g in groups],
        ]
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Ingen")),
            *[(p.pk, p.get_full_name() or p.username) for p in people],
        ]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Välj")),
            *[(s.value, s.label) for s in TicketStatus],
        ]


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Namn på vyn"), max_length=80)
    shared_with = forms.TypedChoiceField(
        label=_("Dela med gruppen"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, groups: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].choices = [  # type: ignore[attr-defined]
            ("", _("Bara jag")),
            *[(g.pk, g.name) for g in groups],
        ]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Fil"))
    internal = forms.BooleanField(label=_("Intern (syns inte för anmälaren)"), required=False)


class Nis2MarkForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    aware_at = LocalDateTimeField(
        label=_("Känt sedan"),
        help_text=_("När organisationen fick kännedom om incidenten, ÅÅÅÅ-MM-DD TT:MM."),
        required=False,
    )


class Nis2RecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    step = forms.ChoiceField(label=_("Rapport"), choices=Nis2Step.choices)
    at = LocalDateTimeField(
        label=_("Lämnad"),
        help_text=_("ÅÅÅÅ-MM-DD TT:MM"),
    )
