from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.core.apps import DATE_FORMAT as DATE_FORMAT_MESSAGE
from itfabrik.core.errors import ApplicationError
from itfabrik.core.models import AuditAction


class DateField(forms.DateField):
    """A date typed as ÅÅÅÅ-MM-DD on every page, whatever the browser's own locale.

    A native date picker shows the browser's format (e.g. mm/dd/yyyy on a Swedish page in an
    English browser), so the field is a text field that says the format it wants.
    """

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": DATE_FORMAT_MESSAGE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("ÅÅÅÅ-MM-DD"))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value


def add_application_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's error on the form: per field where it names one, else on the form."""
    if not error.fields:
        form.add_error(None, str(error.message))
        return
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, str(message))


def add_service_errors(
    form: forms.Form, check: Callable[..., None], *, drop: tuple[str, ...] = ()
) -> None:
    """The form has errors of its own: also run the service's rules on the fields that parsed.

    Without this the service's messages (a municipal code of three digits, a taken cost centre)
    would come only on the next submit. `check` is the service's `…_check` function; messages for
    fields that already have one are left out.
    """
    values = {k: v for k, v in form.cleaned_data.items() if k not in form.errors and k not in drop}
    try:
        check(**values)
    except ApplicationError as exc:
        for name, messages in exc.fields.items():
            if name in form.errors or name not in form.fields:
                continue
            for message in messages:
                form.add_error(name, str(message))


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
