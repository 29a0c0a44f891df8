"""Form rendering helpers for the shared field template (core/_form_fields.html)."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def field_widget(field: forms.BoundField) -> SafeString:
    """The field's widget, without the browser's own length limit.

    A `maxlength` attribute makes the browser cut pasted text at the limit without a word, so
    the limit is checked by the server instead (with a message naming it), and app.js shows a
    counter on long fields from `data-maxlength`.
    """
    limit = getattr(field.field, "max_length", None)
    if not limit or isinstance(field.field.widget, forms.HiddenInput | forms.PasswordInput):
        return field.as_widget()
    attrs: dict[str, str | bool] = {
        "maxlength": False,
        "data-maxlength": str(limit),
        "data-count-text": _("{n} av {max} tecken"),
        "data-over-text": _("{n} tecken för mycket (högst {max})"),
    }
    return field.as_widget(attrs=attrs)
