"""The search field's widget: an ARIA 1.2 combobox in place of a select of every choice.

Typing asks the server (HTMX) for at most 20 options; the arrow keys move through them, Enter
picks one and Escape closes the list (app.js). The chosen key travels in a hidden input named
after the field, the typed text in `<name>_q`, so that a form without JavaScript still gets the
text to resolve on the server. The organisation node search (tenancy) and the person search
(accounts) are this widget with their own search address and query values.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _


def search_request(request: HttpRequest, default_listbox: str) -> tuple[str, str]:
    """What a combobox's search asks: the typed text (`q`, or the field's `<name>_q`, cut to
    100 characters) and the id of the listbox to fill (letters, digits, - and _ only)."""
    query = str(
        request.GET.get("q") or next((v for k, v in request.GET.items() if k.endswith("_q")), "")
    )
    listbox = request.GET.get("lista", default_listbox)
    if not listbox.replace("_", "").replace("-", "").isalnum():
        listbox = default_listbox
    return query[:100], listbox


class ComboboxWidget(forms.Widget):
    """Renders the text input (id = the field's id), the hidden key input, the listbox and a
    live status for the number of options. `url_name` names the search view (reversed when
    rendered); `values` are sent with every search beside the listbox's id."""

    def __init__(
        self,
        url_name: str,
        values: dict[str, str] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.url_name = url_name
        self.values = dict(values or {})
        # What the input shows for an initial key (the chosen record's label).
        self.label = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return (data.get(name, ""), data.get(f"{name}_q", ""))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_q" not in data

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        field_id = attrs.get("id") or f"id_{name}"
        pk, text = value if isinstance(value, tuple) else (value, "")
        if pk not in (None, "") and not text:
            text = self.label
        described = attrs.get("aria-describedby", "")
        listbox = f"{field_id}_listbox"
        values = "".join(format_html(', "{}": "{}"', key, val) for key, val in self.values.items())
        return format_html(
            '<div class="combobox" data-combobox>'
            '<input type="text" id="{id}" name="{name}_q" value="{text}" role="combobox" '
            'aria-autocomplete="list" aria-expanded="false" aria-controls="{listbox}" '
            'autocomplete="off" spellcheck="false"{required}{invalid}{described} '
            'hx-get="{url}" hx-trigger="input changed delay:250ms, combobox-open" '
            'hx-target="#{listbox}" hx-swap="innerHTML" hx-sync="this:replace" '
            'hx-vals=\'{{"lista": "{listbox}"{values}}}\'>'
            '<input type="hidden" name="{name}" value="{pk}" data-combobox-value>'
            '<ul class="combobox-list" role="listbox" id="{listbox}" aria-label="{list_label}" '
            "hidden></ul>"
            '<p class="visually-hidden" id="{status}" role="status" aria-live="polite"></p>'
            "</div>",
            id=field_id,
            name=name,
            text=text,
            listbox=listbox,
            status=f"{field_id}_status",
            url=reverse(self.url_name),
            values=SafeString(values),
            pk="" if pk is None else pk,
            list_label=_("Träffar"),
            required=format_html(" {}", "required") if attrs.get("required") else "",
            invalid=format_html(' aria-invalid="{}"', attrs["aria-invalid"])
            if attrs.get("aria-invalid")
            else "",
            described=format_html(' aria-describedby="{}"', described) if described else "",
        )
