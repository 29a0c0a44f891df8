from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.core.errors import ApplicationError
from itfabrik.core.models import AuditAction


def add_application_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's error on the form: per field where it names one, else on the form."""
    if not error.fields:
        form.add_error(None, str(error.message))
        return
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, str(message))


class AccessibilityReportForm(forms.Form):
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


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Sök objekt eller person"), required=False, max_length=100)
    object_type = forms.CharField(label=_("Objekttyp"), required=False, max_length=100)
    object_id = forms.CharField(label=_("Objekt-id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Händelse"),
        required=False,
        choices=[("", _("Alla"))],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["action"].choices = [("", _("Alla")), *AuditAction.choices]  # type: ignore[attr-defined]
