"""A search field for people, in place of a select of every user.

At national scale a <select> of every user an actor may pick is unusable and slow. The field is
the same ARIA 1.2 combobox as the organisation node search (tenancy/web/widgets.py, app.js):
typing asks the server (HTMX) for at most 20 matches, the arrow keys move through them, Enter
picks one and the chosen user's id travels in a hidden input. Without JavaScript the typed text
is resolved on the server: one match is taken, several ask for more of the name.

The field knows no app: each use gives it the URL of its search endpoint and the two selectors
that define whom the actor may pick, `search(actor=, query=, limit=)` and `get(actor=, value=)`
(an id or a username, NotFound outside the scope). The endpoint answers with `person_options`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from itfabrik.core.actors import Actor
from itfabrik.core.errors import NotFound
from itfabrik.core.web.widgets import ComboboxWidget, search_request

SEARCH_LIMIT = 20

PersonSearch = Callable[..., Sequence[Any]]
PersonGet = Callable[..., Any]


def person_label(user: Any) -> str:
    """How a chosen person reads in the input: "Fia Ström (anvandare-fargelanda)"."""
    return f"{user.get_full_name() or user.username} ({user.username})"


def person_options(request: HttpRequest, search: PersonSearch) -> HttpResponse:
    """The options of a person search field: at most 20 matches, and a note when there are
    more. The caller has checked that the actor may use the search at all."""
    query, listbox = search_request(request, "people")
    found = list(search(actor=request.user, query=query, limit=SEARCH_LIMIT + 1))
    return render(
        request,
        "accounts/_person_options.html",
        {"people": found[:SEARCH_LIMIT], "more": len(found) > SEARCH_LIMIT, "listbox": listbox},
    )


class PersonSearchField(forms.Field):
    """A person chosen by search; cleans to the User, always found through `get` or `search`
    with the form's actor, so a forged id outside the scope is "none" and never accepted."""

    default_error_messages = {
        "required": _("Sök och välj i listan."),
        "none": _("Ingen person som du kan välja heter så."),
        "many": _("Flera personer matchar. Skriv mer av namnet och välj i listan."),
    }

    def __init__(
        self, *, url_name: str, search: PersonSearch, get: PersonGet, **kwargs: Any
    ) -> None:
        self.search = search
        self.get = get
        self.actor: Actor | None = None
        # The value the record has now: kept as it is even if that person has since left the
        # scope (the group's lead moved elsewhere), so that saving the rest still works.
        self.current: Any = None
        super().__init__(widget=ComboboxWidget(url_name), **kwargs)
        self.help_text = self.help_text or _(
            "Skriv namn eller användarnamn och välj med piltangenterna och Enter."
        )

    def set_initial_person(self, user: Any, *, current: bool = False) -> None:
        """Show a person's label in the input. `current`: the record's value now, accepted
        unchanged even if the person is no longer one the actor may pick."""
        if user is not None:
            self.current = user if current else None
            self.widget.label = person_label(user)

    def _get(self, actor: Actor, value: str) -> Any:
        try:
            return self.get(actor=actor, value=value)
        except NotFound:
            return None

    def clean(self, value: Any) -> Any:
        pk, text = value if isinstance(value, tuple) else (value, "")
        pk, text = str(pk or "").strip(), str(text or "").strip()
        if not pk and not text:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        actor = self.actor
        if actor is None:
            raise ImproperlyConfigured("PersonSearchField needs its actor before cleaning")
        if pk:
            if self.current is not None and pk == str(self.current.pk):
                return self.current
            found = self._get(actor, pk)
            if found is None:
                raise forms.ValidationError(self.error_messages["none"], code="none")
            return found
        # No id (no JavaScript, or text typed without choosing): resolve the text. A label
        # "Name (username)" names its username; else the text may be a username itself.
        name, _sep, rest = text.partition(" (")
        username = rest[:-1].strip() if rest.endswith(")") else ""
        for candidate in (username, text):
            found = self._get(actor, candidate) if candidate else None
            if found is not None:
                return found
        matches = list(self.search(actor=actor, query=name.strip(), limit=2))
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(self.error_messages["none"], code="none")
        raise forms.ValidationError(self.error_messages["many"], code="many")
